namespace ThreatIntel.Core.Matching;

/// <summary><c>IpAddress</c>/<c>Equals</c>: addresses keyed by their numeric value, IPv4 and IPv6 apart.</summary>
internal sealed class IpAddressMatcher(
    Dictionary<uint, MatchableIoc[]> ipv4, Dictionary<UInt128, MatchableIoc[]> ipv6) : IIocMatcher
{
    public static IpAddressMatcher Create(IEnumerable<MatchableIoc> iocs)
    {
        var ipv4 = new Dictionary<uint, MatchableIoc[]>();
        var ipv6 = new Dictionary<UInt128, MatchableIoc[]>();
        foreach (var ioc in iocs)
        {
            if (!IpBits.TryParse(ioc.Value, out var address))
            {
                throw Postings.Unindexable(ioc, "the value is not an IP address.");
            }

            if (address.IsIPv6)
            {
                Postings.Add(ipv6, address.Value, ioc);
            }
            else
            {
                Postings.Add(ipv4, (uint)address.Value, ioc);
            }
        }

        return new IpAddressMatcher(ipv4, ipv6);
    }

    public void Match(string value, DateTime now, List<MatchableIoc> results)
    {
        if (!IpBits.TryParse(value, out var address))
        {
            return;
        }

        var found = address.IsIPv6
            ? ipv6.TryGetValue(address.Value, out var iocs)
            : ipv4.TryGetValue((uint)address.Value, out iocs);
        if (found)
        {
            Postings.AppendLive(iocs!, now, results);
        }
    }
}
