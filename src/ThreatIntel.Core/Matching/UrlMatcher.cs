namespace ThreatIntel.Core.Matching;

/// <summary>
/// <c>Url</c>/<c>Equals</c> and <c>Url</c>/<c>StartsWith</c>. IOC values with a scheme are compared with the whole
/// observed URL; values without one (<c>evil.com/payload</c>) match any scheme, so they are kept apart and compared
/// with the observed URL after its <c>scheme://</c>.
/// </summary>
internal sealed class UrlMatcher(AnchoredTable withScheme, AnchoredTable withoutScheme) : IIocMatcher
{
    public static UrlMatcher Create(IEnumerable<MatchableIoc> iocs, Anchor anchor)
    {
        var withScheme = new Dictionary<string, MatchableIoc[]>(StringComparer.Ordinal);
        var withoutScheme = new Dictionary<string, MatchableIoc[]>(StringComparer.Ordinal);
        foreach (var ioc in iocs)
        {
            Postings.Add(UrlScheme.PrefixLength(ioc.Value) > 0 ? withScheme : withoutScheme, ioc.Value, ioc);
        }

        return new UrlMatcher(
            new AnchoredTable(withScheme, anchor, ordinal: true), new AnchoredTable(withoutScheme, anchor, ordinal: true));
    }

    public void Match(string value, DateTime now, List<MatchableIoc> results)
    {
        withScheme.Append(value, now, results);
        withoutScheme.Append(value.AsSpan(UrlScheme.PrefixLength(value)), now, results);
    }
}
