using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Matching;

namespace ThreatIntel.Benchmarks;

/// <summary>
/// Exact-match observables (a third each: hashes, IPv4 addresses, domains with 2–4 labels) against the index of all
/// ~1.84 M public IOCs, about 1 % of them hits, beside a plain <see cref="HashSet{T}"/> of the same values (for
/// domains the baseline looks up the domain and every parent, as the engine does). Results are per observable.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class ExactMatchBenchmarks
{
    public const int ObservableCount = 30_000;

    private static readonly DateTime Now = new(2026, 12, 3, 12, 0, 0, DateTimeKind.Utc);
    private readonly List<MatchableIoc> results = [];
    private IocIndex index = null!;
    private (IocType Type, string Value)[] observables = null!;
    private (IocType Type, string Value)[] rawObservables = null!;
    private HashSet<string>.AlternateLookup<ReadOnlySpan<char>> hashSet;
    private HashSet<string>.AlternateLookup<ReadOnlySpan<char>> ipSet;
    private HashSet<string>.AlternateLookup<ReadOnlySpan<char>> domainSet;

    [GlobalSetup]
    public void Setup()
    {
        var data = PublicData.All();
        index = IocIndex.Build(data.Iocs, 1);

        var hashes = data.Iocs.Where(i => i.Type is IocType.FileMd5 or IocType.FileSha1 or IocType.FileSha256).Select(i => i.Value).ToArray();
        var ips = data.Iocs.Where(i => i.Type == IocType.IpAddress && i.Action == IocAction.Equals).Select(i => i.Value).ToArray();
        var domains = data.Iocs.Where(i => i.Type == IocType.DomainName).Select(i => i.Value).ToArray();
        hashSet = new HashSet<string>(hashes, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        ipSet = new HashSet<string>(ips, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        domainSet = new HashSet<string>(domains, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

        var random = new Random(42);
        string[] words = ["cdn", "api", "static", "mail", "login", "update", "img", "edge", "portal", "shop", "news", "app"];
        string[] tlds = ["com", "net", "org", "de", "io", "co.uk", "fr", "ru", "info"];
        rawObservables = new (IocType, string)[ObservableCount];
        for (var i = 0; i < ObservableCount; i++)
        {
            var hit = i % 100 == 0;
            rawObservables[i] = (i % 3) switch
            {
                0 => HashObservable(random, hit ? hashes[random.Next(hashes.Length)] : null),
                1 => (IocType.IpAddress, hit ? ips[random.Next(ips.Length)]
                    : $"{random.Next(1, 224)}.{random.Next(256)}.{random.Next(256)}.{random.Next(1, 255)}"),
                _ => (IocType.DomainName, hit ? $"{words[random.Next(words.Length)]}.{domains[random.Next(domains.Length)]}"
                    : string.Join('.', Enumerable.Range(0, random.Next(1, 4)).Select(_ => words[random.Next(words.Length)] + random.Next(1000)))
                      + "." + tlds[random.Next(tlds.Length)]),
            };
        }

        observables = rawObservables
            .Select(o => (o.Type, ObservableNormalizer.Normalize(o.Type, o.Value).Value ?? throw new InvalidOperationException(o.Value)))
            .ToArray();

        var engineHits = observables.Count(o => { results.Clear(); index.Match(o.Type, o.Value, Now, results); return results.Count > 0; });
        Console.WriteLine($"// ExactMatch: {data.Iocs.Count:N0} IOCs indexed, {ObservableCount:N0} observables, engine hits {engineHits}, baseline hits {BaselineHits()}");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = ObservableCount)]
    public int HashSetBaseline() => BaselineHits();

    [Benchmark(OperationsPerInvoke = ObservableCount)]
    public int IocIndexMatch()
    {
        var matched = 0;
        foreach (var (type, value) in observables)
        {
            results.Clear();
            index.Match(type, value, Now, results);
            matched += results.Count;
        }

        return matched;
    }

    /// <summary>The same look-ups with <see cref="ObservableNormalizer"/> in front, as the evaluate endpoint runs them.</summary>
    [Benchmark(OperationsPerInvoke = ObservableCount)]
    public int NormalizeAndMatch()
    {
        var matched = 0;
        foreach (var (type, raw) in rawObservables)
        {
            var normalized = ObservableNormalizer.Normalize(type, raw);
            if (!normalized.IsValid)
            {
                continue;
            }

            results.Clear();
            index.Match(type, normalized.Value, Now, results);
            matched += results.Count;
        }

        return matched;
    }

    private int BaselineHits()
    {
        var matched = 0;
        foreach (var (type, value) in observables)
        {
            switch (type)
            {
                case IocType.IpAddress:
                    matched += ipSet.Contains(value) ? 1 : 0;
                    break;
                case IocType.DomainName:
                    var span = value.AsSpan();
                    while (true)
                    {
                        matched += domainSet.Contains(span) ? 1 : 0;
                        var dot = span.IndexOf('.');
                        if (dot < 0)
                        {
                            break;
                        }

                        span = span[(dot + 1)..];
                    }

                    break;
                default:
                    matched += hashSet.Contains(value) ? 1 : 0;
                    break;
            }
        }

        return matched;
    }

    private static (IocType Type, string Value) HashObservable(Random random, string? hit)
    {
        var value = hit ?? Convert.ToHexStringLower(RandomBytes(random, random.Next(3) switch { 0 => 16, 1 => 20, _ => 32 }));
        var type = value.Length switch { 32 => IocType.FileMd5, 40 => IocType.FileSha1, _ => IocType.FileSha256 };

        // Sensors report hashes in either case; the normaliser lower-cases them.
        return (type, random.Next(2) == 0 ? value.ToUpperInvariant() : value);
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
