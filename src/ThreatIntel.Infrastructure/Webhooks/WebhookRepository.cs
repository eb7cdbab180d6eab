using Microsoft.EntityFrameworkCore;
using ThreatIntel.Core.Persistence;
using ThreatIntel.Core.Webhooks;
using ThreatIntel.Infrastructure.Persistence;
using ThreatIntel.Infrastructure.Persistence.Repositories;

namespace ThreatIntel.Infrastructure.Webhooks;

internal sealed class WebhookRepository(ThreatIntelDbContext db, TimeProvider timeProvider) : IWebhookRepository
{
    public Task<Page<Webhook>> ListAsync(PageRequest page, CancellationToken cancellationToken) =>
        db.Webhooks.AsNoTracking().OrderBy(w => w.CreatedAt).ThenBy(w => w.Id).ToPageAsync(page, cancellationToken);

    public Task<Webhook?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.Webhooks.AsNoTracking().FirstOrDefaultAsync(w => w.Id == id, cancellationToken);

    public async Task<StoreResult<Webhook>> AddAsync(Webhook webhook, CancellationToken cancellationToken)
    {
        db.Webhooks.Add(webhook);
        await db.SaveChangesAsync(cancellationToken);
        return StoreResult<Webhook>.Success(webhook);
    }

    public async Task<StoreResult<Webhook>> UpdateAsync(
        Guid id, Guid? expectedVersion, WebhookSettings settings, CancellationToken cancellationToken)
    {
        var webhook = await db.Webhooks.FirstOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (webhook is null)
        {
            return StoreResult<Webhook>.NotFound();
        }

        if (!db.ExpectVersion(webhook, expectedVersion))
        {
            return StoreResult<Webhook>.PreconditionFailed();
        }

        webhook.Update(
            settings.Name, settings.Url, settings.Secret, settings.MinimumSeverity, settings.AlertDefinitionIds, settings.Enabled,
            timeProvider.GetUtcNow().UtcDateTime);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return StoreResult<Webhook>.Success(webhook);
        }
        catch (DbUpdateConcurrencyException)
        {
            return StoreResult<Webhook>.PreconditionFailed();
        }
    }

    public async Task<StoreOutcome> DeleteAsync(Guid id, Guid? expectedVersion, CancellationToken cancellationToken)
    {
        var webhook = await db.Webhooks.FirstOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (webhook is null)
        {
            return StoreOutcome.NotFound;
        }

        if (!db.ExpectVersion(webhook, expectedVersion))
        {
            return StoreOutcome.PreconditionFailed;
        }

        // The database's cascade removes the deliveries; they are the webhook's history, not audited objects.
        db.Webhooks.Remove(webhook);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return StoreOutcome.Succeeded;
        }
        catch (DbUpdateConcurrencyException)
        {
            return StoreOutcome.PreconditionFailed;
        }
    }

    public Task<Page<WebhookDelivery>> ListDeliveriesAsync(
        Guid webhookId, WebhookDeliveryStatus? status, PageRequest page, CancellationToken cancellationToken)
    {
        var deliveries = db.WebhookDeliveries.AsNoTracking().Where(d => d.WebhookId == webhookId);
        if (status is { } wanted)
        {
            deliveries = deliveries.Where(d => d.Status == wanted);
        }

        return deliveries.OrderByDescending(d => d.Id).ToPageAsync(page, cancellationToken);
    }

    public async Task<IReadOnlyList<DueDelivery>> ClaimDueAsync(
        int limit, DateTime now, DateTime leaseUntil, CancellationToken cancellationToken)
    {
        var candidates = await Due(now).OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id)
            .Select(d => d.Id).Take(limit).ToListAsync(cancellationToken);
        var claimed = new List<long>(candidates.Count);
        foreach (var id in candidates)
        {
            // The conditions are checked again in the UPDATE itself: a dispatcher that took the row since the SELECT
            // leaves nothing to update here.
            var taken = await Due(now).Where(d => d.Id == id)
                .ExecuteUpdateAsync(update => update.SetProperty(d => d.LeasedUntil, leaseUntil), cancellationToken);
            if (taken == 1)
            {
                claimed.Add(id);
            }
        }

        if (claimed.Count == 0)
        {
            return [];
        }

        var due = await (
            from delivery in db.WebhookDeliveries.AsNoTracking()
            where claimed.Contains(delivery.Id)
            join webhook in db.Webhooks on delivery.WebhookId equals webhook.Id
            join change in db.AlertChanges on delivery.AlertChangeSequence equals change.Sequence
            orderby delivery.Id
            select new { delivery.Id, delivery.Rounds, WebhookId = webhook.Id, webhook.Url, webhook.Secret, webhook.Enabled, change.Message })
            .ToListAsync(cancellationToken);
        return [.. due.Select(d => new DueDelivery(
            d.Id, WebhookDelivery.MessageIdOf(d.Id), d.Rounds, d.WebhookId, d.Url, d.Secret, d.Enabled, d.Message))];
    }

    public async Task RecordRoundAsync(
        long deliveryId, IReadOnlyList<WebhookAttempt> attempts, bool delivered, TimeSpan? retryAfter, DateTime now,
        CancellationToken cancellationToken)
    {
        if (await db.WebhookDeliveries.FirstOrDefaultAsync(d => d.Id == deliveryId, cancellationToken) is { } delivery)
        {
            delivery.RecordRound(attempts, delivered, retryAfter, now);
            await SaveUnlessDeletedAsync(cancellationToken);
        }
    }

    public async Task AbandonAsync(long deliveryId, string reason, DateTime now, CancellationToken cancellationToken)
    {
        if (await db.WebhookDeliveries.FirstOrDefaultAsync(d => d.Id == deliveryId, cancellationToken) is { } delivery)
        {
            delivery.Abandon(reason, now);
            await SaveUnlessDeletedAsync(cancellationToken);
        }
    }

    /// <summary>A webhook deleted while its delivery was in flight took the delivery with it; there is nothing to record.</summary>
    private async Task SaveUnlessDeletedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
        }
    }

    private IQueryable<WebhookDelivery> Due(DateTime now) =>
        db.WebhookDeliveries.Where(d => d.Status == WebhookDeliveryStatus.Pending
            && d.NextAttemptAt <= now
            && (d.LeasedUntil == null || d.LeasedUntil < now));
}
