using System.Collections.Concurrent;
using ThreatIntel.Infrastructure.Persistence;

namespace ThreatIntel.Infrastructure.Feeds;

/// <summary>
/// Serialises pushes to one feed within this process, so that a CI retry overlapping its first attempt waits for it
/// instead of failing. Pushes from other instances are caught by the feed's version instead (409).
/// </summary>
internal sealed class FeedPushLocks
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> locks = new(StringComparer.Ordinal);

    public Task<IDisposable> AcquireAsync(string feed, CancellationToken cancellationToken) =>
        SemaphoreTurn.TakeAsync(locks.GetOrAdd(feed, _ => new SemaphoreSlim(1, 1)), cancellationToken);
}
