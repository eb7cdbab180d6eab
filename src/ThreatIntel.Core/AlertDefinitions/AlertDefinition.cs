using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Core.AlertDefinitions;

/// <summary>
/// A container of alert metadata: how a detection is shown when one of its IOCs matches.
/// </summary>
public sealed class AlertDefinition
{
    private readonly List<Ioc> _iocs = [];

    private AlertDefinition()
    {
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = string.Empty;

    /// <summary>Upper-cased name that carries the uniqueness constraint, so names are unique regardless of case.</summary>
    public string NormalizedName { get; private set; } = string.Empty;

    public string? Description { get; private set; }

    public Severity Severity { get; private set; }

    public string? Category { get; private set; }

    public List<string> MitreTechniques { get; private set; } = [];

    public string? RecommendedActions { get; private set; }

    public List<string> Tags { get; private set; } = [];

    public bool Enabled { get; private set; }

    /// <summary>Null for hand-made definitions; the feed name for definitions a feed manages.</summary>
    public string? Source { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public string? CreatedBy { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    public string? UpdatedBy { get; private set; }

    /// <summary>Changes on every update; the optimistic concurrency token behind the HTTP <c>ETag</c>.</summary>
    public Guid Version { get; private set; }

    public IReadOnlyCollection<Ioc> Iocs => _iocs;

    /// <remarks><see cref="CreatedBy"/> and <see cref="UpdatedBy"/> are stamped with the caller when the change is saved.</remarks>
    public static AlertDefinition Create(AlertDefinitionMetadata metadata, DateTime now, string? source = null)
    {
        var definition = new AlertDefinition
        {
            Id = Guid.CreateVersion7(now),
            Source = source,
            CreatedAt = now,
        };
        definition.Apply(metadata, now);
        return definition;
    }

    public void UpdateMetadata(AlertDefinitionMetadata metadata, DateTime now) => Apply(metadata, now);

    public Ioc AddIoc(IocSpecification specification, DateTime now)
    {
        var ioc = Ioc.Create(this, specification, now);
        _iocs.Add(ioc);
        return ioc;
    }

    public static string NormalizeName(string name) => name.Trim().ToUpperInvariant();

    /// <summary>The metadata as stored, to compare with a pushed version.</summary>
    public AlertDefinitionMetadata Metadata() =>
        new(Name, Description, Severity, Category, MitreTechniques, RecommendedActions, Tags, Enabled);

    private void Apply(AlertDefinitionMetadata metadata, DateTime now)
    {
        metadata = metadata.Canonical();
        Name = metadata.Name;
        NormalizedName = NormalizeName(metadata.Name);
        Description = metadata.Description;
        Severity = metadata.Severity;
        Category = metadata.Category;
        MitreTechniques = [.. metadata.MitreTechniques];
        RecommendedActions = metadata.RecommendedActions;
        Tags = [.. metadata.Tags];
        Enabled = metadata.Enabled;
        UpdatedAt = now;
        Version = Guid.NewGuid();
    }
}
