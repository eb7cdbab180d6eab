using System.Diagnostics;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Matching;

namespace ThreatIntel.Benchmarks;

/// <summary>
/// <c>--build [runs]</c>: loads all public IOCs, then builds the whole index several times and prints the median
/// build time and the managed heap the index adds (<see cref="GC.GetTotalMemory(bool)"/> with a full collection
/// before and after, the loaded IOC records and their strings already counted in "before"), beside the same figures
/// for a plain <see cref="HashSet{T}"/> of the values.
/// </summary>
public static class BuildMeasurement
{
    public static void Run(int runs)
    {
        var heapBeforeLoad = GC.GetTotalMemory(true);
        var load = Stopwatch.StartNew();
        var data = PublicData.All();
        load.Stop();
        var heapAfterLoad = GC.GetTotalMemory(true);
        var iocs = data.Iocs;

        Console.WriteLine($"Data: {PublicData.DataDirectory}");
        Console.WriteLine($"Loaded {iocs.Count:N0} IOCs in {load.Elapsed.TotalSeconds:F2} s (read, parse, normalise); skipped {data.SkippedCount:N0}");
        foreach (var (source, count) in data.LoadedBySource)
        {
            Console.WriteLine($"  loaded  {source,-28} {count,10:N0}");
        }

        foreach (var (reason, count) in data.SkippedBySource)
        {
            Console.WriteLine($"  skipped {reason,-60} {count,8:N0}");
        }

        foreach (var (pair, count) in data.CountsByTypeAction)
        {
            Console.WriteLine($"  {pair,-24} {count,10:N0}");
        }

        Console.WriteLine($"Loaded IOC records + strings: {(heapAfterLoad - heapBeforeLoad) / (double)iocs.Count:F1} bytes/IOC (not part of the index)");

        // Warm-up: JIT and the regex engine's first compilations.
        _ = IocIndex.Build(iocs, 0);

        var indexTimes = new List<double>();
        var indexBytes = new List<double>();
        var setTimes = new List<double>();
        var setBytes = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            var (seconds, bytes, index) = Measure(() => IocIndex.Build(iocs, run));
            indexTimes.Add(seconds);
            indexBytes.Add(bytes / (double)index.Count);
            Console.WriteLine($"run {run}: IocIndex.Build {seconds:F3} s, {bytes / (double)index.Count:F1} bytes/IOC ({bytes / 1048576.0:F1} MiB for {index.Count:N0} IOCs)");
            GC.KeepAlive(index);
            index = null;

            var (setSeconds, setBytesTotal, set) = Measure(() => new HashSet<string>(iocs.Select(i => i.Value), StringComparer.Ordinal));
            setTimes.Add(setSeconds);
            setBytes.Add(setBytesTotal / (double)iocs.Count);
            Console.WriteLine($"run {run}: HashSet<string> baseline {setSeconds:F3} s, {setBytesTotal / (double)iocs.Count:F1} bytes/IOC ({set.Count:N0} distinct values)");
            GC.KeepAlive(set);
        }

        MeasureAfterFirstUse(iocs);

        Console.WriteLine();
        Console.WriteLine($"MEDIAN over {runs} runs: IocIndex.Build {Median(indexTimes):F3} s, {Median(indexBytes):F1} bytes/IOC; "
            + $"HashSet<string> baseline {Median(setTimes):F3} s, {Median(setBytes):F1} bytes/IOC; "
            + $"ratio time {Median(indexTimes) / Median(setTimes):F2}x, memory {Median(indexBytes) / Median(setBytes):F2}x");
    }

    /// <summary>
    /// <c>--build-by-pair</c>: builds one index per type/action pair (one run each, after a warm-up build of the
    /// pair) to show where the build time and the memory of the whole index go.
    /// </summary>
    /// <summary>
    /// Regexes compile the first time a value reaches them, so the memory right after a build leaves them out; this
    /// matches the regex benchmark's 5,000 file paths once and reports the index's memory after that too.
    /// </summary>
    private static void MeasureAfterFirstUse(List<MatchableIoc> iocs)
    {
        var paths = Corpus.FilePaths(RegexBenchmarks.PathCount, PublicData.FilenameLiterals(), 5)
            .Select(p => ObservableNormalizer.Normalize(IocType.FilePath, p).Value!)
            .ToArray();
        var (_, bytes, index) = Measure(() =>
        {
            var built = IocIndex.Build(iocs, 0);
            var results = new List<MatchableIoc>();
            foreach (var path in paths)
            {
                results.Clear();
                built.Match(IocType.FilePath, path, DateTime.UtcNow, results);
            }

            return built;
        });
        Console.WriteLine($"after matching {paths.Length:N0} file paths once: {bytes / (double)index.Count:F1} bytes/IOC ({bytes / 1048576.0:F1} MiB), compiled regexes included");
        GC.KeepAlive(index);
    }

    public static void RunByPair()
    {
        var iocs = PublicData.All().Iocs;
        foreach (var group in iocs.GroupBy(i => (i.Type, i.Action)).OrderBy(g => g.Key.Type).ThenBy(g => g.Key.Action))
        {
            var pairIocs = group.ToList();
            _ = IocIndex.Build(pairIocs.Take(100), 0);
            var (seconds, bytes, index) = Measure(() => IocIndex.Build(pairIocs, 1));
            Console.WriteLine($"{group.Key.Type + "/" + group.Key.Action,-24} {index.Count,10:N0} IOCs  build {seconds,7:F3} s  "
                + $"{bytes / 1048576.0,8:F1} MiB  {bytes / (double)index.Count,9:F1} bytes/IOC");
            GC.KeepAlive(index);
        }
    }

    private static (double Seconds, long Bytes, T Result) Measure<T>(Func<T> build)
        where T : class
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = GC.GetTotalMemory(true);
        var stopwatch = Stopwatch.StartNew();
        var result = build();
        stopwatch.Stop();
        var after = GC.GetTotalMemory(true);
        return (stopwatch.Elapsed.TotalSeconds, after - before, result);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
