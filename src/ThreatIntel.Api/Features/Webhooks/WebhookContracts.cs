using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Mvc;
using ThreatIntel.Api.Http;
using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Alerts;
using ThreatIntel.Core.Webhooks;

namespace ThreatIntel.Api.Features.Webhooks;

/// <summary>A webhook's settings: where alert changes are sent and which ones.</summary>
public sealed class WebhookRequest
{
    /// <summary>A name for people, at most 200 characters.</summary>
    /// <example>SOAR intake</example>
    public string? Name { get; init; }

    /// <summary>
    /// Where alert changes are POSTed: an absolute https (or http) URL without user info whose host resolves to public
    /// addresses only; private, loopback and link-local targets need <c>Webhooks:AllowedNetworks</c>.
    /// </summary>
    /// <example>https://soar.example.com/hooks/threatintel</example>
    public string? Url { get; init; }

    /// <summary>
    /// The signing secret, <c>whsec_</c> and the base64 of 24 to 64 random bytes. On create, a 32-byte secret is
    /// generated when it is left out; on update, leaving it out keeps the current one.
    /// </summary>
    /// <example>whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw</example>
    public string? Secret { get; init; }

    /// <summary>Only alerts at least this severe are sent; all when left out.</summary>
    /// <example>High</example>
    public Severity? MinimumSeverity { get; init; }

    /// <summary>Only alerts of these definitions are sent (at most 100); all when left out or empty.</summary>
    /// <example>[]</example>
    public IReadOnlyList<Guid>? AlertDefinitionIds { get; init; }

    /// <summary>Whether alert changes are sent; true when left out.</summary>
    /// <example>true</example>
    public bool? Enabled { get; init; }
}

/// <summary>A stored webhook; its secret is shown only in the response that created it.</summary>
public record WebhookResponse
{
    /// <summary>The webhook's id.</summary>
    /// <example>0193a5c4-7f2e-7a51-9b4e-3f1d2c0a9e10</example>
    public required Guid Id { get; init; }

    /// <summary>The name.</summary>
    /// <example>SOAR intake</example>
    public required string Name { get; init; }

    /// <summary>Where alert changes are POSTed.</summary>
    /// <example>https://soar.example.com/hooks/threatintel</example>
    public required string Url { get; init; }

    /// <summary>Only alerts at least this severe are sent; null for all.</summary>
    /// <example>High</example>
    public Severity? MinimumSeverity { get; init; }

    /// <summary>Only alerts of these definitions are sent; empty for all.</summary>
    public required IReadOnlyList<Guid> AlertDefinitionIds { get; init; }

    /// <summary>Whether alert changes are sent.</summary>
    /// <example>true</example>
    public required bool Enabled { get; init; }

    /// <summary>When the webhook was created (UTC).</summary>
    public required DateTime CreatedAt { get; init; }

    /// <summary>The key that created it.</summary>
    /// <example>bootstrap-admin</example>
    public required string CreatedBy { get; init; }

    /// <summary>When the webhook was last changed (UTC).</summary>
    public required DateTime UpdatedAt { get; init; }

    /// <summary>The key that last changed it.</summary>
    /// <example>bootstrap-admin</example>
    public required string UpdatedBy { get; init; }
}

/// <summary>A webhook just created, with its signing secret: store it now, it cannot be read again.</summary>
public sealed record CreatedWebhookResponse : WebhookResponse
{
    [SetsRequiredMembers]
    internal CreatedWebhookResponse(WebhookResponse webhook, string secret)
        : base(webhook) => Secret = secret;

    /// <summary>The secret the receiver verifies <c>webhook-signature</c> with.</summary>
    /// <example>whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw</example>
    public required string Secret { get; init; }
}

/// <summary>One alert change owed to a webhook, and every request made to deliver it.</summary>
public sealed class WebhookDeliveryResponse
{
    /// <summary>The delivery's id.</summary>
    /// <example>42</example>
    public required long Id { get; init; }

    /// <summary>The <c>webhook-id</c> header: the same on every attempt, so the receiver can drop repeats.</summary>
    /// <example>msg_42</example>
    public required string MessageId { get; init; }

    /// <summary>The alert change's sequence number, the <c>id</c> of the same event in the alert stream.</summary>
    /// <example>1017</example>
    public required long AlertChangeSequence { get; init; }

    /// <summary>The message type: <c>alert.raised</c>, <c>alert.updated</c> or <c>alert.triaged</c>.</summary>
    /// <example>alert.raised</example>
    public required string Type { get; init; }

    /// <summary>The alert the message is about.</summary>
    public required Guid AlertId { get; init; }

    /// <summary><c>Pending</c> (an attempt is due at <c>nextAttemptAt</c>), <c>Delivered</c> or <c>Failed</c>.</summary>
    /// <example>Delivered</example>
    public required WebhookDeliveryStatus Status { get; init; }

    /// <summary>How many rounds of attempts were made.</summary>
    /// <example>1</example>
    public required int Rounds { get; init; }

    /// <summary>When the alert change was committed (UTC).</summary>
    public required DateTime CreatedAt { get; init; }

    /// <summary>When the next round is due; null once the delivery is delivered or failed.</summary>
    public DateTime? NextAttemptAt { get; init; }

    /// <summary>When the delivery was delivered or given up; null while pending.</summary>
    public DateTime? CompletedAt { get; init; }

    /// <summary>Every request made, oldest first.</summary>
    public required IReadOnlyList<WebhookAttemptResponse> Attempts { get; init; }
}

/// <summary>One request made to deliver a message.</summary>
public sealed class WebhookAttemptResponse
{
    /// <summary>When it was sent (UTC); its <c>webhook-timestamp</c>.</summary>
    public required DateTime At { get; init; }

    /// <summary>How long the receiver took to answer, or until the request failed.</summary>
    /// <example>87</example>
    public required int DurationMs { get; init; }

    /// <summary>The receiver's HTTP status; null when no answer came.</summary>
    /// <example>200</example>
    public int? StatusCode { get; init; }

    /// <summary>Why no answer came (refused target, connection error, timeout); null when one came.</summary>
    public string? Error { get; init; }
}

/// <summary>The page of the webhook list.</summary>
public sealed class ListWebhooksParameters : PagingParameters;

/// <summary>Which deliveries of a webhook to list.</summary>
public sealed class ListWebhookDeliveriesParameters : PagingParameters
{
    /// <summary>Only deliveries in this status.</summary>
    /// <example>Failed</example>
    [FromQuery(Name = "status")]
    public WebhookDeliveryStatus? Status { get; init; }
}

internal static class WebhookMapping
{
    public static WebhookResponse ToResponse(this Webhook webhook) => new()
    {
        Id = webhook.Id,
        Name = webhook.Name,
        Url = webhook.Url,
        MinimumSeverity = webhook.MinimumSeverity,
        AlertDefinitionIds = webhook.AlertDefinitionIds,
        Enabled = webhook.Enabled,
        CreatedAt = webhook.CreatedAt,
        CreatedBy = webhook.CreatedBy,
        UpdatedAt = webhook.UpdatedAt,
        UpdatedBy = webhook.UpdatedBy,
    };

    public static CreatedWebhookResponse ToCreatedResponse(this Webhook webhook) => new(webhook.ToResponse(), webhook.Secret);

    public static WebhookSettings ToSettings(this WebhookRequest request) => new(
        request.Name!.Trim(),
        request.Url!.Trim(),
        request.Secret,
        request.MinimumSeverity,
        request.AlertDefinitionIds ?? [],
        request.Enabled ?? true);

    public static WebhookDeliveryResponse ToResponse(this WebhookDelivery delivery) => new()
    {
        Id = delivery.Id,
        MessageId = delivery.MessageId,
        AlertChangeSequence = delivery.AlertChangeSequence,
        Type = AlertChangeMessage.TypeOf(delivery.Kind),
        AlertId = delivery.AlertId,
        Status = delivery.Status,
        Rounds = delivery.Rounds,
        CreatedAt = delivery.CreatedAt,
        NextAttemptAt = delivery.Status == WebhookDeliveryStatus.Pending ? delivery.NextAttemptAt : null,
        CompletedAt = delivery.CompletedAt,
        Attempts = [.. delivery.Attempts.Select(attempt => new WebhookAttemptResponse
        {
            At = attempt.At,
            DurationMs = attempt.DurationMs,
            StatusCode = attempt.StatusCode,
            Error = attempt.Error,
        })],
    };
}
