namespace ThreatIntel.Core.Matching;

/// <summary>
/// <c>Url</c>/<c>Equals</c> and <c>Url</c>/<c>StartsWith</c>. IOC values with a scheme are compared with the whole
/// observed URL; values without one (<c>evil.com/payload</c>) match any scheme, so they are kept apart and compared
/// with the observed URL after its <c>scheme://</c>.
/// </summary>
internal sealed class UrlMatcher(
    StringTable<MatchableIoc[]> withScheme, StringTable<MatchableIoc[]> withoutScheme, Anchor anchor) : IIocMatcher
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
            new StringTable<MatchableIoc[]>(withScheme), new StringTable<MatchableIoc[]>(withoutScheme), anchor);
    }

    public void Match(string value, DateTime now, List<MatchableIoc> results)
    {
        AnchoredMatcher.Append(withScheme, value, anchor, now, results);
        AnchoredMatcher.Append(withoutScheme, value.AsSpan(UrlScheme.PrefixLength(value)), anchor, now, results);
    }
}
