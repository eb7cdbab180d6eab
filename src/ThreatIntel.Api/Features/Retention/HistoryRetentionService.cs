using Microsoft.Extensions.Options;
using ThreatIntel.Core.Persistence;

namespace ThreatIntel.Api.Features.Retention;

/// <summary>
/// Purges the alert change log and finished webhook deliveries past their retention, once at start-up and then every
/// <see cref="RetentionOptions.PurgeIntervalMinutes"/>: both grow with every alert raised or added to, and without a
/// purge the database would grow without bound under a steady flow of events. Several instances may purge at once;
/// the deletes do not conflict.
/// </summary>
internal sealed partial class HistoryRetentionService(
    IServiceScopeFactory scopes,
    IOptions<RetentionOptions> options,
    TimeProvider timeProvider,
    ILogger<HistoryRetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.PurgeIntervalMinutes == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(settings.PurgeIntervalMinutes), timeProvider);
        do
        {
            try
            {
                await PurgeAsync(settings, stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogPurgeFailed(exception);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private async Task PurgeAsync(RetentionOptions settings, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var purged = await scope.ServiceProvider.GetRequiredService<IHistoryRetention>().PurgeAsync(
            now - TimeSpan.FromHours(settings.AlertChangesHours),
            now - TimeSpan.FromHours(settings.WebhookDeliveriesHours),
            settings.BatchSize,
            cancellationToken);
        if (purged.AlertChanges + purged.WebhookDeliveries > 0)
        {
            LogPurged(purged.AlertChanges, purged.WebhookDeliveries);
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: purged {AlertChanges} alert change(s) and {WebhookDeliveries} finished webhook deliveries")]
    private partial void LogPurged(int alertChanges, int webhookDeliveries);

    [LoggerMessage(Level = LogLevel.Error, Message = "Purging the alert change log and webhook deliveries failed; the next round tries again")]
    private partial void LogPurgeFailed(Exception exception);
}
