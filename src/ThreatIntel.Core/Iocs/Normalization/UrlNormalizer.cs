using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace ThreatIntel.Core.Iocs.Normalization;

/// <summary>
/// URL canonicalisation: scheme and host lower-cased, the scheme's default port dropped, an empty path written as
/// <c>/</c>; user info, path, query and fragment are kept exactly as given, because they are case-sensitive.
/// A value without a scheme (<c>evil.com/payload</c>) is kept without one and matches any scheme.
/// </summary>
public static partial class UrlNormalizer
{
    private static readonly Dictionary<string, int> DefaultPorts = new(StringComparer.Ordinal)
    {
        ["http"] = 80,
        ["https"] = 443,
        ["ws"] = 80,
        ["wss"] = 443,
        ["ftp"] = 21,
    };

    public static NormalizationResult Normalize(string value)
    {
        if (value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return NormalizationResult.Invalid("A URL must not contain whitespace or control characters.");
        }

        var schemeMatch = SchemePattern().Match(value);
        var scheme = schemeMatch.Success ? schemeMatch.Groups[1].Value.ToLowerInvariant() : null;
        var rest = schemeMatch.Success ? value[schemeMatch.Length..] : value;
        if (rest.Length == 0 || rest[0] == '/')
        {
            return NormalizationResult.Invalid($"'{value}' has no host; give an absolute URL or host/path.");
        }

        var authorityEnd = rest.IndexOfAny(['/', '?', '#']);
        var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        var tail = authorityEnd < 0 ? string.Empty : rest[authorityEnd..];
        if (tail.Length == 0 || tail[0] != '/')
        {
            tail = "/" + tail;
        }

        var at = authority.LastIndexOf('@');
        var userInfo = at < 0 ? string.Empty : authority[..(at + 1)];
        var hostAndPort = authority[(at + 1)..];

        if (!TrySplitHostAndPort(hostAndPort, out var hostText, out var portText, out var isIPv6Literal))
        {
            return NormalizationResult.Invalid($"'{value}' has a malformed host or port.");
        }

        var host = NormalizeHost(hostText, isIPv6Literal, requireDot: scheme is null);
        if (!host.IsValid)
        {
            return NormalizationResult.Invalid($"'{value}' has an invalid host: {host.Error}");
        }

        var port = string.Empty;
        if (portText.Length > 0)
        {
            if (portText.Length > 5 || !portText.All(char.IsAsciiDigit)
                || int.Parse(portText, CultureInfo.InvariantCulture) is var number && number > 65535)
            {
                return NormalizationResult.Invalid($"'{value}' has an invalid port.");
            }

            var isDefault = scheme is not null && DefaultPorts.TryGetValue(scheme, out var defaultPort)
                && defaultPort == number;
            port = isDefault ? string.Empty : ":" + number.ToString(CultureInfo.InvariantCulture);
        }

        var prefix = scheme is null ? string.Empty : scheme + "://";
        return NormalizationResult.Valid(prefix + userInfo + host.Value + port + tail);
    }

    private static bool TrySplitHostAndPort(string hostAndPort, out string host, out string port, out bool isIPv6Literal)
    {
        isIPv6Literal = hostAndPort.StartsWith('[');
        if (isIPv6Literal)
        {
            var close = hostAndPort.IndexOf(']');
            host = close < 0 ? string.Empty : hostAndPort[1..close];
            var afterHost = close < 0 ? string.Empty : hostAndPort[(close + 1)..];
            port = afterHost.StartsWith(':') ? afterHost[1..] : string.Empty;
            return close > 0 && (afterHost.Length == 0 || afterHost[0] == ':');
        }

        var colon = hostAndPort.LastIndexOf(':');
        host = colon < 0 ? hostAndPort : hostAndPort[..colon];
        port = colon < 0 ? string.Empty : hostAndPort[(colon + 1)..];
        return host.Length > 0;
    }

    private static NormalizationResult NormalizeHost(string host, bool isIPv6Literal, bool requireDot)
    {
        if (isIPv6Literal)
        {
            if (!IpAddressNormalizer.TryParseAddress(host, out var address) || !host.Contains(':'))
            {
                return NormalizationResult.Invalid($"'{host}' is not an IPv6 address.");
            }

            return NormalizationResult.Valid(address.AddressFamily == AddressFamily.InterNetworkV6
                ? $"[{address}]"
                : address.ToString());
        }

        if (IpAddressNormalizer.TryParseAddress(host, out var ipv4))
        {
            return NormalizationResult.Valid(ipv4.ToString());
        }

        var domain = DomainNameNormalizer.Normalize(host);
        if (domain.IsValid && requireDot && !domain.Value.Contains('.'))
        {
            return NormalizationResult.Invalid(
                $"'{host}' is not a fully qualified host; a URL without a scheme needs one such as evil.com/path.");
        }

        return domain;
    }

    [GeneratedRegex("^([A-Za-z][A-Za-z0-9+.-]*)://")]
    private static partial Regex SchemePattern();
}
