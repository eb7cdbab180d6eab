using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Iocs.Normalization;
using ThreatIntel.Core.Matching;

namespace ThreatIntel.Core.Tests.Matching;

/// <summary>
/// Builds IOCs and observables the way the service will (raw values through the normalisers) and matches them, so
/// that edge-case tests read as the IOC, the observed value and the expected outcome.
/// </summary>
internal static class MatchingAssert
{
    public static readonly DateTime Now = new(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    public static MatchableIoc Ioc(
        IocType type, IocAction action, string rawValue, Guid? definitionId = null, DateTime? expiresAt = null)
    {
        var normalized = IocValueNormalizer.Normalize(type, action, rawValue);
        Assert.True(normalized.IsValid, $"{type}/{action} rejected '{rawValue}': {normalized.Error}");
        return new MatchableIoc(Guid.NewGuid(), definitionId ?? Guid.NewGuid(), type, action, normalized.Value, expiresAt);
    }

    /// <summary>What the index reports for the raw observable, which must normalise.</summary>
    public static List<MatchableIoc> Match(IEnumerable<MatchableIoc> iocs, IocType type, string rawObserved)
    {
        var normalized = ObservableNormalizer.Normalize(type, rawObserved);
        Assert.True(normalized.IsValid, $"Observable {type} '{rawObserved}' was rejected: {normalized.Error}");
        var results = new List<MatchableIoc>();
        IocIndex.Build(iocs, version: 1).Match(type, normalized.Value, Now, results);
        return results;
    }

    public static void Matches(MatchableIoc ioc, string rawObserved) =>
        Assert.True(
            Match([ioc], ioc.Type, rawObserved).SequenceEqual([ioc]),
            $"{ioc.Type}/{ioc.Action} '{ioc.Value}' should match '{rawObserved}' once.");

    public static void DoesNotMatch(MatchableIoc ioc, string rawObserved) =>
        Assert.True(
            Match([ioc], ioc.Type, rawObserved).Count == 0,
            $"{ioc.Type}/{ioc.Action} '{ioc.Value}' should not match '{rawObserved}'.");

    /// <summary>Every IOC is reported, each exactly once, and nothing else.</summary>
    public static void MatchesAll(IReadOnlyCollection<MatchableIoc> iocs, IocType type, string rawObserved)
    {
        var results = Match(iocs, type, rawObserved);
        Assert.Equal(iocs.Count, results.Count);
        Assert.Equal(iocs.Select(ioc => ioc.IocId).Order(), results.Select(ioc => ioc.IocId).Order());
    }
}
