using ThreatIntel.Core.AlertDefinitions;

namespace ThreatIntel.Core.Feeds;

/// <summary>
/// One alert definition of a pushed feed with its IOCs. Within one definition an IOC appears once per
/// (type, action, normalised value), the identity the database enforces.
/// </summary>
public sealed class FeedDefinition(AlertDefinitionMetadata metadata)
{
    public AlertDefinitionMetadata Metadata { get; set; } = metadata;

    public List<FeedIoc> Iocs { get; } = [];

    /// <summary>When the stored definition was created; set on export (formats with timestamps write it), null when pushed.</summary>
    public DateTime? CreatedAt { get; init; }

    /// <summary>When the stored definition was last changed; set on export, null when pushed.</summary>
    public DateTime? UpdatedAt { get; init; }
}
