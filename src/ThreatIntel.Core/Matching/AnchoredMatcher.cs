namespace ThreatIntel.Core.Matching;

/// <summary>
/// <c>Equals</c>, <c>StartsWith</c> and <c>EndsWith</c> over plain strings: a hash look-up of the whole value, or of
/// its prefixes or suffixes of the key lengths present (<see cref="AnchoredTable"/>).
/// </summary>
internal sealed class AnchoredMatcher(AnchoredTable table) : IIocMatcher
{
    public static AnchoredMatcher Create(IEnumerable<MatchableIoc> iocs, StringComparer comparer, Anchor anchor)
    {
        var byValue = new Dictionary<string, MatchableIoc[]>(comparer);
        foreach (var ioc in iocs)
        {
            Postings.Add(byValue, ioc.Value, ioc);
        }

        return new AnchoredMatcher(new AnchoredTable(byValue, anchor, ordinal: ReferenceEquals(comparer, StringComparer.Ordinal)));
    }

    public void Match(string value, DateTime now, List<MatchableIoc> results) => table.Append(value, now, results);
}
