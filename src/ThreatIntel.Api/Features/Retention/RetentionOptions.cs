using System.ComponentModel.DataAnnotations;

namespace ThreatIntel.Api.Features.Retention;

/// <summary>The <c>Retention</c> configuration section: how long the delivery history is kept.</summary>
public sealed class RetentionOptions
{
    /// <summary>The configuration section's name.</summary>
    public const string SectionName = "Retention";

    /// <summary>
    /// How long alert changes are kept: how far back a client of <c>GET /api/v1/alerts/stream</c> can resume with
    /// <c>Last-Event-ID</c>. Alerts themselves are kept for ever.
    /// </summary>
    [Range(1, 87_600)]
    public double AlertChangesHours { get; set; } = 168;

    /// <summary>How long finished (delivered or failed) webhook deliveries stay listed with their attempts.</summary>
    [Range(1, 87_600)]
    public double WebhookDeliveriesHours { get; set; } = 168;

    /// <summary>How often the purge runs; 0 turns it off.</summary>
    [Range(0, 10_080)]
    public double PurgeIntervalMinutes { get; set; } = 60;

    /// <summary>The most rows one delete statement removes, so that a purge never holds the write lock for long.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 5_000;
}
