using System.Collections.Concurrent;

namespace ThreatIntel.Infrastructure.Feeds;

/// <summary>
/// Serialises pushes to one feed within this process, so that a CI retry overlapping its first attempt waits for it
/// instead of failing. Pushes from other instances are caught by the feed's version instead (409).
/// </summary>
internal sealed class FeedPushLocks
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> locks = new(StringComparer.Ordinal);

    public async Task<IDisposable> AcquireAsync(string feed, CancellationToken cancellationToken)
    {
        var gate = locks.GetOrAdd(feed, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
