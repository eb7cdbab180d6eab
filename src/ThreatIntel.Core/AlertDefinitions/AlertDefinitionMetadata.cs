namespace ThreatIntel.Core.AlertDefinitions;

/// <summary>The caller-owned fields of an alert definition, as created or replaced.</summary>
public sealed record AlertDefinitionMetadata(
    string Name,
    string? Description,
    Severity Severity,
    string? Category,
    IReadOnlyList<string> MitreTechniques,
    string? RecommendedActions,
    IReadOnlyList<string> Tags,
    bool Enabled);
