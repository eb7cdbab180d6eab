using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Iocs.Normalization;

namespace ThreatIntel.Core.Feeds.Formats;

/// <summary>
/// Tells the type (and the action) of a bare value from its shape, for plain lists (<c>text/plain</c> feeds), where a
/// line holds a value and nothing says what it is. The value is trimmed and the rules are tried in this order; the
/// first that fits wins:
/// <list type="number">
/// <item>32, 40 or 64 hexadecimal characters (either case): <c>FileMd5</c>, <c>FileSha1</c>, <c>FileSha256</c>,
/// <c>Equals</c>. A 40-character hash is taken as a file SHA-1, never as a certificate thumbprint. Another length of
/// 16 or more hex characters is refused as a truncated hash.</item>
/// <item>A value that starts with a scheme, <c>scheme://</c> (<c>http://</c>, <c>https://</c>, <c>ftp://</c>, ...):
/// <c>Url</c>, <c>StartsWith</c>. Defanged values (<c>hxxp://</c>, <c>evil[.]com</c>) are refused, not re-fanged.</item>
/// <item>An IPv4 or IPv6 address, a <c>/</c> and a prefix length (<c>10.0.0.0/8</c>, <c>2001:db8::/32</c>):
/// <c>IpAddress</c>, <c>InRange</c>.</item>
/// <item>An IPv6 address in brackets, with or without a port (<c>[2001:db8::1]:443</c>): <c>IpAddress</c>,
/// <c>Equals</c>, the address alone (brackets and port dropped).</item>
/// <item>A bare IPv4 or IPv6 address: <c>IpAddress</c>, <c>Equals</c>.</item>
/// <item>An IPv4 address with a port (<c>1.2.3.4:8080</c>): <c>IpAddress</c>, <c>Equals</c>, the port dropped. A port
/// outside 1 to 65535 (<c>1.2.3.4:0</c>, <c>1.2.3.4:80800</c>, both found in real feeds) is refused.</item>
/// <item>A host (a dotted domain name, an IP address or a bracketed IPv6 address, optionally with user info and a
/// port) followed by a path or a query (<c>evil.com/gate.php</c>, <c>1.2.3.4/x</c>, <c>evil.com?id=1</c>):
/// <c>Url</c>, <c>StartsWith</c>, the value as given (without a scheme it matches any scheme). A path without a host
/// (<c>/gate.php</c>) is refused: a plain list cannot say how to match it.</item>
/// <item>A dotted domain name with a port (<c>evil.com:8080</c>): <c>DomainName</c>, <c>EndsWith</c>, the port
/// dropped.</item>
/// <item><c>local@domain</c> with a dotted domain: <c>EmailAddress</c>, <c>Equals</c>.</item>
/// <item>A domain name with at least one dot (<c>evil.com</c>, <c>bücher.example</c>): <c>DomainName</c>,
/// <c>EndsWith</c> (so sub-domains match too).</item>
/// </list>
/// Anything else (a single word such as <c>localhost</c>, text with spaces, ...) cannot be told and is refused with
/// an error naming the value. Detection looks at the shape only; the value is then validated and normalised by
/// <see cref="IocValueNormalizer"/> like any other IOC, which may still refuse it (<c>10.0.0.1/8</c> has host bits
/// set).
/// </summary>
public static partial class IocValueDetector
{
    /// <summary>Detects the type and action of one plain-list value (see the class summary for the rules).</summary>
    /// <param name="line">The value, with the line's comment already removed; it is trimmed here.</param>
    /// <param name="type">The detected type.</param>
    /// <param name="action">The action for that type and shape (the defaults of <see cref="IocTypeRules.DefaultAction"/>).</param>
    /// <param name="value">
    /// The value to store: trimmed, and without the port or brackets the rules drop; the trimmed input when detection
    /// fails.
    /// </param>
    /// <param name="error">Why the type cannot be told, when it cannot.</param>
    /// <returns>Whether the type could be told.</returns>
    public static bool TryDetect(
        string line,
        out IocType type,
        out IocAction action,
        out string value,
        [NotNullWhen(false)] out string? error)
    {
        value = line?.Trim() ?? string.Empty;
        type = default;
        action = IocAction.Equals;
        error = null;
        var text = value;

        if (text.Length == 0)
        {
            error = "The line holds no value.";
            return false;
        }

        if (IsDefanged(text))
        {
            error = $"'{text}' is defanged; push the live value (http:// for hxxp://, . for [.]): indicators are only matched, never opened.";
            return false;
        }

        if (IsHex(text))
        {
            switch (text.Length)
            {
                case 32:
                    type = IocType.FileMd5;
                    return true;
                case 40:
                    type = IocType.FileSha1;
                    return true;
                case 64:
                    type = IocType.FileSha256;
                    return true;
                case >= 16:
                    error = $"'{text}' looks like a hash but has {text.Length} hexadecimal characters; MD5, SHA-1 and SHA-256 have 32, 40 and 64.";
                    return false;
            }
        }

        if (SchemePattern().IsMatch(text))
        {
            (type, action) = (IocType.Url, IocAction.StartsWith);
            return true;
        }

        if (IsCidr(text))
        {
            (type, action) = (IocType.IpAddress, IocAction.InRange);
            return true;
        }

        var bracketed = BracketedIPv6Pattern().Match(text);
        if (bracketed.Success && IsIPv6(bracketed.Groups["address"].Value) && IsPortOrEmpty(bracketed.Groups["port"].Value))
        {
            type = IocType.IpAddress;
            value = bracketed.Groups["address"].Value;
            return true;
        }

        if (IpAddressNormalizer.TryParseAddress(text, out _))
        {
            type = IocType.IpAddress;
            return true;
        }

        var withPort = IPv4WithPortPattern().Match(text);
        if (withPort.Success && IpAddressNormalizer.TryParseAddress(withPort.Groups["address"].Value, out _))
        {
            if (!IsPortOrEmpty(withPort.Groups["port"].Value))
            {
                error = $"'{text}' has an invalid port; a port is a number from 1 to 65535.";
                return false;
            }

            type = IocType.IpAddress;
            value = withPort.Groups["address"].Value;
            return true;
        }

        var pathStart = text.IndexOfAny(['/', '?']);
        if (pathStart == 0)
        {
            error = $"'{text}' is a path without a host; a plain list cannot tell how to match it (push it as CSV with type Url and action Contains).";
            return false;
        }

        if (pathStart > 0 && IsUrlAuthority(text[..pathStart]))
        {
            (type, action) = (IocType.Url, IocAction.StartsWith);
            return true;
        }

        var colon = text.LastIndexOf(':');
        if (colon > 0 && colon < text.Length - 1 && pathStart < 0 && IsPortOrEmpty(text[(colon + 1)..])
            && IsDottedDomain(text[..colon]))
        {
            (type, action) = (IocType.DomainName, IocAction.EndsWith);
            value = text[..colon];
            return true;
        }

        var at = text.LastIndexOf('@');
        if (at > 0 && pathStart < 0 && !text[..at].Any(char.IsWhiteSpace) && IsDottedDomain(text[(at + 1)..]))
        {
            type = IocType.EmailAddress;
            return true;
        }

        if (IsDottedDomain(text))
        {
            (type, action) = (IocType.DomainName, IocAction.EndsWith);
            return true;
        }

        error = $"Cannot tell the type of '{text}': it is not a hash, an IP address or CIDR range, a URL, an e-mail address or a domain name with a dot.";
        return false;
    }

    private static bool IsHex(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDefanged(string text) =>
        text.Contains("[.]", StringComparison.Ordinal) || text.Contains("(.)", StringComparison.Ordinal)
        || text.Contains("[:]", StringComparison.Ordinal) || DefangedSchemePattern().IsMatch(text);

    private static bool IsCidr(string text)
    {
        var slash = text.IndexOf('/');
        if (slash <= 0)
        {
            return false;
        }

        var prefix = text.AsSpan(slash + 1);
        return prefix.Length is >= 1 and <= 3 && !prefix.ContainsAnyExceptInRange('0', '9')
            && IpAddressNormalizer.TryParseAddress(text[..slash], out _, mapToIPv4: false);
    }

    private static bool IsIPv6(string text) => text.Contains(':') && IpAddressNormalizer.TryParseAddress(text, out _);

    /// <summary>Empty (no port given) or a number from 1 to 65535.</summary>
    private static bool IsPortOrEmpty(string port) =>
        port.Length == 0
        || (port.Length <= 5 && !port.AsSpan().ContainsAnyExceptInRange('0', '9')
            && int.Parse(port, NumberStyles.None, CultureInfo.InvariantCulture) is >= 1 and <= 65535);

    /// <summary>The part of a scheme-less URL before its path: optional user info, a host and an optional port.</summary>
    private static bool IsUrlAuthority(string authority)
    {
        var hostAndPort = authority[(authority.LastIndexOf('@') + 1)..];
        if (hostAndPort.StartsWith('['))
        {
            var close = hostAndPort.IndexOf(']');
            return close > 0 && IsIPv6(hostAndPort[1..close])
                && (close == hostAndPort.Length - 1
                    || (hostAndPort[close + 1] == ':' && IsPortOrEmpty(hostAndPort[(close + 2)..])));
        }

        var colon = hostAndPort.LastIndexOf(':');
        var host = colon < 0 ? hostAndPort : hostAndPort[..colon];
        if (colon >= 0 && !IsPortOrEmpty(hostAndPort[(colon + 1)..]))
        {
            return false;
        }

        return (!host.Contains(':') && IpAddressNormalizer.TryParseAddress(host, out _)) || IsDottedDomain(host);
    }

    /// <summary>A valid domain name with at least two labels (a single word is too ambiguous to be a domain).</summary>
    private static bool IsDottedDomain(string text)
    {
        var domain = DomainNameNormalizer.Normalize(text);
        return domain.IsValid && domain.Value.Contains('.');
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*://", RegexOptions.CultureInvariant)]
    private static partial Regex SchemePattern();

    [GeneratedRegex("^(hxxps?|fxp)://", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DefangedSchemePattern();

    [GeneratedRegex(@"^\[(?<address>[^\]]+)\](:(?<port>[0-9]{1,5}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex BracketedIPv6Pattern();

    [GeneratedRegex(@"^(?<address>[0-9]{1,3}(\.[0-9]{1,3}){3}):(?<port>[0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex IPv4WithPortPattern();
}
