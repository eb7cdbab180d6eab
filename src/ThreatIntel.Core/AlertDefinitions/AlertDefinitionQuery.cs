using ThreatIntel.Core.Persistence;

namespace ThreatIntel.Core.AlertDefinitions;

public enum AlertDefinitionSortField
{
    Name,
    Severity,
    UpdatedAt,
}

/// <summary>Filters, order and page of an alert definition listing.</summary>
public sealed record AlertDefinitionQuery(
    string? Search,
    IReadOnlyList<Severity>? Severities,
    bool? Enabled,
    string? Source,
    AlertDefinitionSortField SortBy,
    bool Descending,
    PageRequest Page);

/// <summary>A definition with the number of IOCs it holds.</summary>
public sealed record AlertDefinitionWithCount(AlertDefinition Definition, int IocCount);
