using ThreatIntel.Core.AlertDefinitions;

namespace ThreatIntel.Core.Alerts;

/// <summary>
/// Which alert changes a reader wants; an empty set or a null bound lets everything through. Severities are those of
/// the alerts' definitions when the alerts were raised.
/// </summary>
public sealed record AlertChangeFilter(
    IReadOnlySet<Severity> Severities,
    Severity? MinimumSeverity,
    IReadOnlySet<Guid> AlertDefinitionIds,
    IReadOnlySet<AlertChangeKind> Kinds)
{
    public static readonly AlertChangeFilter Everything = new(
        new HashSet<Severity>(), null, new HashSet<Guid>(), new HashSet<AlertChangeKind>());
}

/// <summary>
/// The changes a read found, oldest first, and the sequence the next read goes on after: past the last change returned,
/// or past every change the filter skipped when nothing more is waiting.
/// </summary>
public sealed record AlertChangeBatch(IReadOnlyList<AlertChange> Changes, long ReadUpTo);

/// <summary>Reads the alert change log, the durable history the live stream serves and resumes from.</summary>
public interface IAlertChangeLog
{
    /// <summary>The sequence of the latest committed change; 0 when there is none.</summary>
    Task<long> LatestSequenceAsync(CancellationToken cancellationToken);

    /// <summary>At most <paramref name="maxChanges"/> committed changes after <paramref name="after"/> that pass the filter.</summary>
    Task<AlertChangeBatch> ReadAfterAsync(long after, AlertChangeFilter filter, int maxChanges, CancellationToken cancellationToken);
}
