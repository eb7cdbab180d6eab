using System.Collections.Frozen;
using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Core.Matching;

/// <summary>
/// The compiled, in-memory form of every matchable IOC: for each type/action pair a data structure that finds the
/// matching IOCs in time that depends on the observed value rather than on how many IOCs there are. An index is
/// immutable once built, so a request holds one version while a newer one is built beside it and swapped in, and any
/// number of threads may match against it at once.
/// </summary>
public sealed class IocIndex
{
    private readonly IIocMatcher[][] matchersByType;

    private IocIndex(long version, int count, IReadOnlyDictionary<IocTypeAction, int> counts, IIocMatcher[][] matchersByType)
    {
        Version = version;
        Count = count;
        CountsByTypeAndAction = counts;
        this.matchersByType = matchersByType;
    }

    /// <summary>The version the caller gave the data it built this index from, so that readers can tell indexes apart.</summary>
    public long Version { get; }

    /// <summary>How many IOCs the index holds, expired ones included (expiry is decided per match).</summary>
    public int Count { get; }

    /// <summary>How many IOCs the index holds per type/action pair; pairs without IOCs are absent.</summary>
    public IReadOnlyDictionary<IocTypeAction, int> CountsByTypeAndAction { get; }

    /// <summary>
    /// Builds an index of <paramref name="iocs"/>, whose values must already be normalised (as stored). An IOC given
    /// twice with the same content is held once.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// An IOC has a type/action pair the product does not allow, a value that cannot be read for its pair (for example
    /// a pattern that does not compile), or shares its id with a different IOC.
    /// </exception>
    public static IocIndex Build(IEnumerable<MatchableIoc> iocs, long version)
    {
        ArgumentNullException.ThrowIfNull(iocs);

        var byId = new Dictionary<Guid, MatchableIoc>();
        var byPair = new Dictionary<IocTypeAction, List<MatchableIoc>>();
        foreach (var ioc in iocs)
        {
            ArgumentNullException.ThrowIfNull(ioc, nameof(iocs));
            if (!IocTypeRules.IsAllowed(ioc.Type, ioc.Action))
            {
                throw Postings.Unindexable(ioc, "the type/action pair is not allowed.");
            }

            if (!byId.TryAdd(ioc.IocId, ioc))
            {
                if (byId[ioc.IocId] == ioc)
                {
                    continue;
                }

                throw Postings.Unindexable(ioc, "another IOC with the same id and different content was given.");
            }

            var pair = new IocTypeAction(ioc.Type, ioc.Action);
            if (!byPair.TryGetValue(pair, out var pairIocs))
            {
                pairIocs = [];
                byPair.Add(pair, pairIocs);
            }

            pairIocs.Add(ioc);
        }

        var matchersByType = Enum.GetValues<IocType>().Select(type => CreateMatchers(type, byPair)).ToArray();
        var counts = byPair.ToFrozenDictionary(pair => pair.Key, pair => pair.Value.Count);
        return new IocIndex(version, byId.Count, counts, matchersByType);
    }

    /// <summary>
    /// Appends to <paramref name="results"/> every IOC of <paramref name="type"/> that
    /// <paramref name="normalizedObservedValue"/> matches and that has not expired at <paramref name="now"/>, each
    /// once. The value must be in the form <see cref="ObservableNormalizer.Normalize"/> gives; the caller owns
    /// <paramref name="results"/> so that it can reuse one list across the observables of a batch.
    /// </summary>
    public void Match(IocType type, string normalizedObservedValue, DateTime now, List<MatchableIoc> results)
    {
        ArgumentNullException.ThrowIfNull(normalizedObservedValue);
        ArgumentNullException.ThrowIfNull(results);
        if ((uint)type >= (uint)matchersByType.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown IOC type.");
        }

        foreach (var matcher in matchersByType[(int)type])
        {
            matcher.Match(normalizedObservedValue, now, results);
        }
    }

    private static IIocMatcher[] CreateMatchers(IocType type, Dictionary<IocTypeAction, List<MatchableIoc>> byPair)
    {
        if (type == IocType.IpAddress)
        {
            // One matcher for both actions, so that an observed address is parsed once.
            var addresses = byPair.GetValueOrDefault(new IocTypeAction(type, IocAction.Equals));
            var ranges = byPair.GetValueOrDefault(new IocTypeAction(type, IocAction.InRange));
            return addresses is null && ranges is null ? [] : [IpAddressMatcher.Create(addresses ?? [], ranges ?? [])];
        }

        return [.. byPair.Where(pair => pair.Key.Type == type).Select(pair => CreateMatcher(pair.Key, pair.Value))];
    }

    private static IIocMatcher CreateMatcher(IocTypeAction pair, List<MatchableIoc> iocs)
    {
        var comparison = IocTypeRules.IsFreeText(pair.Type) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var comparer = StringComparer.FromComparison(comparison);
        return pair switch
        {
            (IocType.FileSha1 or IocType.CertificateThumbprint, IocAction.Equals) => HashMatcher.Create(iocs, 40),
            (IocType.FileSha256, IocAction.Equals) => HashMatcher.Create(iocs, 64),
            (IocType.FileMd5, IocAction.Equals) => HashMatcher.Create(iocs, 32),
            (IocType.DomainName, IocAction.EndsWith) => DomainSuffixMatcher.Create(iocs),
            (IocType.Url, IocAction.Equals) => UrlMatcher.Create(iocs, Anchor.Whole),
            (IocType.Url, IocAction.StartsWith) => UrlMatcher.Create(iocs, Anchor.Start),
            (_, IocAction.Equals) => AnchoredMatcher.Create(iocs, comparer, Anchor.Whole),
            (_, IocAction.StartsWith) => AnchoredMatcher.Create(iocs, comparer, Anchor.Start),
            (_, IocAction.EndsWith) => AnchoredMatcher.Create(iocs, comparer, Anchor.End),
            (_, IocAction.Contains) => ContainsMatcher.Create(iocs, comparison),
            (_, IocAction.Regex) => RegexMatcher.Create(iocs),
            _ => throw new InvalidOperationException($"No matcher for the allowed pair {pair.Type}/{pair.Action}."),
        };
    }
}
