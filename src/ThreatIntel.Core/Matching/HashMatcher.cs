namespace ThreatIntel.Core.Matching;

/// <summary><c>Equals</c> for file hashes and certificate thumbprints, keyed by their binary value.</summary>
internal sealed class HashMatcher(Dictionary<HashKey, MatchableIoc[]> byHash, int hexLength) : IIocMatcher
{
    public static HashMatcher Create(IEnumerable<MatchableIoc> iocs, int hexLength)
    {
        var byHash = new Dictionary<HashKey, MatchableIoc[]>();
        foreach (var ioc in iocs)
        {
            if (!HashKey.TryParse(ioc.Value, hexLength, out var key))
            {
                throw Postings.Unindexable(ioc, $"the value is not {hexLength} lower-case hexadecimal characters.");
            }

            Postings.Add(byHash, key, ioc);
        }

        return new HashMatcher(byHash, hexLength);
    }

    public void Match(string value, DateTime now, List<MatchableIoc> results)
    {
        if (HashKey.TryParse(value, hexLength, out var key) && byHash.TryGetValue(key, out var iocs))
        {
            Postings.AppendLive(iocs, now, results);
        }
    }
}
