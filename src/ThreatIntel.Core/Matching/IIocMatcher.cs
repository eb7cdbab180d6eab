namespace ThreatIntel.Core.Matching;

/// <summary>
/// The IOCs of one type/action pair in the data structure suited to that pair. Implementations are immutable once
/// built, so any number of threads may match against them at once.
/// </summary>
internal interface IIocMatcher
{
    /// <summary>Appends every unexpired IOC that <paramref name="value"/> matches, each once.</summary>
    void Match(string value, DateTime now, List<MatchableIoc> results);
}
