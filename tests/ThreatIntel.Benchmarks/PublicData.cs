using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Iocs.Normalization;
using ThreatIntel.Core.Matching;

namespace ThreatIntel.Benchmarks;

/// <summary>
/// Loads the public reference data (maltrail static trails, signature-base IOC lists) from the shared data folder
/// and turns every indicator into a normalised <see cref="MatchableIoc"/>, as the service would store it. Values the
/// service's normaliser rejects are skipped and counted. The data is read in place, never copied into the repository.
/// </summary>
public static partial class PublicData
{
    private static readonly Lock Gate = new();
    private static LoadedData? all;

    /// <summary>The data folder: <c>THREATINTEL_DATA</c>, else <c>../shared/data</c> beside the repository root.</summary>
    public static string DataDirectory
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("THREATINTEL_DATA");
            if (!string.IsNullOrWhiteSpace(fromEnv))
            {
                return fromEnv;
            }

            foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            {
                for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                {
                    if (File.Exists(Path.Combine(dir.FullName, "ThreatIntel.sln")))
                    {
                        var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
                        if (Directory.Exists(candidate))
                        {
                            return candidate;
                        }
                    }
                }
            }

            return "/work/shared/data";
        }
    }

    /// <summary>Every IOC of every source (about 1.84 M), loaded once per process.</summary>
    public static LoadedData All()
    {
        lock (Gate)
        {
            return all ??= Load();
        }
    }

    /// <summary>The first field of each non-comment line of signature-base's filename-iocs.txt (a regex).</summary>
    public static List<string> FilenameRegexes()
    {
        var result = new List<string>();
        foreach (var line in File.ReadLines(Path.Combine(DataDirectory, "signature-base", "filename-iocs.txt")))
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            var semicolon = trimmed.IndexOf(';', StringComparison.Ordinal);
            var pattern = semicolon >= 0 ? trimmed[..semicolon] : trimmed;
            if (pattern.Length > 0)
            {
                result.Add(pattern);
            }
        }

        return result;
    }

    /// <summary>
    /// The filename regexes that are plain literals once their escapes are removed (<c>\\usbclass\.sys</c> →
    /// <c>\usbclass.sys</c>), for free-text <c>Contains</c> patterns and for paths that certainly match.
    /// </summary>
    public static List<string> FilenameLiterals()
    {
        var result = new List<string>();
        foreach (var pattern in FilenameRegexes())
        {
            if (LiteralPattern().IsMatch(pattern))
            {
                var literal = Regex.Unescape(pattern);
                if (literal.Length >= 5)
                {
                    result.Add(literal);
                }
            }
        }

        return result;
    }

    private static LoadedData Load()
    {
        var data = new LoadedData();
        LoadMaltrail(data);
        LoadHashes(data);
        LoadC2(data);
        LoadFilenameRegexes(data);
        return data;
    }

    private static void LoadMaltrail(LoadedData data)
    {
        var path = Path.Combine(DataDirectory, "maltrail", "maltrail-static-trails.tar.gz");
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                || entry.DataStream is null
                || !entry.Name.EndsWith(".txt", StringComparison.Ordinal))
            {
                continue;
            }

            var definition = Guid.NewGuid();
            using var reader = new StreamReader(entry.DataStream);
            while (reader.ReadLine() is { } line)
            {
                var hash = line.IndexOf('#', StringComparison.Ordinal);
                var value = (hash >= 0 ? line[..hash] : line).Trim();
                if (value.Length == 0)
                {
                    continue;
                }

                var (type, action, raw) = ClassifyTrail(value);
                data.Add("maltrail", definition, type, action, raw);
            }
        }
    }

    private static void LoadHashes(LoadedData data)
    {
        var definition = Guid.NewGuid();
        foreach (var line in File.ReadLines(Path.Combine(DataDirectory, "signature-base", "hash-iocs.txt")))
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            var semicolon = trimmed.IndexOf(';', StringComparison.Ordinal);
            var hash = (semicolon >= 0 ? trimmed[..semicolon] : trimmed).Trim();
            IocType? type = hash.Length switch
            {
                32 => IocType.FileMd5,
                40 => IocType.FileSha1,
                64 => IocType.FileSha256,
                _ => null,
            };
            if (type is null)
            {
                data.Skip("signature-base hash", "length is not 32/40/64");
                continue;
            }

            data.Add("signature-base hash", definition, type.Value, IocAction.Equals, hash);
        }
    }

    private static void LoadC2(LoadedData data)
    {
        var definition = Guid.NewGuid();
        foreach (var line in File.ReadLines(Path.Combine(DataDirectory, "signature-base", "c2-iocs.txt")))
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            var semicolon = trimmed.IndexOf(';', StringComparison.Ordinal);
            var value = (semicolon >= 0 ? trimmed[..semicolon] : trimmed).Trim();
            var (type, action, raw) = ClassifyTrail(value);
            data.Add("signature-base c2", definition, type, action, raw);
        }
    }

    private static void LoadFilenameRegexes(LoadedData data)
    {
        var definition = Guid.NewGuid();
        foreach (var pattern in FilenameRegexes())
        {
            data.Add("signature-base filename", definition, IocType.FilePath, IocAction.Regex, pattern);
        }
    }

    /// <summary>
    /// IPv4/IPv6 → IpAddress/Equals (an <c>ip:port</c> keeps the address), CIDR → IpAddress/InRange, a value with a
    /// path or a scheme → Url/StartsWith, anything else → DomainName/EndsWith (a <c>host:port</c> keeps the host).
    /// </summary>
    public static (IocType Type, IocAction Action, string Value) ClassifyTrail(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && IsIp(value[..slash]) && int.TryParse(value.AsSpan(slash + 1), out _))
        {
            return (IocType.IpAddress, IocAction.InRange, value);
        }

        if (slash >= 0 || value.Contains("://", StringComparison.Ordinal))
        {
            return (IocType.Url, IocAction.StartsWith, value);
        }

        if (IsIp(value))
        {
            return (IocType.IpAddress, IocAction.Equals, value);
        }

        var port = HostPort().Match(value);
        if (port.Success)
        {
            var host = port.Groups["host"].Value;
            return IsIp(host) ? (IocType.IpAddress, IocAction.Equals, host) : (IocType.DomainName, IocAction.EndsWith, host);
        }

        return (IocType.DomainName, IocAction.EndsWith, value);
    }

    private static bool IsIp(string value) =>
        IPAddress.TryParse(value, out var address)
        && (address.AddressFamily == AddressFamily.InterNetworkV6 || value.Count(c => c == '.') == 3);

    [GeneratedRegex(@"^(?<host>[^:/]+):\d{1,5}$")]
    private static partial Regex HostPort();

    // Only escapes and characters with no regex meaning: the pattern is a literal string.
    [GeneratedRegex(@"^(?:\\[\\.\-_$(){}\[\]+ ]|[^\\.*+?()\[\]{}|^$])+$")]
    private static partial Regex LiteralPattern();
}

/// <summary>The normalised IOCs of all sources and what was skipped, by source and reason.</summary>
public sealed class LoadedData
{
    public List<MatchableIoc> Iocs { get; } = new(1_900_000);

    public SortedDictionary<string, int> LoadedBySource { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, int> SkippedBySource { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, int> CountsByTypeAction { get; } = new(StringComparer.Ordinal);

    public int SkippedCount => SkippedBySource.Values.Sum();

    public void Add(string source, Guid definition, IocType type, IocAction action, string raw)
    {
        var normalized = IocValueNormalizer.Normalize(type, action, raw);
        if (!normalized.IsValid)
        {
            Skip(source, $"{type}/{action} rejected by IocValueNormalizer");
            return;
        }

        Iocs.Add(new MatchableIoc(Guid.NewGuid(), definition, type, action, normalized.Value, null));
        Increment(LoadedBySource, source);
        Increment(CountsByTypeAction, $"{type}/{action}");
    }

    public void Skip(string source, string reason) => Increment(SkippedBySource, $"{source}: {reason}");

    private static void Increment(SortedDictionary<string, int> counts, string key) =>
        counts[key] = counts.TryGetValue(key, out var count) ? count + 1 : 1;
}
