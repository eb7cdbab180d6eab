using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ThreatIntel.Core.Alerts;
using ThreatIntel.Core.Auditing;
using ThreatIntel.Core.Persistence;
using ThreatIntel.Infrastructure.Alerts;

namespace ThreatIntel.Infrastructure.Persistence.Repositories;

internal sealed class AlertRepository(
    ThreatIntelDbContext db, AlertChangeOutbox outbox, AlertChangeBell bell, ICurrentActor actor, TimeProvider timeProvider) : IAlertRepository
{
    private const int RaiseAttempts = 3;

    public async Task<RaisedAlerts> RaiseAsync(
        IReadOnlyList<AlertMatch> matches, DateTime seenAt, CancellationToken cancellationToken)
    {
        var idsByKey = new Dictionary<(Guid, Guid, string), Guid>();
        var changes = new List<AlertChange>();

        // Keys are taken in one order by every request, so two requests raising overlapping alerts cannot deadlock.
        var groups = matches.GroupBy(m => (m.AlertDefinitionId, m.IocId, m.DeviceId))
            .OrderBy(group => group.Key.AlertDefinitionId).ThenBy(group => group.Key.IocId)
            .ThenBy(group => group.Key.DeviceId, StringComparer.Ordinal);

        // Every alert of a request is stored, or none is.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var group in groups)
        {
            var match = group.First() with { Occurrences = group.Sum(m => m.Occurrences) };
            var (alert, kind) = await RaiseOneAsync(match, seenAt, cancellationToken);
            idsByKey[group.Key] = alert.Id;
            changes.Add(AlertChange.Of(alert, kind, seenAt));
        }

        await outbox.AppendAsync(changes, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        bell.Ring();
        var created = changes.Count(change => change.Kind == AlertChangeKind.Raised);
        return new RaisedAlerts(
            [.. matches.Select(m => idsByKey[(m.AlertDefinitionId, m.IocId, m.DeviceId)])], created, changes.Count - created);
    }

    public async Task<Page<Alert>> ListAsync(AlertQuery query, CancellationToken cancellationToken)
    {
        var alerts = db.Alerts.AsNoTracking();
        if (query.Status is { } status)
        {
            alerts = alerts.Where(a => a.Status == status);
        }

        if (query.Severity is { } severity)
        {
            alerts = alerts.Where(a => a.Severity == severity);
        }

        if (query.AlertDefinitionId is { } definitionId)
        {
            alerts = alerts.Where(a => a.AlertDefinitionId == definitionId);
        }

        if (!string.IsNullOrEmpty(query.DeviceId))
        {
            alerts = alerts.Where(a => a.DeviceId == query.DeviceId);
        }

        if (query.Since is { } since)
        {
            alerts = alerts.Where(a => a.LastSeen >= since);
        }

        return await alerts.OrderByDescending(a => a.LastSeen).ThenByDescending(a => a.Id)
            .ToPageAsync(query.Page, cancellationToken);
    }

    public Task<Alert?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.Alerts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);

    public async Task<StoreResult<Alert>> TriageAsync(
        Guid id, Guid? expectedVersion, AlertStatus? status, string? assignedTo, string? comment, CancellationToken cancellationToken)
    {
        var alert = await db.Alerts.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (alert is null)
        {
            return StoreResult<Alert>.NotFound();
        }

        if (!db.ExpectVersion(alert, expectedVersion))
        {
            return StoreResult<Alert>.PreconditionFailed();
        }

        var before = (alert.Status, alert.AssignedTo);
        var now = timeProvider.GetUtcNow().UtcDateTime;
        alert.Triage(status, assignedTo, comment, actor.Name, now);
        AuditTriage(alert, before, string.IsNullOrWhiteSpace(comment) ? null : comment.Trim(), now);
        if (Alert.IsOpen(alert.Status) && await FindOpenAsync(alert.AlertDefinitionId, alert.IocId, alert.DeviceId, except: id, cancellationToken) is { } open)
        {
            return StoreResult<Alert>.Conflict(open);
        }

        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await outbox.AppendAsync([AlertChange.Of(alert, AlertChangeKind.Triaged, now)], cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return StoreResult<Alert>.PreconditionFailed();
        }

        bell.Ring();
        return StoreResult<Alert>.Success(alert);
    }

    /// <summary>
    /// Records who triaged an alert and what changed, in the same transaction as the change. Alerts are not audited by
    /// the interceptor, which would also record every alert the matching engine raises or adds to.
    /// </summary>
    private void AuditTriage(Alert alert, (AlertStatus Status, string? AssignedTo) before, string? comment, DateTime now)
    {
        var changes = new Dictionary<string, object>();
        if (alert.Status != before.Status)
        {
            changes["status"] = new { before = before.Status.ToString(), after = alert.Status.ToString() };
        }

        if (alert.AssignedTo != before.AssignedTo)
        {
            changes["assignedTo"] = new { before = before.AssignedTo, after = alert.AssignedTo };
        }

        if (comment is not null)
        {
            changes["comment"] = new { before = (string?)null, after = comment };
        }

        if (changes.Count > 0)
        {
            db.AuditLog.Add(new AuditEntry
            {
                Timestamp = now,
                Actor = actor.Name,
                Action = AuditAction.Updated,
                EntityType = nameof(Alert),
                EntityId = alert.Id,
                Changes = JsonSerializer.Serialize(changes, JsonSerializerOptions.Web),
            });
        }
    }

    /// <summary>
    /// Adds to the open alert, or inserts one. The unique open-alert key makes a concurrent insert of the same alert
    /// fail (only that statement is rolled back), after which the add is retried against the alert that won.
    /// </summary>
    private async Task<(Alert Alert, AlertChangeKind Kind)> RaiseOneAsync(AlertMatch match, DateTime seenAt, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var newVersion = Guid.NewGuid();
            var updated = await db.Alerts
                .Where(a => a.AlertDefinitionId == match.AlertDefinitionId && a.IocId == match.IocId
                    && a.DeviceId == match.DeviceId && a.OpenSlot == Guid.Empty)
                .ExecuteUpdateAsync(
                    set => set
                        .SetProperty(a => a.Occurrences, a => a.Occurrences + match.Occurrences)
                        .SetProperty(a => a.LastSeen, seenAt)
                        .SetProperty(a => a.ObservedValue, match.ObservedValue)
                        .SetProperty(a => a.Version, newVersion),
                    cancellationToken);
            if (updated > 0)
            {
                var aggregated = await db.Alerts.AsNoTracking().FirstAsync(
                    a => a.AlertDefinitionId == match.AlertDefinitionId && a.IocId == match.IocId
                        && a.DeviceId == match.DeviceId && a.OpenSlot == Guid.Empty,
                    cancellationToken);
                return (aggregated, AlertChangeKind.Aggregated);
            }

            var alert = Alert.Raise(match, seenAt);
            db.Alerts.Add(alert);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return (alert, AlertChangeKind.Raised);
            }
            catch (DbUpdateException) when (attempt < RaiseAttempts)
            {
                db.Entry(alert).State = EntityState.Detached;
            }
        }
    }

    private Task<Guid?> FindOpenAsync(Guid definitionId, Guid iocId, string deviceId, Guid? except, CancellationToken cancellationToken) =>
        db.Alerts.AsNoTracking()
            .Where(a => a.AlertDefinitionId == definitionId && a.IocId == iocId && a.DeviceId == deviceId
                && a.OpenSlot == Guid.Empty && a.Id != except)
            .Select(a => (Guid?)a.Id)
            .FirstOrDefaultAsync(cancellationToken);
}
