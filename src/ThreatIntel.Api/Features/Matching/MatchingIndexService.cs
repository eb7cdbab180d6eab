using System.Diagnostics;
using Microsoft.Extensions.Options;
using ThreatIntel.Api.Observability;
using ThreatIntel.Core.Matching;

namespace ThreatIntel.Api.Features.Matching;

/// <summary>
/// Builds the matching index from the database when the service starts and rebuilds it whenever definitions or IOCs
/// change: at once after a change through this instance, and within <see cref="MatchingOptions.RefreshIntervalSeconds"/>
/// after a change through any other instance sharing the database (its change stamp is polled). A round that fails
/// releases no writer waiting for it (<see cref="MatchingRefreshSignal.WaitForRefreshAsync"/>): the next one may.
/// </summary>
internal sealed partial class MatchingIndexService(
    IServiceScopeFactory scopes,
    MatchingIndexHolder holder,
    MatchingRefreshSignal signal,
    IOptions<MatchingOptions> options,
    TimeProvider timeProvider,
    ThreatIntelMetrics metrics,
    ILogger<MatchingIndexService> logger) : BackgroundService
{
    private long _version;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.RefreshIntervalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var covered = signal.BeginRound();
                await RefreshAsync(stoppingToken);
                signal.RoundCompleted(covered);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The previous index keeps serving; the next round tries again.
                LogRefreshFailed(exception);
            }

            try
            {
                await signal.WaitAsync(interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var source = scope.ServiceProvider.GetRequiredService<IMatchableIocSource>();

        // The stamp is read before the IOCs: a change committed in between makes the next round rebuild again rather
        // than be missed.
        var stamp = await source.GetChangeStampAsync(cancellationToken);
        if (holder.Current is { } current && current.ChangeStamp == stamp)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var iocs = await source.LoadAsync(cancellationToken);
        var index = IocIndex.Build(iocs, Interlocked.Increment(ref _version));
        var duration = Stopwatch.GetElapsedTime(started);

        // Recorded before the swap, so that a scrape showing the new index also counts its build.
        metrics.IndexBuilt(duration);
        holder.Swap(new MatchingIndexState(index, stamp, timeProvider.GetUtcNow().UtcDateTime, duration));
        LogBuilt(index.Version, index.Count, duration.TotalMilliseconds);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Matching index {Version} built: {IocCount} IOCs in {DurationMs:0.0} ms")]
    private partial void LogBuilt(long version, int iocCount, double durationMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rebuilding the matching index failed; the previous index keeps serving")]
    private partial void LogRefreshFailed(Exception exception);
}
