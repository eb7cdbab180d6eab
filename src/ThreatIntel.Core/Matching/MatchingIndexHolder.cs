namespace ThreatIntel.Core.Matching;

/// <summary>One built index and what it was built from.</summary>
/// <param name="Index">The index; immutable.</param>
/// <param name="ChangeStamp">The database's change stamp read before the IOCs were loaded.</param>
/// <param name="BuiltAt">When the build finished (UTC).</param>
/// <param name="BuildDuration">How long loading and building took.</param>
public sealed record MatchingIndexState(IocIndex Index, Guid ChangeStamp, DateTime BuiltAt, TimeSpan BuildDuration);

/// <summary>
/// The index every request matches against. A rebuilt index replaces the previous one in a single reference swap, so
/// a request that has read <see cref="Current"/> keeps one consistent version however long it runs.
/// </summary>
public sealed class MatchingIndexHolder
{
    private MatchingIndexState? _current;

    /// <summary>The latest index, or null until the first build has finished.</summary>
    public MatchingIndexState? Current => Volatile.Read(ref _current);

    public void Swap(MatchingIndexState state) => Volatile.Write(ref _current, state);
}
