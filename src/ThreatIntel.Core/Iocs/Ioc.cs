using ThreatIntel.Core.AlertDefinitions;

namespace ThreatIntel.Core.Iocs;

/// <summary>
/// An indicator of compromise: a type, a normalised value and the action that says how observations are compared
/// with it. Belongs to exactly one alert definition.
/// </summary>
public sealed class Ioc
{
    private Ioc()
    {
    }

    public Guid Id { get; private set; }

    public Guid AlertDefinitionId { get; private set; }

    public IocType Type { get; private set; }

    public IocAction Action { get; private set; }

    public string Value { get; private set; } = string.Empty;

    /// <summary>See <see cref="IocValueKey"/>.</summary>
    public byte[] ValueHash { get; private set; } = [];

    public string? Description { get; private set; }

    public bool Enabled { get; private set; }

    public DateTime? ExpiresAt { get; private set; }

    public string? Source { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    public string? CreatedBy { get; private set; }

    public string? UpdatedBy { get; private set; }

    public Guid Version { get; private set; }

    /// <summary>A new IOC of <paramref name="definition"/>; it inherits the definition's source.</summary>
    /// <param name="valueHash">
    /// The value's <see cref="IocValueKey"/> when the caller has already computed it (a feed push keys every row by
    /// it while validating), so that a million-row push hashes each value once; computed here when null.
    /// </param>
    public static Ioc Create(AlertDefinition definition, IocSpecification specification, DateTime now, byte[]? valueHash = null)
    {
        var ioc = new Ioc
        {
            Id = Guid.CreateVersion7(now),
            AlertDefinitionId = definition.Id,
            Source = definition.Source,
            CreatedAt = now,
        };
        ioc.Apply(specification, now, valueHash);
        return ioc;
    }

    public void Update(IocSpecification specification, DateTime now) => Apply(specification, now, valueHash: null);

    private void Apply(IocSpecification specification, DateTime now, byte[]? valueHash)
    {
        Type = specification.Type;
        Action = specification.Action;
        Value = specification.Value;
        ValueHash = valueHash ?? IocValueKey.Compute(specification.Type, specification.Action, specification.Value);
        Description = specification.Description;
        Enabled = specification.Enabled;
        ExpiresAt = specification.ExpiresAt;
        UpdatedAt = now;
        Version = Guid.NewGuid();
    }
}
