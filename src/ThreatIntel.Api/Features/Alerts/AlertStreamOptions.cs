using System.ComponentModel.DataAnnotations;

namespace ThreatIntel.Api.Features.Alerts;

/// <summary>The <c>AlertStream</c> configuration section: the pace of <c>GET /api/v1/alerts/stream</c>.</summary>
public sealed class AlertStreamOptions
{
    /// <summary>The configuration section's name.</summary>
    public const string SectionName = "AlertStream";

    /// <summary>
    /// How long a stream may stay silent before a comment line is sent, so that proxies and load balancers do not
    /// close an idle connection (most do after 60 s).
    /// </summary>
    [Range(0.1, 3600)]
    public double HeartbeatSeconds { get; set; } = 15;

    /// <summary>How often a stream checks the database for changes committed by other instances.</summary>
    [Range(0.1, 3600)]
    public double PollIntervalSeconds { get; set; } = 1;

    /// <summary>The most changes read from the database at once.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// The most streams one API key may hold open on one instance; each polls the database, so a runaway client could
    /// otherwise open enough of them to load it.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxStreamsPerKey { get; set; } = 20;

    /// <summary>The reconnection delay the stream asks clients to wait (the SSE <c>retry:</c> field).</summary>
    [Range(0, 3_600_000)]
    public int RetryMilliseconds { get; set; } = 3000;
}
