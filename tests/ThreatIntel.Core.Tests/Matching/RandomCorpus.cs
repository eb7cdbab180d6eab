using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Iocs.Normalization;
using ThreatIntel.Core.Matching;
using ThreatIntel.Core.Tests.Iocs;

namespace ThreatIntel.Core.Tests.Matching;

/// <summary>
/// Random IOCs and observables for the differential tests. Values are drawn from small vocabularies (a few labels,
/// path segments, free-text tokens with case and Unicode look-alikes, nested networks) so that they collide, nest and
/// overlap far more often than real data would; observables are partly built from the IOC values so that matches are
/// frequent. Raw values go through the product's normalisers, as they would through the API.
/// </summary>
internal sealed class RandomCorpus
{
    private static readonly string[] Labels =
        ["a", "b", "evil", "notevil", "com", "net", "x-y", "EVIL", "bücher", "xn--bcher-kva", "_srv", "co"];

    private static readonly string[] Paths =
        ["", "/", "/a", "/a/", "/a/b", "/A", "/a/b/c.exe", "/a?x=1", "/a#f", "/payload", "/pay"];

    private static readonly string[] UrlFragments = ["/a", "evil", "://", ".com/", "A", "?x=", "http", "/pay", "b/c"];

    private static readonly string[] LocalParts = ["a", "b", "Admin", "info", "x.y", "a+b"];

    /// <summary>ASCII, a backslash, space, and characters whose case rules differ (ſ, ı, the Kelvin sign, Deseret).</summary>
    private static readonly string[] FreeTextTokens =
        ["a", "b", "A", "B", "\\", ".", " ", "ä", "Ä", "ſ", "s", "S", "K", "k", "\u212A", "ı", "i", "I", "\U00010400",
         "\U00010428", "exe", "EXE", "cmd", "Cmd"];

    private static readonly string[] RegexTemplates =
    [
        "{0}", "^{0}", "{0}$", @"{0}\d*", "(?i){0}", "[ab]+{0}", "{0}|{1}", "({0})?{1}", "{0}.*{1}", @"\.{0}",
        "(?i:{0}){1}", "{0}+{1}", "x?{0}", "[^.]*{0}$", @"\b{0}", "(a|b){0}", "{0}{{2}}", "{0}{{0,2}}{1}", "(?s){0}.", @"^.{{3,}}$",
        @"\d", "^[a-z]+$", "(?i)^{0}$",
    ];

    private static readonly IReadOnlyList<(IocType Type, IocAction Action)> Pairs =
        [.. SpecTable.AllowedActions.SelectMany(entry => entry.Value.Select(action => (entry.Key, action)))];

    private static readonly int[] IPv4PrefixLengths = [0, 8, 16, 24, 29, 30, 31, 32];
    private static readonly int[] IPv6PrefixLengths = [0, 16, 32, 48, 64, 96, 112, 120, 126, 127, 128];

    private readonly Random random;
    private readonly Dictionary<IocType, string[]> hashPools = [];
    private readonly Guid[] definitions;

    public RandomCorpus(int seed, int definitionCount)
    {
        random = new Random(seed);
        definitions = [.. Enumerable.Range(0, definitionCount).Select(_ => NewGuid())];
        foreach (var (type, hexLength) in new[]
                 {
                     (IocType.FileMd5, 32), (IocType.FileSha1, 40), (IocType.FileSha256, 64),
                     (IocType.CertificateThumbprint, 40),
                 })
        {
            hashPools[type] = [.. Enumerable.Range(0, 12).Select(_ => Hex(hexLength))];
        }
    }

    public static IReadOnlyList<(IocType Type, IocAction Action)> AllowedPairs => Pairs;

    /// <summary>
    /// <paramref name="count"/> IOCs, the allowed pairs in turn so that each has its share (regex pairs half a share,
    /// because compiling patterns is what makes a test run slow); about one in seven has an expiry, in the past, in the
    /// future or exactly at <paramref name="now"/> (which no longer matches).
    /// </summary>
    public List<MatchableIoc> Iocs(int count, DateTime now)
    {
        var iocs = new List<MatchableIoc>(count);
        for (var attempt = 0; iocs.Count < count; attempt++)
        {
            var (type, action) = Pairs[attempt % Pairs.Count];
            if (action == IocAction.Regex && attempt / Pairs.Count % 2 == 1)
            {
                continue;
            }

            var normalized = IocValueNormalizer.Normalize(type, action, RawIocValue(type, action));
            if (!normalized.IsValid)
            {
                continue;
            }

            DateTime? expiresAt = random.Next(21) switch
            {
                0 => now.AddHours(-1),
                1 => now.AddHours(1),
                2 => now,
                _ => null,
            };
            iocs.Add(new MatchableIoc(NewGuid(), Pick(definitions), type, action, normalized.Value, expiresAt));
        }

        return iocs;
    }

    /// <summary>An observed value of <paramref name="type"/>, half the time built from one of the IOC values.</summary>
    public string RawObservable(IocType type, IReadOnlyList<string> iocValuesOfType) =>
        iocValuesOfType.Count > 0 && random.Next(2) == 0
            ? Derive(type, Pick(iocValuesOfType))
            : RandomObservable(type);

    private string RawIocValue(IocType type, IocAction action) => (type, action) switch
    {
        (_, IocAction.Regex) => RegexPattern(type),
        (IocType.FileMd5 or IocType.FileSha1 or IocType.FileSha256 or IocType.CertificateThumbprint, _) =>
            FlipCase(Pick(hashPools[type])),
        (IocType.IpAddress, IocAction.InRange) => Cidr(),
        (IocType.IpAddress, _) => Address(),
        (IocType.DomainName, IocAction.Contains) => random.Next(3) == 0 ? Pick(Labels) : Substring(Domain()),
        (IocType.DomainName, _) => Domain(),
        (IocType.Url, IocAction.Contains) => random.Next(3) == 0 ? Pick(UrlFragments) : Substring(CanonicalUrl()),
        (IocType.Url, IocAction.StartsWith) => Prefix(CanonicalUrl()),
        (IocType.Url, _) => Url(),
        (IocType.EmailAddress, IocAction.EndsWith) => random.Next(4) switch
        {
            0 => "@" + Domain(),
            1 => Domain(),
            2 => "." + Pick(Labels),
            _ => Suffix(Email()),
        },
        (IocType.EmailAddress, _) => Email(),
        _ => FreeText(1, 3),
    };

    private string RandomObservable(IocType type) => type switch
    {
        IocType.FileMd5 or IocType.FileSha1 or IocType.FileSha256 or IocType.CertificateThumbprint =>
            random.Next(4) switch
            {
                0 => Hex(hashPools[type][0].Length),
                1 => Hex(hashPools[type][0].Length - 1),
                _ => FlipCase(Pick(hashPools[type])),
            },
        IocType.IpAddress => Address(),
        IocType.DomainName => Domain(),
        IocType.Url => Url(),
        IocType.EmailAddress => random.Next(5) == 0 ? $"{Pick(LocalParts)}@{Email()}" : Email(),
        _ => FreeText(0, 8),
    };

    /// <summary>A value close to an IOC value: inside its range, a sub-domain, a longer URL, surrounded by text.</summary>
    private string Derive(IocType type, string iocValue) => type switch
    {
        IocType.IpAddress => iocValue.Contains('/') ? AddressNear(iocValue) : MaybeMapped(iocValue),
        IocType.DomainName => random.Next(3) switch
        {
            0 => Pick(Labels) + "." + iocValue.Trim('.'),
            1 => iocValue.Trim('.') + "." + Pick(Labels),
            _ => FlipCase(iocValue.Trim('.')) + (random.Next(4) == 0 ? "." : string.Empty),
        },
        IocType.Url => random.Next(7) switch
        {
            0 => Pick(["http://", "https://", "FTP://", "web.cal://", "http://a."]) + iocValue,
            1 or 2 => iocValue + Pick(Paths),
            3 => Url() + iocValue,
            _ => iocValue,
        },
        IocType.EmailAddress => random.Next(3) switch
        {
            0 => Pick(LocalParts) + iocValue,
            1 => Pick(LocalParts) + "@" + Pick(Labels) + iocValue,
            _ => FlipCase(iocValue),
        },
        IocType.FileMd5 or IocType.FileSha1 or IocType.FileSha256 or IocType.CertificateThumbprint => FlipCase(iocValue),
        _ => FreeText(0, 2) + FlipCase(iocValue) + FreeText(0, 2),
    };

    private string Domain()
    {
        var labels = Enumerable.Range(0, random.Next(1, 5)).Select(_ => Pick(Labels));
        return string.Join('.', labels) + (random.Next(10) == 0 ? "." : string.Empty);
    }

    private string Url()
    {
        var scheme = Pick(["http://", "https://", "HTTP://", "ftp://", "svn+ssh://", "web.cal://", "", "", ""]);
        var host = random.Next(8) switch
        {
            0 => V4(),
            1 => "[" + V6() + "]",
            _ => Domain().TrimEnd('.'),
        };
        var port = Pick(["", "", "", ":80", ":443", ":8080"]);
        return scheme + host + port + Pick(Paths);
    }

    private string CanonicalUrl()
    {
        while (true)
        {
            if (UrlNormalizer.Normalize(Url()) is { IsValid: true } url)
            {
                return url.Value;
            }
        }
    }

    private string Email() => Pick(LocalParts) + "@" + Domain().TrimEnd('.');

    private string FreeText(int minTokens, int maxTokens) =>
        string.Concat(Enumerable.Range(0, random.Next(minTokens, maxTokens + 1)).Select(_ => Pick(FreeTextTokens)));

    private string RegexPattern(IocType type)
    {
        string Literal() => Regex.Escape(type switch
        {
            IocType.DomainName => Pick(Labels),
            IocType.Url => Pick(UrlFragments),
            IocType.EmailAddress => Pick([.. LocalParts, .. Labels, "@"]),
            _ => FreeText(1, 2),
        });

        return string.Format(CultureInfo.InvariantCulture, Pick(RegexTemplates), Literal(), Literal());
    }

    private string Address() => random.Next(3) == 0 ? V6() : V4();

    private string V4() => random.Next(10) switch
    {
        0 => string.Join('.', Enumerable.Range(0, 4).Select(_ => random.Next(256))),
        1 => Pick(["0.0.0.0", "255.255.255.255", "10.0.0.0", "10.255.255.255"]),
        _ => $"10.{random.Next(3)}.{random.Next(4)}.{random.Next(8)}",
    };

    private string V6() => random.Next(8) switch
    {
        0 => string.Join(':', Enumerable.Range(0, 8).Select(_ => random.Next(65536).ToString("x", CultureInfo.InvariantCulture))),
        1 => Pick(["::", "::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "2001:DB8::"]),
        2 => "::ffff:" + V4(),
        _ => $"2001:db8:{random.Next(3):x}::{random.Next(3):x}:{random.Next(16):x}",
    };

    /// <summary>A network around a generated address, with a prefix length from /0 to a single host.</summary>
    private string Cidr()
    {
        var address = IPAddress.Parse(Address());
        var width = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefixLength = random.Next(3) == 0
            ? Pick(width == 32 ? IPv4PrefixLengths : IPv6PrefixLengths)
            : random.Next(width + 1);
        var (bits, _) = ToBits(address);
        return $"{FromBits(bits & Mask(prefixLength, width), width)}/{prefixLength}";
    }

    /// <summary>The first or last address of the range, one just outside it, or any address inside it.</summary>
    private string AddressNear(string cidr)
    {
        var network = IPNetwork.Parse(cidr);
        var (first, width) = ToBits(network.BaseAddress);
        var last = first | ~Mask(network.PrefixLength, width) & Mask(width, width);
        var address = random.Next(5) switch
        {
            0 => first,
            1 => last,
            2 => first - 1,
            3 => last + 1,
            _ => first | (RandomBits() & ~Mask(network.PrefixLength, width)),
        };
        return MaybeMapped(FromBits(address & Mask(width, width), width).ToString());
    }

    private string MaybeMapped(string address) =>
        random.Next(4) == 0 && !address.Contains(':') ? "::FFFF:" + address : FlipCase(address);

    private static (UInt128 Bits, int Width) ToBits(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return bytes.Length == 4
            ? (BinaryPrimitives.ReadUInt32BigEndian(bytes), 32)
            : (BinaryPrimitives.ReadUInt128BigEndian(bytes), 128);
    }

    private static IPAddress FromBits(UInt128 bits, int width)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, bits);
        return new IPAddress(width == 32 ? bytes[12..] : bytes);
    }

    private static UInt128 Mask(int prefixLength, int width) =>
        prefixLength == 0 ? UInt128.Zero : (UInt128.MaxValue << (128 - prefixLength)) >> (128 - width);

    private UInt128 RandomBits()
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    private string Hex(int length) =>
        string.Concat(Enumerable.Range(0, length).Select(_ => "0123456789abcdef"[random.Next(16)]));

    private string Substring(string value)
    {
        var start = random.Next(value.Length);
        return value[start..random.Next(start + 1, value.Length + 1)];
    }

    private string Prefix(string value) => value[..random.Next(1, value.Length + 1)];

    private string Suffix(string value) => value[random.Next(value.Length)..];

    private string FlipCase(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            builder.Append(random.Next(3) switch
            {
                0 => char.ToUpperInvariant(c),
                1 => char.ToLowerInvariant(c),
                _ => c,
            });
        }

        return builder.ToString();
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private Guid NewGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }
}
