using System.Numerics;

namespace ThreatIntel.Core.Matching;

/// <summary>
/// The networks of one address family cut into the address intervals on which the set of containing networks does not
/// change: a sorted array of interval starts and, for each interval, the IOCs of every network that contains it. An
/// address is found with one binary search, however many ranges and prefix lengths there are. CIDR networks are either
/// nested or disjoint, so an interval lies in at most one network per prefix length and the table stays linear in the
/// number of networks. A bitmap of the 65,536 blocks an address's top 16 bits name answers most addresses, those in
/// no listed network, without the search.
/// </summary>
internal sealed class NetworkTable<T>
    where T : struct, IBinaryInteger<T>, IUnsignedNumber<T>
{
    private const int BlockBits = 16;

    private static readonly int Width = T.AllBitsSet.GetByteCount() * 8;

    private readonly T[] starts;
    private readonly MatchableIoc[][] containing;
    private readonly ulong[] coveredBlocks;

    private NetworkTable(T[] starts, MatchableIoc[][] containing)
    {
        this.starts = starts;
        this.containing = containing;
        coveredBlocks = new ulong[(1 << BlockBits) / 64];
        for (var i = 0; i < starts.Length; i++)
        {
            if (containing[i].Length == 0)
            {
                continue;
            }

            var last = i + 1 < starts.Length ? starts[i + 1] - T.One : T.AllBitsSet;
            for (var block = Block(starts[i]); block <= Block(last); block++)
            {
                coveredBlocks[block >> 6] |= 1UL << block;
            }
        }
    }

    public static NetworkTable<T> Create(IEnumerable<(T Network, int PrefixLength, MatchableIoc Ioc)> ranges)
    {
        var byNetwork = new Dictionary<(T First, int PrefixLength), MatchableIoc[]>();
        foreach (var (network, prefixLength, ioc) in ranges)
        {
            // Masked here too, so that a range's first address is its network address whatever was given.
            Postings.Add(byNetwork, (network & Mask(prefixLength), prefixLength), ioc);
        }

        // Outer networks before the networks nested in them that start at the same address.
        var networks = byNetwork
            .Select(entry => new Network(entry.Key.First, entry.Key.First | ~Mask(entry.Key.PrefixLength), entry.Value))
            .OrderBy(network => network.First)
            .ThenByDescending(network => network.Last)
            .ToArray();

        var boundaries = new SortedSet<T>();
        foreach (var network in networks)
        {
            boundaries.Add(network.First);
            if (network.Last != T.AllBitsSet)
            {
                boundaries.Add(network.Last + T.One);
            }
        }

        var starts = new List<T>(boundaries.Count);
        var containing = new List<MatchableIoc[]>(boundaries.Count);
        var open = new List<Network>();
        var next = 0;
        foreach (var boundary in boundaries)
        {
            open.RemoveAll(network => network.Last < boundary);
            while (next < networks.Length && networks[next].First == boundary)
            {
                open.Add(networks[next++]);
            }

            starts.Add(boundary);
            containing.Add(open.Count switch
            {
                0 => [],
                1 => open[0].Iocs,
                _ => [.. open.SelectMany(network => network.Iocs)],
            });
        }

        return new NetworkTable<T>([.. starts], [.. containing]);
    }

    public void AppendContaining(T address, DateTime now, List<MatchableIoc> results)
    {
        var block = Block(address);
        if ((coveredBlocks[block >> 6] & (1UL << block)) == 0)
        {
            return;
        }

        var index = Array.BinarySearch(starts, address);

        // Not found gives the complement of the next larger start; the interval holding the address is the one before.
        var interval = index >= 0 ? index : ~index - 1;
        if (interval >= 0)
        {
            Postings.AppendLive(containing[interval], now, results);
        }
    }

    private static int Block(T address) => int.CreateTruncating(address >> (Width - BlockBits));

    /// <summary>The top <paramref name="prefixLength"/> bits of an address.</summary>
    private static T Mask(int prefixLength) =>
        prefixLength == 0 ? T.Zero : T.AllBitsSet << (Width - prefixLength);

    private sealed record Network(T First, T Last, MatchableIoc[] Iocs);
}
