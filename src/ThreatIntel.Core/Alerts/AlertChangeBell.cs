namespace ThreatIntel.Core.Alerts;

/// <summary>
/// Rings when this instance commits alert changes, waking every stream and the webhook dispatcher at once instead of
/// at their next poll. Changes committed by other instances are found by that poll.
/// </summary>
public sealed class AlertChangeBell
{
    private TaskCompletionSource _next = NewRound();

    /// <summary>Completes at the next ring; take it before reading the log, so a ring in between is not missed.</summary>
    public Task NextRing => Volatile.Read(ref _next).Task;

    public void Ring() => Interlocked.Exchange(ref _next, NewRound()).TrySetResult();

    private static TaskCompletionSource NewRound() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
