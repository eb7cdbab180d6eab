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
    bool Enabled)
{
    /// <summary>
    /// The form a definition stores: the name trimmed, MITRE ids upper-cased, tags trimmed, both without repeats
    /// (tags compared ignoring case).
    /// </summary>
    public AlertDefinitionMetadata Canonical() => this with
    {
        Name = Name.Trim(),
        MitreTechniques = [.. MitreTechniques.Select(t => t.Trim().ToUpperInvariant()).Distinct()],
        Tags = [.. Tags.Select(t => t.Trim()).Distinct(StringComparer.OrdinalIgnoreCase)],
    };

    /// <summary>Whether storing <paramref name="other"/> would leave a definition holding this metadata unchanged.</summary>
    public bool HasSameContent(AlertDefinitionMetadata other)
    {
        var a = Canonical();
        var b = other.Canonical();
        return a.Name == b.Name && a.Description == b.Description && a.Severity == b.Severity && a.Category == b.Category
            && a.MitreTechniques.SequenceEqual(b.MitreTechniques) && a.RecommendedActions == b.RecommendedActions
            && a.Tags.SequenceEqual(b.Tags) && a.Enabled == b.Enabled;
    }
}
