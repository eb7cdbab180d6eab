using System.Runtime.InteropServices;

namespace ThreatIntel.Core.Matching;

/// <summary>
/// The IOCs filed under one key (a value, a network, a pattern): usually one, several when definitions share a value.
/// Arrays rather than lists, because an index holds millions of them and never changes them.
/// </summary>
internal static class Postings
{
    /// <summary>Files <paramref name="item"/> under <paramref name="key"/>, after what is already there.</summary>
    public static void Add<TKey, TItem>(Dictionary<TKey, TItem[]> postings, TKey key, TItem item)
        where TKey : notnull
    {
        ref var items = ref CollectionsMarshal.GetValueRefOrAddDefault(postings, key, out _);
        items = items is null ? [item] : [.. items, item];
    }

    public static void AppendLive(MatchableIoc[] iocs, DateTime now, List<MatchableIoc> results)
    {
        foreach (var ioc in iocs)
        {
            if (ioc.IsLiveAt(now))
            {
                results.Add(ioc);
            }
        }
    }

    public static bool AnyLive(MatchableIoc[] iocs, DateTime now)
    {
        foreach (var ioc in iocs)
        {
            if (ioc.IsLiveAt(now))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The index is built from values that passed normalisation; one that cannot be read is a bug upstream, reported
    /// with the IOC's id rather than silently left out of matching.
    /// </summary>
    public static ArgumentException Unindexable(MatchableIoc ioc, string reason, Exception? inner = null) =>
        new($"IOC {ioc.IocId} ({ioc.Type}/{ioc.Action}) cannot be indexed: {reason}", "iocs", inner);
}
