namespace ThreatIntel.Core.Matching;

/// <summary>
/// Wakes the index rebuilder when this instance commits a change. Signals that arrive while a rebuild is pending
/// collapse into one, since a single rebuild picks up all of them.
/// </summary>
public sealed class MatchingRefreshSignal : IMatchingChangeNotifier, IDisposable
{
    private readonly SemaphoreSlim _pending = new(0, 1);

    public void ContentChanged()
    {
        try
        {
            _pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // A rebuild is already pending and will see this change too.
        }
    }

    /// <summary>Waits for a signal or the timeout; true when signalled.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _pending.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _pending.Dispose();
}
