namespace ThreatIntel.Core.Iocs;

/// <summary>The caller-owned fields of an IOC; <see cref="Value"/> is already normalised.</summary>
public sealed record IocSpecification(
    IocType Type,
    IocAction Action,
    string Value,
    string? Description,
    bool Enabled,
    DateTime? ExpiresAt);
