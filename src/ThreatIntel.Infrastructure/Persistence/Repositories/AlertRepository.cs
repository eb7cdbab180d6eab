using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ThreatIntel.Core.Alerts;
using ThreatIntel.Core.Auditing;
using ThreatIntel.Core.Persistence;
using ThreatIntel.Infrastructure.Alerts;

namespace ThreatIntel.Infrastructure.Persistence.Repositories;

internal sealed class AlertRepository(
    ThreatIntelDbContext db,
    AlertChangeOutbox outbox,
    AlertChangeBell bell,
    AlertGroupCommit groupCommit,
    ICurrentActor actor,
    TimeProvider timeProvider) : IAlertRepository
{
    private const int RaiseAttempts = 3;

    // Each attempt loses only to a write that landed within its own few milliseconds.
    private const int TriageAttempts = 10;

    public async Task<RaisedAlerts> RaiseAsync(
        IReadOnlyList<AlertMatch> matches, DateTime seenAt, CancellationToken cancellationToken)
    {
        var groups = matches.GroupBy(AlertKey.Of)
            .Select(group => group.First() with { Occurrences = group.Sum(m => m.Occurrences) })
            .ToList();
        var queued = new QueuedAlerts(groups, seenAt);
        groupCommit.Queue(queued);
        using (await groupCommit.TakeTurnAsync())
        {
            if (!queued.Written.Task.IsCompleted)
            {
                await WriteQueuedAsync(groupCommit.TakeQueued());
            }
        }

        var alertIds = await queued.Written.Task.WaitAsync(cancellationToken);
        var created = alertIds.Values.Count(raised => raised.Kind == AlertChangeKind.Raised);
        return new RaisedAlerts(
            [.. matches.Select(m => alertIds[AlertKey.Of(m)].Id)], created, alertIds.Count - created);
    }

    /// <summary>
    /// Writes the alerts of every queued request in one transaction, in arrival order, and tells each request what its
    /// alerts became. Not cancellable: most of the work is other requests'.
    /// </summary>
    private async Task WriteQueuedAsync(List<QueuedAlerts> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var written = await WriteAsync(batch);
                bell.Ring();
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Written.SetResult(written[i]);
                }

                return;
            }
            catch (DbUpdateException) when (attempt < RaiseAttempts)
            {
                // Another instance opened or changed one of these alerts since they were read (the unique open-alert
                // index or the version caught it): read them again and add to what is there now.
                db.ChangeTracker.Clear();
            }
            catch (Exception exception)
            {
                db.ChangeTracker.Clear();
                foreach (var queued in batch)
                {
                    queued.Written.SetException(exception);
                }

                return;
            }
        }
    }

    /// <summary>
    /// Every alert of the batch is stored, or none is: the open alerts of all its matches are read in one query, the new
    /// ones inserted and the others added to in one save, and the change log written, in one transaction.
    /// </summary>
    private async Task<List<Dictionary<AlertKey, WrittenAlert>>> WriteAsync(List<QueuedAlerts> batch)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        var groups = batch.SelectMany(queued => queued.Groups).ToList();
        var definitionIds = groups.Select(m => m.AlertDefinitionId).Distinct().ToList();
        var iocIds = groups.Select(m => m.IocId).Distinct().ToList();
        var deviceIds = groups.Select(m => m.DeviceId).Distinct().ToList();
        // Read untracked: the three lists select every combination of their values, often many more open alerts than
        // the batch adds to, and each tracked alert costs a comparison on every pass over the change tracker.
        var open = (await db.Alerts.AsNoTracking()
                .Where(a => a.OpenSlot == Guid.Empty && definitionIds.Contains(a.AlertDefinitionId) && iocIds.Contains(a.IocId)
                    && deviceIds.Contains(a.DeviceId))
                .ToListAsync(CancellationToken.None))
            .ToDictionary(AlertKey.Of);

        // On SQLite the alerts added to are written by one prepared statement (see AlertChangeOutbox for why), each
        // checked against the version it was read with; elsewhere EF Core tracks them from before the first change.
        var writesDirectly = db.IsSqlite;
        var written = new List<Dictionary<AlertKey, WrittenAlert>>(batch.Count);
        var changes = new List<AlertChange>(groups.Count);
        var raised = new HashSet<Alert>(ReferenceEqualityComparer.Instance);
        var aggregated = new Dictionary<Alert, Guid>(ReferenceEqualityComparer.Instance);
        foreach (var queued in batch)
        {
            var results = new Dictionary<AlertKey, WrittenAlert>();
            foreach (var match in queued.Groups)
            {
                var key = AlertKey.Of(match);
                AlertChangeKind kind;
                if (open.TryGetValue(key, out var alert))
                {
                    if (!raised.Contains(alert) && aggregated.TryAdd(alert, alert.Version) && !writesDirectly)
                    {
                        db.Alerts.Attach(alert);
                    }

                    alert.Aggregate(match, queued.SeenAt);
                    kind = AlertChangeKind.Aggregated;
                }
                else
                {
                    alert = Alert.Raise(match, queued.SeenAt);
                    db.Alerts.Add(alert);
                    raised.Add(alert);
                    open.Add(key, alert);
                    kind = AlertChangeKind.Raised;
                }

                results[key] = new WrittenAlert(alert.Id, kind);
                changes.Add(AlertChange.Of(alert, kind, queued.SeenAt));
            }

            written.Add(results);
        }

        if (writesDirectly)
        {
            await new BulkTable<Alert>(db).UpdateUnchangedAsync(
                AggregatedProperties,
                nameof(Alert.Version),
                aggregated.Select(pair =>
                    new object?[] { pair.Key.Id, pair.Key.Occurrences, pair.Key.LastSeen, pair.Key.ObservedValue, pair.Key.Version, pair.Value }),
                CancellationToken.None);
        }

        await outbox.AppendAsync(changes, CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        db.ChangeTracker.Clear();
        return written;
    }

    /// <summary>What <see cref="Alert.Aggregate"/> changes, in the order the update rows give their values.</summary>
    private static readonly string[] AggregatedProperties =
        [nameof(Alert.Occurrences), nameof(Alert.LastSeen), nameof(Alert.ObservedValue), nameof(Alert.Version)];

    public async Task<Page<Alert>> ListAsync(AlertQuery query, CancellationToken cancellationToken)
    {
        var alerts = db.Alerts.AsNoTracking();
        if (query.Statuses is { Count: > 0 } statuses)
        {
            alerts = alerts.Where(a => statuses.Contains(a.Status));
        }

        if (query.Severities is { Count: > 0 } severities)
        {
            alerts = alerts.Where(a => severities.Contains(a.Severity));
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
        for (var attempt = 1; ; attempt++)
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
                await outbox.AppendAsync([AlertChange.Of(alert, AlertChangeKind.Triaged, now)], cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (expectedVersion is null && attempt < TriageAttempts)
            {
                // Without If-Match the analyst's change applies to the alert as it is now: matches added to a busy
                // alert between the read and the write are no conflict the analyst asked to hear about.
                db.ChangeTracker.Clear();
                continue;
            }
            catch (DbUpdateConcurrencyException)
            {
                return StoreResult<Alert>.PreconditionFailed();
            }

            bell.Ring();
            return StoreResult<Alert>.Success(alert);
        }
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
    private Task<Guid?> FindOpenAsync(Guid definitionId, Guid iocId, string deviceId, Guid? except, CancellationToken cancellationToken) =>
        db.Alerts.AsNoTracking()
            .Where(a => a.AlertDefinitionId == definitionId && a.IocId == iocId && a.DeviceId == deviceId
                && a.OpenSlot == Guid.Empty && a.Id != except)
            .Select(a => (Guid?)a.Id)
            .FirstOrDefaultAsync(cancellationToken);
}
