using Microsoft.EntityFrameworkCore;
using ThreatIntel.Core.Persistence;
using ThreatIntel.Core.Webhooks;
using ThreatIntel.Infrastructure.Persistence;

namespace ThreatIntel.Infrastructure.Retention;

/// <summary>
/// Purges in batches of one statement each, so that no transaction holds the write lock for long while alerts are
/// being raised (on SQLite every write waits for it).
/// </summary>
internal sealed class HistoryRetention(ThreatIntelDbContext db) : IHistoryRetention
{
    public async Task<HistoryPurged> PurgeAsync(
        DateTime changesBefore, DateTime deliveriesBefore, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var deliveries = await DeleteInBatchesAsync(
            () => db.WebhookDeliveries
                .Where(d => d.Status != WebhookDeliveryStatus.Pending && d.CompletedAt < deliveriesBefore)
                .OrderBy(d => d.Id)
                .Take(batchSize)
                .ExecuteDeleteAsync(cancellationToken),
            batchSize,
            cancellationToken);

        // A change a delivery still refers to (one not finished yet, or finished within the deliveries' retention)
        // stays until that delivery goes.
        var changes = await DeleteInBatchesAsync(
            () => db.AlertChanges
                .Where(c => c.At < changesBefore && !db.WebhookDeliveries.Any(d => d.AlertChangeSequence == c.Sequence))
                .OrderBy(c => c.Sequence)
                .Take(batchSize)
                .ExecuteDeleteAsync(cancellationToken),
            batchSize,
            cancellationToken);
        return new HistoryPurged(changes, deliveries);
    }

    private static async Task<int> DeleteInBatchesAsync(Func<Task<int>> deleteBatch, int batchSize, CancellationToken cancellationToken)
    {
        var total = 0;
        int deleted;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            deleted = await deleteBatch();
            total += deleted;
        }
        while (deleted == batchSize);

        return total;
    }
}
