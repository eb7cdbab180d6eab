using System.ComponentModel.DataAnnotations;

namespace ThreatIntel.Api.RateLimiting;

/// <summary>The <c>RateLimiting</c> configuration section: one fixed-window budget per API key and category.</summary>
internal sealed class RateLimitingOptions
{
    public const string SectionName = "RateLimiting";

    // Defaults leave room for busy tools and scripted bulk edits while still stopping a runaway client.
    public RateLimitBudget Reads { get; set; } = new() { PermitLimit = 10_000, WindowSeconds = 60 };

    public RateLimitBudget Writes { get; set; } = new() { PermitLimit = 2_000, WindowSeconds = 60 };

    public RateLimitBudget Feeds { get; set; } = new() { PermitLimit = 60, WindowSeconds = 60 };

    public RateLimitBudget Events { get; set; } = new() { PermitLimit = 10_000, WindowSeconds = 60 };

    public RateLimitBudget For(RateLimitCategory category) => category switch
    {
        RateLimitCategory.Reads => Reads,
        RateLimitCategory.Writes => Writes,
        RateLimitCategory.Feeds => Feeds,
        RateLimitCategory.Events => Events,
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, null),
    };
}

internal sealed class RateLimitBudget
{
    /// <summary>Requests allowed per window.</summary>
    [Range(1, int.MaxValue)]
    public int PermitLimit { get; set; }

    [Range(1, 86_400)]
    public int WindowSeconds { get; set; }
}

/// <summary>Which budget a request draws on.</summary>
internal enum RateLimitCategory
{
    Reads,
    Writes,
    Feeds,
    Events,
}

/// <summary>
/// Puts an endpoint in a budget other than the one its HTTP method implies (GET/HEAD read, anything else writes).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
internal sealed class RateLimitCategoryAttribute(RateLimitCategory category) : Attribute
{
    public RateLimitCategory Category { get; } = category;
}
