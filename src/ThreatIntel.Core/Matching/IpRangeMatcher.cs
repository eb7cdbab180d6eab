using System.Globalization;

namespace ThreatIntel.Core.Matching;

/// <summary>
/// <c>IpAddress</c>/<c>InRange</c>: IPv4 addresses are looked up in the IPv4 ranges and IPv6 addresses in the IPv6
/// ranges (an IPv4-mapped observation was turned into IPv4 by normalisation, so it meets the IPv4 ranges).
/// </summary>
internal sealed class IpRangeMatcher(NetworkTable<uint> ipv4, NetworkTable<UInt128> ipv6) : IIocMatcher
{
    public static IpRangeMatcher Create(IEnumerable<MatchableIoc> iocs)
    {
        var ipv4 = new List<(uint, int, MatchableIoc)>();
        var ipv6 = new List<(UInt128, int, MatchableIoc)>();
        foreach (var ioc in iocs)
        {
            var slash = ioc.Value.IndexOf('/');
            if (slash < 0 || !IpBits.TryParse(ioc.Value[..slash], out var network)
                || !int.TryParse(ioc.Value.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefixLength)
                || prefixLength > (network.IsIPv6 ? 128 : 32))
            {
                throw Postings.Unindexable(ioc, "the value is not a CIDR range.");
            }

            if (network.IsIPv6)
            {
                ipv6.Add((network.Value, prefixLength, ioc));
            }
            else
            {
                ipv4.Add(((uint)network.Value, prefixLength, ioc));
            }
        }

        return new IpRangeMatcher(NetworkTable<uint>.Create(ipv4, 32), NetworkTable<UInt128>.Create(ipv6, 128));
    }

    public void Match(string value, DateTime now, List<MatchableIoc> results)
    {
        if (!IpBits.TryParse(value, out var address))
        {
            return;
        }

        if (address.IsIPv6)
        {
            ipv6.AppendContaining(address.Value, now, results);
        }
        else
        {
            ipv4.AppendContaining((uint)address.Value, now, results);
        }
    }
}
