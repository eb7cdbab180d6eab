namespace ThreatIntel.Core.Persistence;

/// <summary>
/// Removes the delivery history that grows with every alert change: the alert change log (which feeds the live
/// stream and the webhooks) and finished webhook deliveries. Alerts themselves, definitions, IOCs and the audit log
/// are never purged.
/// </summary>
public interface IHistoryRetention
{
    /// <summary>
    /// Deletes, at most <paramref name="batchSize"/> rows per statement, webhook deliveries that finished (delivered or
    /// failed) before <paramref name="deliveriesBefore"/>, then alert changes made before
    /// <paramref name="changesBefore"/> that no remaining delivery refers to.
    /// </summary>
    Task<HistoryPurged> PurgeAsync(DateTime changesBefore, DateTime deliveriesBefore, int batchSize, CancellationToken cancellationToken);
}

public sealed record HistoryPurged(int AlertChanges, int WebhookDeliveries);
