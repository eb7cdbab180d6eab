using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Iocs.Normalization;
using ThreatIntel.Core.Matching;

namespace ThreatIntel.Benchmarks;

/// <summary>
/// 5,000 FilePath/Regex IOCs — signature-base's filename regexes that compile for the linear-time engine
/// (<see cref="RegexPatternValidator"/>) — against realistic Windows paths (~1 % made to match a literal pattern).
/// Baseline in the same run: the naive loop, every pattern's <see cref="Regex.IsMatch(string)"/> with the same
/// options on every path (on a smaller slice of the paths, since it is slow). Results are per path.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class RegexBenchmarks
{
    public const int PatternTarget = 5_000;
    public const int PathCount = 5_000;
    public const int BaselinePathCount = 100;

    private static readonly DateTime Now = new(2026, 12, 3, 12, 0, 0, DateTimeKind.Utc);
    private readonly List<MatchableIoc> results = [];
    private IocIndex index = null!;
    private string[] paths = null!;
    private Regex[] naive = null!;

    [GlobalSetup]
    public void Setup()
    {
        var patterns = Patterns(out var rejected, out var duplicates);
        var definition = Guid.NewGuid();
        index = IocIndex.Build(
            patterns.Select(p => new MatchableIoc(Guid.NewGuid(), definition, IocType.FilePath, IocAction.Regex, p, null)),
            1);
        naive = patterns.Select(p => new Regex(p, RegexPatternValidator.MatchingOptions)).ToArray();
        paths = Corpus.FilePaths(PathCount, PublicData.FilenameLiterals(), 5)
            .Select(p => ObservableNormalizer.Normalize(IocType.FilePath, p).Value!)
            .ToArray();

        var hits = paths.Count(p => { results.Clear(); index.Match(IocType.FilePath, p, Now, results); return results.Count > 0; });
        Console.WriteLine($"// Regex: {patterns.Count:N0} patterns ({rejected} rejected by RegexPatternValidator, {duplicates} duplicates dropped), "
            + $"{PathCount:N0} paths, mean {paths.Average(p => p.Length):F1} chars, paths with a match {hits}");
    }

    /// <summary>The distinct compilable filename regexes, at most <see cref="PatternTarget"/>.</summary>
    public static List<string> Patterns(out int rejected, out int duplicates)
    {
        rejected = 0;
        duplicates = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var patterns = new List<string>();
        foreach (var pattern in PublicData.FilenameRegexes())
        {
            var valid = IocValueNormalizer.Normalize(IocType.FilePath, IocAction.Regex, pattern);
            if (!valid.IsValid)
            {
                rejected++;
            }
            else if (!seen.Add(valid.Value))
            {
                duplicates++;
            }
            else if (patterns.Count < PatternTarget)
            {
                patterns.Add(valid.Value);
            }
        }

        return patterns;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BaselinePathCount)]
    public int NaiveRegexLoopBaseline()
    {
        var matched = 0;
        for (var i = 0; i < BaselinePathCount; i++)
        {
            foreach (var regex in naive)
            {
                matched += regex.IsMatch(paths[i]) ? 1 : 0;
            }
        }

        return matched;
    }

    [Benchmark(OperationsPerInvoke = PathCount)]
    public int IocIndexMatch()
    {
        var matched = 0;
        foreach (var path in paths)
        {
            results.Clear();
            index.Match(IocType.FilePath, path, Now, results);
            matched += results.Count;
        }

        return matched;
    }
}
