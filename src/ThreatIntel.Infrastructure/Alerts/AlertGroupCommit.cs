using ThreatIntel.Core.Alerts;
using ThreatIntel.Infrastructure.Persistence;

namespace ThreatIntel.Infrastructure.Alerts;

/// <summary>
/// Group commit of the alerts the evaluations in flight raise. Each request queues its alerts and waits for the turn to
/// write; whoever has the turn writes everything queued by then in one transaction, so a burst of requests costs one
/// commit (one fsync) instead of one each, and a request whose alerts were written in another's turn gives its own up
/// at once. One writer at a time also suits SQLite, whose connections wait for a lock with <c>Thread.Sleep</c>.
/// </summary>
internal sealed class AlertGroupCommit
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly Lock _sync = new();
    private List<QueuedAlerts> _queued = [];

    public void Queue(QueuedAlerts alerts)
    {
        lock (_sync)
        {
            _queued.Add(alerts);
        }
    }

    /// <summary>
    /// Not cancellable: queued alerts are written by whoever takes the next turn, so a client that goes away does not
    /// leave its alerts behind without a writer.
    /// </summary>
    public Task<IDisposable> TakeTurnAsync() => SemaphoreTurn.TakeAsync(_turn, CancellationToken.None);

    /// <summary>Everything queued so far, in arrival order; the queue is left empty.</summary>
    public List<QueuedAlerts> TakeQueued()
    {
        lock (_sync)
        {
            var taken = _queued;
            _queued = [];
            return taken;
        }
    }
}

/// <summary>The alerts of one request, waiting to be written, and the alert each (definition, IOC, device) got.</summary>
internal sealed class QueuedAlerts(IReadOnlyList<AlertMatch> groups, DateTime seenAt)
{
    public IReadOnlyList<AlertMatch> Groups => groups;

    public DateTime SeenAt => seenAt;

    public TaskCompletionSource<IReadOnlyDictionary<AlertKey, WrittenAlert>> Written { get; } =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>What alerts aggregate on: at most one alert per key is open.</summary>
internal readonly record struct AlertKey(Guid AlertDefinitionId, Guid IocId, string DeviceId)
{
    public static AlertKey Of(AlertMatch match) => new(match.AlertDefinitionId, match.IocId, match.DeviceId);

    public static AlertKey Of(Alert alert) => new(alert.AlertDefinitionId, alert.IocId, alert.DeviceId);
}

/// <summary>The alert a match was written to, and whether the match raised it or added to it.</summary>
internal readonly record struct WrittenAlert(Guid Id, AlertChangeKind Kind);
