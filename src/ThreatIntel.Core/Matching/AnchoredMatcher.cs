namespace ThreatIntel.Core.Matching;

/// <summary>
/// <c>Equals</c>, <c>StartsWith</c> and <c>EndsWith</c> over plain strings: a hash look-up of the whole value, or of
/// its prefix or suffix of each key length present.
/// </summary>
internal sealed class AnchoredMatcher(StringTable<MatchableIoc[]> table, Anchor anchor) : IIocMatcher
{
    public static AnchoredMatcher Create(IEnumerable<MatchableIoc> iocs, StringComparer comparer, Anchor anchor)
    {
        var byValue = new Dictionary<string, MatchableIoc[]>(comparer);
        foreach (var ioc in iocs)
        {
            Postings.Add(byValue, ioc.Value, ioc);
        }

        return new AnchoredMatcher(new StringTable<MatchableIoc[]>(byValue), anchor);
    }

    public void Match(string value, DateTime now, List<MatchableIoc> results) =>
        Append(table, value, anchor, now, results);

    /// <summary>Appends the IOCs of every key of <paramref name="table"/> found at <paramref name="anchor"/>.</summary>
    public static void Append(
        StringTable<MatchableIoc[]> table, ReadOnlySpan<char> text, Anchor anchor, DateTime now, List<MatchableIoc> results)
    {
        if (anchor == Anchor.Whole)
        {
            if (table.TryGetValue(text, out var equal))
            {
                Postings.AppendLive(equal, now, results);
            }

            return;
        }

        foreach (var length in table.Lengths)
        {
            if (length > text.Length)
            {
                break;
            }

            var part = anchor == Anchor.Start ? text[..length] : text[^length..];
            if (table.TryGetValue(part, out var iocs))
            {
                Postings.AppendLive(iocs, now, results);
            }
        }
    }
}
