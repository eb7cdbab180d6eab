using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Persistence;

namespace ThreatIntel.Core.Alerts;

/// <summary>Filters and page of the alert list; all filters optional.</summary>
/// <param name="Statuses">Alerts with any of these statuses; null or empty for every status.</param>
/// <param name="Severities">Alerts of any of these severities; null or empty for every severity.</param>
public sealed record AlertQuery(
    IReadOnlyList<AlertStatus>? Statuses,
    IReadOnlyList<Severity>? Severities,
    Guid? AlertDefinitionId,
    string? DeviceId,
    DateTime? Since,
    PageRequest Page);

/// <summary>The alert of each match, in order, and how many alerts were opened and how many already open ones grew.</summary>
public sealed record RaisedAlerts(IReadOnlyList<Guid> AlertIds, int Created, int Aggregated);

public interface IAlertRepository
{
    /// <summary>
    /// For each match: adds its occurrences to the open alert of its (definition, IOC, device), or raises a new one.
    /// </summary>
    Task<RaisedAlerts> RaiseAsync(IReadOnlyList<AlertMatch> matches, DateTime seenAt, CancellationToken cancellationToken);

    /// <summary>Newest first (by last seen).</summary>
    Task<Page<Alert>> ListAsync(AlertQuery query, CancellationToken cancellationToken);

    Task<Alert?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// Triages an alert. Reopening a closed alert while another open one holds its (definition, IOC, device) is a
    /// conflict naming that alert.
    /// </summary>
    Task<StoreResult<Alert>> TriageAsync(
        Guid id, Guid? expectedVersion, AlertStatus? status, string? assignedTo, string? comment, CancellationToken cancellationToken);
}
