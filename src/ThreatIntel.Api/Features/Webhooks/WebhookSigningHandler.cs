using System.Net.Sockets;
using ThreatIntel.Api.Observability;
using ThreatIntel.Core.Webhooks;

namespace ThreatIntel.Api.Features.Webhooks;

/// <summary>What one round of a delivery sends, and the attempts it made; travels with the request through the handlers.</summary>
internal sealed class WebhookAttemptLog(string messageId, string secret, string body)
{
    public static readonly HttpRequestOptionsKey<WebhookAttemptLog> Key = new("ThreatIntel.WebhookAttemptLog");

    private readonly Lock _lock = new();
    private readonly List<WebhookAttempt> _attempts = [];

    public string MessageId => messageId;

    public string Secret => secret;

    public string Body => body;

    public IReadOnlyList<WebhookAttempt> Attempts
    {
        get
        {
            lock (_lock)
            {
                return [.. _attempts];
            }
        }
    }

    public void Add(WebhookAttempt attempt)
    {
        lock (_lock)
        {
            _attempts.Add(attempt);
        }
    }

    /// <summary>Why a request failed without an answer, as the deliveries list shows it.</summary>
    public static string Describe(Exception exception) => exception switch
    {
        HttpRequestException { InnerException: WebhookTargetRefusedException refused } => $"Refused target: {refused.Message}",
        WebhookTargetRefusedException refused => $"Refused target: {refused.Message}",
        OperationCanceledException or Polly.Timeout.TimeoutRejectedException => "No answer within the request timeout.",
        HttpRequestException { InnerException: { } inner and (SocketException or IOException) } http when inner.Message != http.Message =>
            $"{http.Message} {inner.Message}",
        _ => exception.Message,
    };
}

/// <summary>
/// Signs each attempt and records it. It sits inside the resilience handler, so every retry is signed with its own
/// <c>webhook-timestamp</c> (a receiver refusing stale timestamps accepts a late retry) under the same
/// <c>webhook-id</c>, and every attempt, not only the last, reaches the deliveries list.
/// </summary>
internal sealed class WebhookSigningHandler(TimeProvider timeProvider, ThreatIntelMetrics metrics) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(WebhookAttemptLog.Key, out var log))
        {
            throw new InvalidOperationException("A webhook request must carry its WebhookAttemptLog.");
        }

        var sentAt = timeProvider.GetUtcNow();
        var timestamp = sentAt.ToUnixTimeSeconds();
        request.Headers.Remove(WebhookSignature.IdHeader);
        request.Headers.Remove(WebhookSignature.TimestampHeader);
        request.Headers.Remove(WebhookSignature.SignatureHeader);
        request.Headers.TryAddWithoutValidation(WebhookSignature.IdHeader, log.MessageId);
        request.Headers.TryAddWithoutValidation(
            WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(
            WebhookSignature.SignatureHeader, WebhookSignature.Sign(log.Secret, log.MessageId, timestamp, log.Body));

        var started = timeProvider.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            log.Add(new WebhookAttempt(sentAt.UtcDateTime, ElapsedMs(started), (int)response.StatusCode, null));
            metrics.WebhookAttempt(response.IsSuccessStatusCode);
            return response;
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
        {
            log.Add(new WebhookAttempt(sentAt.UtcDateTime, ElapsedMs(started), null, WebhookAttemptLog.Describe(exception)));
            metrics.WebhookAttempt(success: false);
            throw;
        }
    }

    private int ElapsedMs(long started) => (int)Math.Min(int.MaxValue, timeProvider.GetElapsedTime(started).TotalMilliseconds);
}
