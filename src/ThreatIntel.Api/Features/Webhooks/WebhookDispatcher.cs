using System.Text;
using Microsoft.Extensions.Options;
using ThreatIntel.Api.Observability;
using ThreatIntel.Core.Alerts;
using ThreatIntel.Core.Webhooks;

namespace ThreatIntel.Api.Features.Webhooks;

/// <summary>
/// Works off the webhook outbox. It claims due deliveries under a lease (so instances sharing the database never send
/// one twice at the same time, and a crashed instance's deliveries are taken over once its lease runs out), sends
/// each as one round — the first attempt and up to <see cref="WebhookOptions.RetryAttempts"/> quick retries — and
/// records the round: delivered on a 2xx, otherwise another round after a doubling back-off, or failed after
/// <see cref="WebhookOptions.MaxRounds"/>. It wakes when this instance commits an alert change, when a delivery slot
/// frees up while all were busy, and every <see cref="WebhookOptions.PollIntervalSeconds"/>.
/// </summary>
internal sealed partial class WebhookDispatcher(
    IServiceScopeFactory scopes,
    IHttpClientFactory httpClients,
    AlertChangeBell bell,
    IOptions<WebhookOptions> options,
    ThreatIntelMetrics metrics,
    TimeProvider timeProvider,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "ThreatIntel.Webhooks";
    private const string DisabledReason = "Not sent: the webhook was disabled after this message was queued.";

    private readonly WebhookOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.DispatcherEnabled)
        {
            return;
        }

        var pollInterval = TimeSpan.FromSeconds(_options.PollIntervalSeconds);
        var inFlight = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            // Taken before the outbox is read, so that a commit in between wakes the wait below at once.
            var ring = bell.NextRing;
            inFlight.RemoveAll(delivery => delivery.IsCompleted);
            var free = Math.Min(_options.MaxParallelDeliveries - inFlight.Count, _options.BatchSize);
            if (free > 0)
            {
                var claimed = await ClaimAsync(free, stoppingToken);
                inFlight.AddRange(claimed.Select(delivery => DeliverAsync(delivery, stoppingToken)));
                if (claimed.Count == free)
                {
                    // More may be due: claim again, or wait for a free slot if all are busy now.
                    continue;
                }
            }

            using var wakeUp = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            List<Task> wakers = [ring, Task.Delay(pollInterval, timeProvider, wakeUp.Token)];
            if (inFlight.Count >= _options.MaxParallelDeliveries)
            {
                wakers.Add(Task.WhenAny(inFlight));
            }

            await Task.WhenAny(wakers);
            await wakeUp.CancelAsync();
        }

        // Each delivery handles its own failures; one cut off by the shutdown is taken up again when its lease runs out.
        await Task.WhenAll(inFlight);
    }

    private async Task<IReadOnlyList<DueDelivery>> ClaimAsync(int limit, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var now = timeProvider.GetUtcNow().UtcDateTime;
            return await scope.ServiceProvider.GetRequiredService<IWebhookRepository>()
                .ClaimDueAsync(limit, now, now.AddSeconds(_options.LeaseSeconds), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return [];
        }
        catch (Exception exception)
        {
            // The database may be briefly unavailable; the next poll tries again.
            LogClaimFailed(exception);
            return [];
        }
    }

    private async Task DeliverAsync(DueDelivery delivery, CancellationToken stoppingToken)
    {
        // Returns to the loop at once, so it can claim more while this delivery is sent.
        await Task.Yield();
        var started = timeProvider.GetTimestamp();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var repository = scope.ServiceProvider.GetRequiredService<IWebhookRepository>();
            if (!delivery.WebhookEnabled)
            {
                await repository.AbandonAsync(delivery.Id, DisabledReason, timeProvider.GetUtcNow().UtcDateTime, stoppingToken);
                metrics.WebhookDelivery(WebhookDeliveryOutcome.Failed, timeProvider.GetElapsedTime(started));
                LogAbandoned(delivery.Id, delivery.WebhookId);
                return;
            }

            var log = new WebhookAttemptLog(delivery.MessageId, delivery.Secret, delivery.Body);
            var delivered = await SendAsync(delivery, log, stoppingToken);
            stoppingToken.ThrowIfCancellationRequested();

            var round = delivery.RoundsSoFar + 1;
            var retryAfter = delivered ? null : _options.BackoffAfter(round);
            await repository.RecordRoundAsync(
                delivery.Id, log.Attempts, delivered, retryAfter, timeProvider.GetUtcNow().UtcDateTime, stoppingToken);

            var outcome = delivered ? WebhookDeliveryOutcome.Delivered
                : retryAfter is null ? WebhookDeliveryOutcome.Failed
                : WebhookDeliveryOutcome.RetryScheduled;
            metrics.WebhookDelivery(outcome, timeProvider.GetElapsedTime(started));
            if (outcome == WebhookDeliveryOutcome.RetryScheduled)
            {
                LogRoundFailed(delivery.Id, delivery.WebhookId, round, LastOutcome(log), retryAfter!.Value.TotalSeconds);
            }
            else if (outcome == WebhookDeliveryOutcome.Failed)
            {
                LogDeliveryFailed(delivery.Id, delivery.WebhookId, round, LastOutcome(log));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the round is not recorded, and the delivery is taken up again when its lease runs out.
        }
        catch (Exception exception)
        {
            // Most likely the round could not be recorded; the lease runs out and the round is repeated.
            LogDeliveryError(exception, delivery.Id, delivery.WebhookId);
        }
    }

    /// <summary>Sends one round; the attempts land in <paramref name="log"/>, even those that ended in an exception.</summary>
    private async Task<bool> SendAsync(DueDelivery delivery, WebhookAttemptLog log, CancellationToken stoppingToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
        };
        request.Options.Set(WebhookAttemptLog.Key, log);
        try
        {
            using var client = httpClients.CreateClient(HttpClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stoppingToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            if (log.Attempts.Count == 0)
            {
                // Failed before a request could be made (the round's time ran out while waiting to retry, say).
                log.Add(new WebhookAttempt(timeProvider.GetUtcNow().UtcDateTime, 0, null, WebhookAttemptLog.Describe(exception)));
            }

            return false;
        }
    }

    private static string LastOutcome(WebhookAttemptLog log) => log.Attempts is [.., var last]
        ? last.StatusCode is { } status ? $"HTTP {status}" : last.Error ?? "no answer"
        : "no attempt";

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Webhook delivery {DeliveryId} to webhook {WebhookId} failed round {Round} ({LastOutcome}); the next round starts in {RetryAfterSeconds} s")]
    private partial void LogRoundFailed(long deliveryId, Guid webhookId, int round, string lastOutcome, double retryAfterSeconds);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Webhook delivery {DeliveryId} to webhook {WebhookId} failed after {Rounds} rounds ({LastOutcome}) and is given up")]
    private partial void LogDeliveryFailed(long deliveryId, Guid webhookId, int rounds, string lastOutcome);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Webhook delivery {DeliveryId} was not sent: webhook {WebhookId} was disabled after it was queued")]
    private partial void LogAbandoned(long deliveryId, Guid webhookId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Claiming due webhook deliveries failed; the next poll tries again")]
    private partial void LogClaimFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Webhook delivery {DeliveryId} to webhook {WebhookId} broke off; it is retried when its lease runs out")]
    private partial void LogDeliveryError(Exception exception, long deliveryId, Guid webhookId);
}
