using System.ComponentModel.DataAnnotations;

namespace ThreatIntel.Api.Features.Matching;

/// <summary>The <c>Matching</c> configuration section.</summary>
public sealed class MatchingOptions
{
    /// <summary>The configuration section's name.</summary>
    public const string SectionName = "Matching";

    /// <summary>
    /// How often the database's change stamp is checked for changes made by other instances; a change made through
    /// this instance rebuilds the index at once.
    /// </summary>
    [Range(0.1, 3600)]
    public double RefreshIntervalSeconds { get; set; } = 2;

    /// <summary>
    /// How long a write to definitions, IOCs or feeds waits, before it answers, for this instance's index to include it
    /// (one rebuild: about a second for 1.5 M IOCs). When it passes the write answers anyway: it is stored, and the index
    /// catches up with its next rebuild. 0 answers at once.
    /// </summary>
    [Range(0, 600)]
    public double WriteVisibilityTimeoutSeconds { get; set; } = 30;
}
