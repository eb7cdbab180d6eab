using Microsoft.EntityFrameworkCore;
using ThreatIntel.Core.Alerts;
using ThreatIntel.Core.Webhooks;
using ThreatIntel.Infrastructure.Persistence;

namespace ThreatIntel.Infrastructure.Alerts;

/// <summary>
/// Appends alert changes to the change log and queues a delivery for every webhook that wants each, inside the caller's
/// transaction: a change commits with its log entry and its deliveries, or none of them does.
/// </summary>
internal sealed class AlertChangeOutbox(ThreatIntelDbContext db)
{
    /// <summary>
    /// Must run inside a transaction the caller commits. Saves the context: the caller's pending changes to the alerts
    /// are written in the same <c>SaveChanges</c> as their log entries, which spares a second pass over them. On SQLite
    /// the entries are inserted by one prepared statement instead, which the alert writer, one at a time, needs: EF
    /// Core sends each entry as a statement SQLite parses afresh, several times the cost of running it.
    /// </summary>
    public async Task AppendAsync(IReadOnlyList<AlertChange> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        if (db.Database.IsSqlServer())
        {
            // SQL Server hands out identity values at insert, not at commit: two transactions could commit sequence 8
            // after a stream has read 9 and moved past it. Writers of the log take turns so sequences commit in order.
            // SQLite needs nothing: it has one writer at a time.
            await db.Database.ExecuteSqlRawAsync(
                "EXEC sp_getapplock @Resource = N'ThreatIntel.AlertChanges', @LockMode = N'Exclusive', @LockOwner = N'Transaction'",
                cancellationToken);
            db.AlertChanges.AddRange(changes);
            await db.SaveChangesAsync(cancellationToken);
        }
        else
        {
            await db.SaveChangesAsync(cancellationToken);
            await new BulkTable<AlertChange>(db).InsertWithGeneratedKeysAsync(changes, cancellationToken);
        }

        var webhooks = await db.Webhooks.AsNoTracking().Where(w => w.Enabled).ToListAsync(cancellationToken);
        var deliveries = changes
            .SelectMany(change => webhooks.Where(webhook => webhook.Wants(change)).Select(webhook => WebhookDelivery.For(webhook, change)))
            .ToList();
        if (deliveries.Count > 0)
        {
            db.WebhookDeliveries.AddRange(deliveries);
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
