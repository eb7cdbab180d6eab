using System.ComponentModel.DataAnnotations;
using System.Net;

namespace ThreatIntel.Api.Features.Webhooks;

/// <summary>The <c>Webhooks</c> configuration section: the dispatcher's pace, its retries and the SSRF allow-list.</summary>
public sealed class WebhookOptions
{
    /// <summary>The configuration section's name.</summary>
    public const string SectionName = "Webhooks";

    /// <summary>Whether this instance delivers webhooks; the outbox is filled either way, so another instance can.</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>How often the outbox is checked for deliveries queued by other instances or due for another round.</summary>
    [Range(0.1, 3600)]
    public double PollIntervalSeconds { get; set; } = 2;

    /// <summary>The most deliveries claimed by one query.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 50;

    /// <summary>The most deliveries in flight at once.</summary>
    [Range(1, 256)]
    public int MaxParallelDeliveries { get; set; } = 8;

    /// <summary>
    /// How long a claimed delivery is held; a round is cut off when it runs out, after which another instance (or this
    /// one after a restart) may take the delivery over.
    /// </summary>
    [Range(1, 86400)]
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>How long one request may take before it counts as failed.</summary>
    [Range(1, 300)]
    public int RequestTimeoutSeconds { get; set; } = 10;

    /// <summary>Quick retries inside a round, after the first attempt, with exponential back-off and jitter.</summary>
    [Range(0, 10)]
    public int RetryAttempts { get; set; } = 3;

    /// <summary>The first quick retry's delay; each further one doubles it.</summary>
    [Range(1, 60000)]
    public int RetryBaseDelayMilliseconds { get; set; } = 1000;

    /// <summary>Rounds before a delivery is given up as failed.</summary>
    [Range(1, 100)]
    public int MaxRounds { get; set; } = 8;

    /// <summary>The wait after the first failed round; it doubles after each further one.</summary>
    [Range(1, 86400)]
    public int RoundBackoffSeconds { get; set; } = 30;

    /// <summary>The longest wait between rounds.</summary>
    [Range(1, 604800)]
    public int MaxRoundBackoffSeconds { get; set; } = 3600;

    /// <summary>
    /// Networks (CIDR, e.g. <c>10.20.0.0/16</c>, <c>::1/128</c>) exempt from the SSRF rules, for receivers inside
    /// the service's own network.
    /// </summary>
    public string[] AllowedNetworks { get; set; } = [];

    internal IEnumerable<IPNetwork> ParsedAllowedNetworks() => AllowedNetworks.Select(network => IPNetwork.Parse(network));

    internal bool AllowedNetworksAreValid() => AllowedNetworks.All(network => IPNetwork.TryParse(network, out _));

    /// <summary>The wait before the round after <paramref name="roundsDone"/> failed rounds; null when none is left.</summary>
    internal TimeSpan? BackoffAfter(int roundsDone)
    {
        if (roundsDone >= MaxRounds)
        {
            return null;
        }

        var doublings = Math.Min(roundsDone - 1, 30);
        return TimeSpan.FromSeconds(Math.Min((double)RoundBackoffSeconds * (1L << doublings), MaxRoundBackoffSeconds));
    }
}
