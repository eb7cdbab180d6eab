namespace ThreatIntel.Infrastructure.Persistence;

/// <summary>A turn at a <see cref="SemaphoreSlim"/> that is given back once, however often it is disposed.</summary>
internal sealed class SemaphoreTurn : IDisposable
{
    private readonly SemaphoreSlim _semaphore;
    private int _released;

    private SemaphoreTurn(SemaphoreSlim semaphore) => _semaphore = semaphore;

    public static async Task<IDisposable> TakeAsync(SemaphoreSlim semaphore, CancellationToken cancellationToken)
    {
        await semaphore.WaitAsync(cancellationToken);
        return new SemaphoreTurn(semaphore);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _semaphore.Release();
        }
    }
}
