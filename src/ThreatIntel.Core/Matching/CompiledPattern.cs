using System.Text.RegularExpressions;

namespace ThreatIntel.Core.Matching;

/// <summary>One distinct pattern, compiled once, and the IOCs (of any definition) that use it.</summary>
internal sealed class CompiledPattern(Regex regex, MatchableIoc[] iocs)
{
    public void AppendIfMatch(string value, DateTime now, List<MatchableIoc> results)
    {
        // A pattern whose IOCs have all expired is not worth running.
        if (Postings.AnyLive(iocs, now) && regex.IsMatch(value))
        {
            Postings.AppendLive(iocs, now, results);
        }
    }
}
