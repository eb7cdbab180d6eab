namespace ThreatIntel.Core.Matching;

/// <summary>Where the matching index gets its IOCs and learns that they changed.</summary>
public interface IMatchableIocSource
{
    /// <summary>
    /// A value that changes with every committed change to definitions or IOCs, by any instance sharing the database.
    /// </summary>
    Task<Guid> GetChangeStampAsync(CancellationToken cancellationToken);

    /// <summary>The enabled IOCs of enabled definitions (expired ones included: expiry is decided at match time).</summary>
    Task<IReadOnlyList<MatchableIoc>> LoadAsync(CancellationToken cancellationToken);
}

/// <summary>Tells the matching index that this instance has just committed a change, so it need not wait to poll.</summary>
public interface IMatchingChangeNotifier
{
    void ContentChanged();
}
