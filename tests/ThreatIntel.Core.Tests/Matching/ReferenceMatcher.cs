using System.Net;
using System.Text.RegularExpressions;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Matching;

namespace ThreatIntel.Core.Tests.Matching;

/// <summary>
/// The spec's matching semantics (section 2) written as plainly as possible: a loop over every IOC, comparing with
/// string and <see cref="IPNetwork"/> operations and no index. Slow and obviously correct; the engine must agree
/// with it on every observable.
/// </summary>
internal sealed class ReferenceMatcher(IEnumerable<MatchableIoc> iocs)
{
    private static readonly Regex SchemePrefix = new("^[A-Za-z][A-Za-z0-9+.-]*://", RegexOptions.CultureInvariant);

    private readonly ILookup<IocType, MatchableIoc> iocsByType = iocs.ToLookup(ioc => ioc.Type);

    /// <summary>
    /// Each pattern compiled once, by the backtracking engine: for the patterns the product accepts it gives the same
    /// answer as the linear-time engine the index uses, and it is an independent implementation to check that against.
    /// </summary>
    private readonly Dictionary<string, Regex> regexes = new(StringComparer.Ordinal);

    /// <summary>Each range parsed once.</summary>
    private readonly Dictionary<string, IPNetwork> networks = new(StringComparer.Ordinal);

    /// <summary>The ids of the IOCs of <paramref name="type"/> that <paramref name="observed"/> matches.</summary>
    /// <param name="expired">How many more would match if they had not expired, to show that expiry was tested.</param>
    public IReadOnlySet<Guid> Match(IocType type, string observed, DateTime now, out int expired)
    {
        var matching = iocsByType[type].Where(ioc => Matches(ioc, observed)).ToList();
        var live = matching.Where(ioc => ioc.ExpiresAt is null || ioc.ExpiresAt > now).Select(ioc => ioc.IocId).ToHashSet();
        expired = matching.Count - live.Count;
        return live;
    }

    private bool Matches(MatchableIoc ioc, string observed)
    {
        var comparison = IsFreeText(ioc.Type) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return (ioc.Type, ioc.Action) switch
        {
            (_, IocAction.Regex) => Pattern(ioc.Value).IsMatch(observed),
            (IocType.IpAddress, IocAction.InRange) => IsInRange(observed, ioc.Value),
            (IocType.DomainName, IocAction.EndsWith) =>
                observed == ioc.Value || observed.EndsWith("." + ioc.Value, StringComparison.Ordinal),
            (IocType.Url, IocAction.Equals) => string.Equals(UrlToCompare(observed, ioc.Value), ioc.Value, StringComparison.Ordinal),
            (IocType.Url, IocAction.StartsWith) => UrlToCompare(observed, ioc.Value).StartsWith(ioc.Value, StringComparison.Ordinal),
            (_, IocAction.Equals) => string.Equals(observed, ioc.Value, comparison),
            (_, IocAction.StartsWith) => observed.StartsWith(ioc.Value, comparison),
            (_, IocAction.EndsWith) => observed.EndsWith(ioc.Value, comparison),
            (_, IocAction.Contains) => observed.Contains(ioc.Value, comparison),
            _ => throw new InvalidOperationException($"{ioc.Type}/{ioc.Action} has no semantics in the spec."),
        };
    }

    private static bool IsFreeText(IocType type) => type is IocType.FileName or IocType.FilePath
        or IocType.ProcessName or IocType.CommandLine or IocType.RegistryKey;

    /// <summary>An IOC URL without a scheme matches any scheme: it is compared with the observed URL after it.</summary>
    private static string UrlToCompare(string observed, string iocValue) =>
        SchemePrefix.IsMatch(iocValue) ? observed : SchemePrefix.Replace(observed, string.Empty, 1);

    /// <summary>IPv4 addresses in IPv4 ranges, IPv6 addresses in IPv6 ranges.</summary>
    private bool IsInRange(string observed, string cidr) =>
        IPAddress.TryParse(observed, out var address) && Network(cidr).Contains(address);

    private IPNetwork Network(string cidr)
    {
        if (!networks.TryGetValue(cidr, out var network))
        {
            network = IPNetwork.Parse(cidr);
            networks.Add(cidr, network);
        }

        return network;
    }

    private Regex Pattern(string pattern)
    {
        if (!regexes.TryGetValue(pattern, out var regex))
        {
            regex = new Regex(pattern, RegexOptions.CultureInvariant);
            regexes.Add(pattern, regex);
        }

        return regex;
    }
}
