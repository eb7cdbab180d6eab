using System.Numerics;

namespace ThreatIntel.Core.Matching;

/// <summary>
/// The networks of one address family by prefix length: for each length present, a dictionary from network address
/// to IOCs. An address is masked to each length present and looked up, so every containing network, from /0 to a
/// single host, is found with at most one look-up per prefix length, however many ranges there are.
/// </summary>
internal sealed class NetworkTable<T>
    where T : struct, IBinaryInteger<T>, IUnsignedNumber<T>
{
    private readonly Level[] levels;

    private NetworkTable(Level[] levels) => this.levels = levels;

    public static NetworkTable<T> Create(IEnumerable<(T Network, int PrefixLength, MatchableIoc Ioc)> ranges, int width)
    {
        var byPrefixLength = new Dictionary<int, Dictionary<T, MatchableIoc[]>>();
        foreach (var (network, prefixLength, ioc) in ranges)
        {
            if (!byPrefixLength.TryGetValue(prefixLength, out var networks))
            {
                networks = [];
                byPrefixLength.Add(prefixLength, networks);
            }

            // Masked here too, so that a range is found by the same key its addresses are looked up by.
            Postings.Add(networks, network & Mask(prefixLength, width), ioc);
        }

        return new NetworkTable<T>(
            [.. byPrefixLength.OrderBy(level => level.Key).Select(level => new Level(Mask(level.Key, width), level.Value))]);
    }

    public void AppendContaining(T address, DateTime now, List<MatchableIoc> results)
    {
        foreach (var level in levels)
        {
            if (level.Networks.TryGetValue(address & level.Mask, out var iocs))
            {
                Postings.AppendLive(iocs, now, results);
            }
        }
    }

    /// <summary>The top <paramref name="prefixLength"/> bits of a <paramref name="width"/>-bit address.</summary>
    private static T Mask(int prefixLength, int width) =>
        prefixLength == 0 ? T.Zero : T.AllBitsSet << (width - prefixLength);

    private sealed record Level(T Mask, Dictionary<T, MatchableIoc[]> Networks);
}
