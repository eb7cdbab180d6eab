namespace ThreatIntel.Api.Http;

/// <summary>The <c>RequestLimits</c> configuration section.</summary>
internal sealed class RequestLimitsOptions
{
    public const string SectionName = "RequestLimits";

    /// <summary>Largest body of an ordinary request, in bytes.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest body of a bulk request (a batch, a definition created with its IOCs), in bytes.</summary>
    public long MaxBulkBodyBytes { get; set; } = 32 * 1024 * 1024;
}

/// <summary>Marks an action whose body may be as large as <see cref="RequestLimitsOptions.MaxBulkBodyBytes"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class BulkRequestBodyAttribute : Attribute;
