using System.Buffers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Iocs.Normalization;
using ThreatIntel.Core.Matching;

namespace ThreatIntel.Benchmarks;

/// <summary>
/// Free-text <c>Contains</c>: 10,000 CommandLine/Contains IOCs (every signature-base filename regex that is a plain
/// literal, topped up with maltrail domains of 8+ characters) against realistic command lines (~1 % carry one).
/// Baseline in the same run: one <see cref="SearchValues{T}"/> presence check over the same patterns (the floor the
/// engine's own candidate search starts from, without reporting which patterns matched). Results are per line.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class ContainsBenchmarks
{
    public const int PatternCount = 10_000;
    public const int LineCount = 5_000;

    private static readonly DateTime Now = new(2026, 12, 3, 12, 0, 0, DateTimeKind.Utc);
    private readonly List<MatchableIoc> results = [];
    private IocIndex index = null!;
    private string[] lines = null!;
    private SearchValues<string> searchValues = null!;

    [GlobalSetup]
    public void Setup()
    {
        var patterns = Patterns();
        var definition = Guid.NewGuid();
        index = IocIndex.Build(
            patterns.Select(p => new MatchableIoc(Guid.NewGuid(), definition, IocType.CommandLine, IocAction.Contains, p, null)),
            1);
        searchValues = SearchValues.Create(patterns.ToArray(), StringComparison.OrdinalIgnoreCase);
        lines = Corpus.CommandLines(LineCount, patterns, 7)
            .Select(l => ObservableNormalizer.Normalize(IocType.CommandLine, l).Value!)
            .ToArray();

        var chars = lines.Sum(l => (long)l.Length);
        var hits = lines.Count(l => { results.Clear(); index.Match(IocType.CommandLine, l, Now, results); return results.Count > 0; });
        Console.WriteLine($"// Contains: {patterns.Count:N0} patterns, {LineCount:N0} lines, {chars:N0} chars (ASCII: bytes), "
            + $"mean {chars / (double)LineCount:F1} bytes/line, lines with a match {hits}");
    }

    public static List<string> Patterns()
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var patterns = new List<string>(PatternCount);
        foreach (var literal in PublicData.FilenameLiterals())
        {
            var normalized = IocValueNormalizer.Normalize(IocType.CommandLine, IocAction.Contains, literal);
            if (normalized.IsValid && seen.Add(normalized.Value))
            {
                patterns.Add(normalized.Value);
            }
        }

        var random = new Random(11);
        var domains = PublicData.All().Iocs.Where(i => i.Type == IocType.DomainName && i.Value.Length >= 8).Select(i => i.Value).ToArray();
        while (patterns.Count < PatternCount)
        {
            var domain = domains[random.Next(domains.Length)];
            if (seen.Add(domain))
            {
                patterns.Add(domain);
            }
        }

        return patterns;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = LineCount)]
    public int SearchValuesBaseline()
    {
        var matched = 0;
        foreach (var line in lines)
        {
            matched += line.AsSpan().ContainsAny(searchValues) ? 1 : 0;
        }

        return matched;
    }

    [Benchmark(OperationsPerInvoke = LineCount)]
    public int IocIndexMatch()
    {
        var matched = 0;
        foreach (var line in lines)
        {
            results.Clear();
            index.Match(IocType.CommandLine, line, Now, results);
            matched += results.Count;
        }

        return matched;
    }
}
