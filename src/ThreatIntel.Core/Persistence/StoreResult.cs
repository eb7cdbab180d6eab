namespace ThreatIntel.Core.Persistence;

public enum StoreOutcome
{
    Succeeded,
    NotFound,

    /// <summary>The change would duplicate an existing object; <see cref="StoreResult{T}.ConflictingId"/> names it.</summary>
    Conflict,

    /// <summary>The caller's expected version (HTTP <c>If-Match</c>) is no longer current.</summary>
    PreconditionFailed,
}

/// <summary>The outcome of a write: the stored object, or why nothing was written.</summary>
public sealed record StoreResult<T>(StoreOutcome Outcome, T? Value = default, Guid? ConflictingId = null)
{
    public static StoreResult<T> Success(T value) => new(StoreOutcome.Succeeded, value);

    public static StoreResult<T> NotFound() => new(StoreOutcome.NotFound);

    public static StoreResult<T> Conflict(Guid conflictingId) => new(StoreOutcome.Conflict, ConflictingId: conflictingId);

    public static StoreResult<T> PreconditionFailed() => new(StoreOutcome.PreconditionFailed);
}
