using ThreatIntel.Infrastructure.Persistence;

namespace ThreatIntel.Infrastructure.Alerts;

/// <summary>
/// Lets one alert write at a time into SQLite from this process. SQLite has one writer at a time anyway, and a
/// connection that finds the database locked polls for it with <c>Thread.Sleep</c>: concurrent requests would block
/// thread-pool threads and wake late, while waiting here is asynchronous and hands over at once.
/// </summary>
internal sealed class AlertWriteGate
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public Task<IDisposable> EnterAsync(CancellationToken cancellationToken) => SemaphoreTurn.TakeAsync(_gate, cancellationToken);
}
