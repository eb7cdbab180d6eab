namespace ThreatIntel.Core.Matching;

/// <summary>
/// Wakes the index rebuilder when this instance commits a change, and lets a writer wait until the index includes its
/// change. Signals that arrive while a rebuild is pending collapse into one, since a single rebuild picks up all of
/// them.
/// </summary>
public sealed class MatchingRefreshSignal : IMatchingChangeNotifier, IDisposable
{
    private static readonly AsyncLocal<ChangeTracking?> CurrentTracking = new();

    private readonly SemaphoreSlim _pending = new(0, 1);
    private readonly Lock _gate = new();
    private readonly List<Waiter> _waiters = [];
    private long _lastTicket;

    public void ContentChanged()
    {
        CurrentTracking.Value?.Note();
        try
        {
            _pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // A rebuild is already pending and will see this change too.
        }
    }

    /// <summary>
    /// Notes from now on whether the caller's asynchronous flow (one request and everything it awaits) commits a change
    /// to what the index holds, so that only such a request waits for the index (<see cref="WaitForRefreshAsync"/>).
    /// </summary>
    public ChangeTracking TrackChanges() => CurrentTracking.Value = new ChangeTracking();

    /// <summary>Waits for a signal or the timeout; true when signalled.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _pending.WaitAsync(timeout, cancellationToken);

    /// <summary>
    /// Wakes the rebuilder and waits until a refresh round that began after this call has completed, so that the index
    /// reflects everything committed before the call. False when <paramref name="timeout"/> passed first.
    /// </summary>
    public async Task<bool> WaitForRefreshAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_gate)
        {
            waiter = new Waiter(++_lastTicket);
            _waiters.Add(waiter);
        }

        ContentChanged();
        try
        {
            await waiter.Refreshed.Task.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            lock (_gate)
            {
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>
    /// Called by the rebuilder before it reads the database for a round; the round, once completed, covers every waiter
    /// up to the ticket returned.
    /// </summary>
    public long BeginRound()
    {
        lock (_gate)
        {
            return _lastTicket;
        }
    }

    /// <summary>Called by the rebuilder when a round that began with <paramref name="coveredTicket"/> has completed.</summary>
    public void RoundCompleted(long coveredTicket)
    {
        lock (_gate)
        {
            foreach (var waiter in _waiters.Where(w => w.Ticket <= coveredTicket))
            {
                waiter.Refreshed.TrySetResult();
            }
        }
    }

    public void Dispose() => _pending.Dispose();

    /// <summary>Whether the flow that asked for it has changed what the index holds.</summary>
    public sealed class ChangeTracking
    {
        public bool ContentChanged { get; private set; }

        internal void Note() => ContentChanged = true;
    }

    private sealed record Waiter(long Ticket)
    {
        public TaskCompletionSource Refreshed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
