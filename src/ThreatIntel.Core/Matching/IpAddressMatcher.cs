using System.Globalization;

namespace ThreatIntel.Core.Matching;

/// <summary>
/// <c>IpAddress</c>/<c>Equals</c> and <c>IpAddress</c>/<c>InRange</c> together, so that an observed address is parsed
/// once: addresses are keyed by their numeric value, ranges cut into a <see cref="NetworkTable{T}"/>, IPv4 and IPv6
/// apart. An IPv4-mapped observation was turned into IPv4 by normalisation, so it meets the IPv4 IOCs.
/// </summary>
internal sealed class IpAddressMatcher(
    Dictionary<uint, MatchableIoc[]> ipv4,
    Dictionary<UInt128, MatchableIoc[]> ipv6,
    NetworkTable<uint>? ipv4Ranges,
    NetworkTable<UInt128>? ipv6Ranges) : IIocMatcher
{
    public static IpAddressMatcher Create(IEnumerable<MatchableIoc> addresses, IEnumerable<MatchableIoc> ranges)
    {
        var ipv4 = new Dictionary<uint, MatchableIoc[]>();
        var ipv6 = new Dictionary<UInt128, MatchableIoc[]>();
        foreach (var ioc in addresses)
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

        var ipv4Ranges = new List<(uint, int, MatchableIoc)>();
        var ipv6Ranges = new List<(UInt128, int, MatchableIoc)>();
        foreach (var ioc in ranges)
        {
            var slash = ioc.Value.IndexOf('/');
            if (slash < 0 || !IpBits.TryParse(ioc.Value.AsSpan(0, slash), out var network)
                || !int.TryParse(ioc.Value.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefixLength)
                || prefixLength > (network.IsIPv6 ? 128 : 32))
            {
                throw Postings.Unindexable(ioc, "the value is not a CIDR range.");
            }

            if (network.IsIPv6)
            {
                ipv6Ranges.Add((network.Value, prefixLength, ioc));
            }
            else
            {
                ipv4Ranges.Add(((uint)network.Value, prefixLength, ioc));
            }
        }

        return new IpAddressMatcher(
            ipv4,
            ipv6,
            ipv4Ranges.Count == 0 ? null : NetworkTable<uint>.Create(ipv4Ranges),
            ipv6Ranges.Count == 0 ? null : NetworkTable<UInt128>.Create(ipv6Ranges));
    }

    public void Match(string value, DateTime now, List<MatchableIoc> results)
    {
        if (!IpBits.TryParse(value, out var address))
        {
            return;
        }

        if (address.IsIPv6)
        {
            if (ipv6.TryGetValue(address.Value, out var iocs))
            {
                Postings.AppendLive(iocs, now, results);
            }

            ipv6Ranges?.AppendContaining(address.Value, now, results);
        }
        else
        {
            if (ipv4.TryGetValue((uint)address.Value, out var iocs))
            {
                Postings.AppendLive(iocs, now, results);
            }

            ipv4Ranges?.AppendContaining((uint)address.Value, now, results);
        }
    }
}
