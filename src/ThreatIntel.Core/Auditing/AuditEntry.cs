namespace ThreatIntel.Core.Auditing;

/// <summary>One change to a stored object: who, when, what, and the fields before and after.</summary>
public sealed class AuditEntry
{
    public long Id { get; init; }

    public DateTime Timestamp { get; init; }

    /// <summary>The API key name that made the change, or <c>system</c> for the service itself.</summary>
    public required string Actor { get; init; }

    public required AuditAction Action { get; init; }

    /// <summary>The kind of object: <c>AlertDefinition</c>, <c>Ioc</c>, <c>ApiKey</c>, ...</summary>
    public required string EntityType { get; init; }

    public required Guid EntityId { get; init; }

    /// <summary>
    /// JSON object of the changed fields, each <c>{ "before": ..., "after": ... }</c>; a creation has only
    /// <c>after</c> values and a deletion only <c>before</c> values.
    /// </summary>
    public required string Changes { get; init; }
}

public enum AuditAction
{
    Created,
    Updated,
    Deleted,
}
