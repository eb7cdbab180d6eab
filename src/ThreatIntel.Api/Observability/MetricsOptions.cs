namespace ThreatIntel.Api.Observability;

/// <summary>The <c>Metrics</c> configuration section.</summary>
internal sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>Collect metrics and serve them for Prometheus; when false nothing is collected and the path is a 404.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where Prometheus scrapes, e.g. <c>/metrics</c>.</summary>
    public string Path { get; set; } = "/metrics";
}
