namespace ThreatIntel.Core.Matching;

/// <summary>
/// <c>DomainName</c>/<c>EndsWith</c>: the domain itself and each parent on a label boundary
/// (<c>a.b.evil.com</c>, <c>b.evil.com</c>, <c>evil.com</c>, <c>com</c>) is looked up once, so <c>evil.com</c> matches
/// its sub-domains but never <c>notevil.com</c>, at a cost that depends on the observed domain, not on the IOC count.
/// </summary>
internal sealed class DomainSuffixMatcher(StringTable<MatchableIoc[]> byDomain) : IIocMatcher
{
    public static DomainSuffixMatcher Create(IEnumerable<MatchableIoc> iocs)
    {
        var byValue = new Dictionary<string, MatchableIoc[]>(StringComparer.Ordinal);
        foreach (var ioc in iocs)
        {
            Postings.Add(byValue, ioc.Value, ioc);
        }

        return new DomainSuffixMatcher(new StringTable<MatchableIoc[]>(byValue));
    }

    public void Match(string value, DateTime now, List<MatchableIoc> results)
    {
        var domain = value.AsSpan();
        while (true)
        {
            if (byDomain.TryGetValue(domain, out var iocs))
            {
                Postings.AppendLive(iocs, now, results);
            }

            var dot = domain.IndexOf('.');
            if (dot < 0)
            {
                return;
            }

            domain = domain[(dot + 1)..];
        }
    }
}
