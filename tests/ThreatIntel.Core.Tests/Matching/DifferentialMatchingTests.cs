using System.Diagnostics;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Matching;
using Xunit.Abstractions;

namespace ThreatIntel.Core.Tests.Matching;

/// <summary>
/// The index against <see cref="ReferenceMatcher"/> on thousands of random IOCs of every allowed type/action pair and
/// thousands of observables: both must report exactly the same IOCs for every observable.
/// </summary>
public class DifferentialMatchingTests(ITestOutputHelper output)
{
    private const int IocCount = 4000;
    private const int ObservableCount = 4000;
    private static readonly DateTime Now = new(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(42)]
    [InlineData(1234)]
    [InlineData(987654)]
    public void Index_reports_exactly_what_the_reference_matcher_reports(int seed)
    {
        var corpus = new RandomCorpus(seed, definitionCount: 8);
        var iocs = corpus.Iocs(IocCount, Now);
        // Patterns make poor material for observables; the other values are what observables are built from.
        var valuesByType = iocs.Where(ioc => ioc.Action != IocAction.Regex)
            .GroupBy(ioc => ioc.Type)
            .ToDictionary(group => group.Key, group => group.Select(ioc => ioc.Value).ToArray());
        var index = IocIndex.Build(iocs, version: seed);
        var reference = new ReferenceMatcher(iocs);
        var iocsById = iocs.ToDictionary(ioc => ioc.IocId);

        var failures = new List<string>();
        var matchedPairs = new HashSet<IocTypeAction>();
        var expiredWouldMatch = 0;
        var results = new List<MatchableIoc>();
        var types = Enum.GetValues<IocType>();
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < ObservableCount; i++)
        {
            var type = types[i % types.Length];
            var raw = corpus.RawObservable(type, valuesByType.GetValueOrDefault(type, []));
            var normalized = ObservableNormalizer.Normalize(type, raw);
            if (!normalized.IsValid)
            {
                continue;
            }

            results.Clear();
            index.Match(type, normalized.Value, Now, results);
            var actual = results.Select(ioc => ioc.IocId).ToList();
            var expected = reference.Match(type, normalized.Value, Now, out var expired);
            if (actual.Count != actual.Distinct().Count() || !expected.SetEquals(actual))
            {
                failures.Add(Describe(type, raw, normalized.Value, expected, actual, iocsById));
            }

            matchedPairs.UnionWith(expected.Select(id => new IocTypeAction(type, iocsById[id].Action)));
            expiredWouldMatch += expired;
        }

        output.WriteLine($"seed {seed}: {index.Count} IOCs, {ObservableCount} observables in {stopwatch.ElapsedMilliseconds} ms.");
        Assert.True(failures.Count == 0, $"{failures.Count} observables disagree:\n{string.Join('\n', failures.Take(15))}");
        Assert.Empty(RandomCorpus.AllowedPairs.Select(pair => new IocTypeAction(pair.Type, pair.Action)).Except(matchedPairs));
        Assert.True(expiredWouldMatch > 0, "No expired IOC was ever in a position to match; the corpus does not test expiry.");
    }

    private static string Describe(
        IocType type, string raw, string normalized, IReadOnlySet<Guid> expected, List<Guid> actual,
        Dictionary<Guid, MatchableIoc> iocsById)
    {
        string Show(IEnumerable<Guid> ids) =>
            string.Join(", ", ids.Select(id => iocsById[id]).Select(ioc => $"{ioc.Action} '{ioc.Value}' (expires {ioc.ExpiresAt:O})"));

        return $"{type} '{raw}' -> '{normalized}': missing [{Show(expected.Except(actual))}], " +
            $"extra [{Show(actual.Except(expected))}], reported twice [{Show(actual.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key))}]";
    }
}
