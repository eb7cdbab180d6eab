using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Persistence;

namespace ThreatIntel.Core.Webhooks;

/// <summary>What a client sets on a webhook; a null <see cref="Secret"/> on update keeps the current one.</summary>
public sealed record WebhookSettings(
    string Name, string Url, string? Secret, Severity? MinimumSeverity, IReadOnlyCollection<Guid> AlertDefinitionIds, bool Enabled);

/// <summary>A delivery the dispatcher holds the lease of, with what it needs to send it.</summary>
public sealed record DueDelivery(
    long Id, string MessageId, int RoundsSoFar, Guid WebhookId, string Url, string Secret, bool WebhookEnabled, string Body);

public interface IWebhookRepository
{
    Task<Page<Webhook>> ListAsync(PageRequest page, CancellationToken cancellationToken);

    Task<Webhook?> FindAsync(Guid id, CancellationToken cancellationToken);

    Task<StoreResult<Webhook>> AddAsync(Webhook webhook, CancellationToken cancellationToken);

    /// <summary>Replaces the settings; a stale <paramref name="expectedVersion"/> fails with PreconditionFailed.</summary>
    Task<StoreResult<Webhook>> UpdateAsync(Guid id, Guid? expectedVersion, WebhookSettings settings, CancellationToken cancellationToken);

    /// <summary>Deletes the webhook and its deliveries.</summary>
    Task<StoreOutcome> DeleteAsync(Guid id, Guid? expectedVersion, CancellationToken cancellationToken);

    /// <summary>The webhook's deliveries, newest first, optionally of one status.</summary>
    Task<Page<WebhookDelivery>> ListDeliveriesAsync(
        Guid webhookId, WebhookDeliveryStatus? status, PageRequest page, CancellationToken cancellationToken);

    /// <summary>
    /// Takes up to <paramref name="limit"/> pending deliveries that are due and that nobody holds (or whose holder's
    /// lease ran out), leasing each until <paramref name="leaseUntil"/>. Each is taken by a conditional update, so of
    /// several dispatchers sharing the database exactly one gets it.
    /// </summary>
    Task<IReadOnlyList<DueDelivery>> ClaimDueAsync(int limit, DateTime now, DateTime leaseUntil, CancellationToken cancellationToken);

    /// <summary>Records a round of attempts (see <see cref="WebhookDelivery.RecordRound"/>); nothing when the delivery is gone.</summary>
    Task RecordRoundAsync(
        long deliveryId, IReadOnlyList<WebhookAttempt> attempts, bool delivered, TimeSpan? retryAfter, DateTime now, CancellationToken cancellationToken);

    /// <summary>Gives a delivery up without sending it (see <see cref="WebhookDelivery.Abandon"/>).</summary>
    Task AbandonAsync(long deliveryId, string reason, DateTime now, CancellationToken cancellationToken);
}
