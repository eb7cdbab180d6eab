using ThreatIntel.Core.Alerts;

namespace ThreatIntel.Core.Webhooks;

public enum WebhookDeliveryStatus
{
    /// <summary>Waiting for its first or next attempt.</summary>
    Pending = 0,

    /// <summary>The receiver answered 2xx.</summary>
    Delivered = 1,

    /// <summary>Every attempt failed; no more are made.</summary>
    Failed = 2,
}

/// <summary>One HTTP request made for a delivery, and how the receiver answered it.</summary>
public sealed record WebhookAttempt(DateTime At, int DurationMs, int? StatusCode, string? Error);

/// <summary>
/// One alert change owed to one webhook: the outbox row, written in the same transaction as the alert change, that
/// the dispatcher works off until the receiver accepts it or the attempts run out.
/// </summary>
public sealed class WebhookDelivery
{
    private WebhookDelivery()
    {
    }

    public long Id { get; private set; }

    public Guid WebhookId { get; private set; }

    public long AlertChangeSequence { get; private set; }

    public AlertChangeKind Kind { get; private set; }

    public Guid AlertId { get; private set; }

    public WebhookDeliveryStatus Status { get; private set; }

    public DateTime CreatedAt { get; private set; }

    /// <summary>When the dispatcher may next try it.</summary>
    public DateTime NextAttemptAt { get; private set; }

    /// <summary>
    /// Until when one dispatcher holds it; another instance (or this one after a crash) takes it over only after this
    /// passes. Null when nobody holds it.
    /// </summary>
    public DateTime? LeasedUntil { get; private set; }

    /// <summary>How many rounds of attempts were made (a round retries quickly a few times before giving up).</summary>
    public int Rounds { get; private set; }

    public DateTime? CompletedAt { get; private set; }

    public List<WebhookAttempt> Attempts { get; private set; } = [];

    /// <summary>The Standard Webhooks message id: the same on every attempt, so a receiver can drop a repeat.</summary>
    public string MessageId => MessageIdOf(Id);

    public static string MessageIdOf(long deliveryId) => $"msg_{deliveryId}";

    public static WebhookDelivery For(Webhook webhook, AlertChange change) => new()
    {
        WebhookId = webhook.Id,
        AlertChangeSequence = change.Sequence,
        Kind = change.Kind,
        AlertId = change.AlertId,
        Status = WebhookDeliveryStatus.Pending,
        CreatedAt = change.At,
        NextAttemptAt = change.At,
    };

    /// <summary>Records a round of attempts: delivered, or scheduled again after <paramref name="retryAfter"/>, or failed when null.</summary>
    public void RecordRound(IReadOnlyList<WebhookAttempt> attempts, bool delivered, TimeSpan? retryAfter, DateTime now)
    {
        Attempts.AddRange(attempts);
        Rounds++;
        LeasedUntil = null;
        if (delivered)
        {
            Status = WebhookDeliveryStatus.Delivered;
            CompletedAt = now;
        }
        else if (retryAfter is { } delay)
        {
            NextAttemptAt = now + delay;
        }
        else
        {
            Status = WebhookDeliveryStatus.Failed;
            CompletedAt = now;
        }
    }

    /// <summary>
    /// Gives the delivery up without a request (its webhook was disabled after it was queued): failed, with the reason
    /// recorded as an attempt so that the deliveries list says why.
    /// </summary>
    public void Abandon(string reason, DateTime now)
    {
        Attempts.Add(new WebhookAttempt(now, 0, null, reason));
        LeasedUntil = null;
        Status = WebhookDeliveryStatus.Failed;
        CompletedAt = now;
    }
}
