namespace ThreatIntel.Core.Matching;

/// <summary>
/// <c>Contains</c>: every IOC value that occurs in the observed value, found in one multi-pattern pass rather than
/// one search per IOC.
/// </summary>
internal sealed class ContainsMatcher(SubstringSearch<MatchableIoc[]> search) : IIocMatcher
{
    public static ContainsMatcher Create(IEnumerable<MatchableIoc> iocs, StringComparison comparison)
    {
        var byValue = new Dictionary<string, MatchableIoc[]>(StringComparer.FromComparison(comparison));
        foreach (var ioc in iocs)
        {
            Postings.Add(byValue, ioc.Value, ioc);
        }

        return new ContainsMatcher(new SubstringSearch<MatchableIoc[]>(byValue, comparison));
    }

    public void Match(string value, DateTime now, List<MatchableIoc> results)
    {
        if (search.FindAll(value) is not { } found)
        {
            return;
        }

        foreach (var iocs in found)
        {
            Postings.AppendLive(iocs, now, results);
        }
    }
}
