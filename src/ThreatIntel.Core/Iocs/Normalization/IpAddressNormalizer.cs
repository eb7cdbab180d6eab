using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ThreatIntel.Core.Iocs.Normalization;

/// <summary>
/// Strict IP address and CIDR parsing. <see cref="IPAddress.TryParse(string, out IPAddress)"/> alone accepts
/// legacy forms such as <c>10.1</c> or <c>0x0a.0.0.1</c> that no analyst means, so IPv4 is parsed as a dotted quad.
/// </summary>
public static class IpAddressNormalizer
{
    public static NormalizationResult NormalizeAddress(string value)
    {
        if (value.Contains('/'))
        {
            return NormalizationResult.Invalid(
                "A CIDR range is only allowed with the InRange action; Equals takes a single address.");
        }

        return TryParseAddress(value, out var address)
            ? NormalizationResult.Valid(address.ToString())
            : NormalizationResult.Invalid($"'{value}' is not an IPv4 or IPv6 address.");
    }

    public static NormalizationResult NormalizeRange(string value)
    {
        var slash = value.IndexOf('/');
        if (slash < 0)
        {
            return NormalizationResult.Invalid(
                $"InRange takes a CIDR range such as 10.0.0.0/8 or 2001:db8::/32; '{value}' has no prefix length.");
        }

        var addressText = value[..slash];
        var prefixText = value[(slash + 1)..];
        if (!TryParseAddress(addressText, out var address, mapToIPv4: false))
        {
            return NormalizationResult.Invalid($"'{addressText}' is not an IPv4 or IPv6 address.");
        }

        var maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (prefixText.Length is 0 or > 3 || !prefixText.All(char.IsAsciiDigit)
            || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            || prefix > maxPrefix)
        {
            return NormalizationResult.Invalid($"The prefix length must be a number from 0 to {maxPrefix}.");
        }

        if (address.IsIPv4MappedToIPv6 && prefix >= 96)
        {
            address = address.MapToIPv4();
            prefix -= 96;
        }

        var network = MaskHostBits(address, prefix);
        if (!network.Equals(address))
        {
            return NormalizationResult.Invalid(
                $"'{value}' has host bits set; the network of that range is {network}/{prefix}.");
        }

        return NormalizationResult.Valid($"{network}/{prefix}");
    }

    /// <summary>Parses an address, mapping IPv4-mapped IPv6 addresses to IPv4 unless told otherwise.</summary>
    public static bool TryParseAddress(string text, out IPAddress address, bool mapToIPv4 = true)
    {
        address = IPAddress.None;
        if (text.Contains(':'))
        {
            // Zone ids (fe80::1%eth0) name an interface on one host and mean nothing in an indicator.
            if (text.Contains('%') || text.Contains('[')
                || !IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            address = mapToIPv4 && parsed.IsIPv4MappedToIPv6 ? parsed.MapToIPv4() : parsed;
            return true;
        }

        return TryParseDottedQuad(text, out address);
    }

    private static bool TryParseDottedQuad(string text, out IPAddress address)
    {
        address = IPAddress.None;
        Span<byte> bytes = stackalloc byte[4];
        var part = 0;
        foreach (var range in text.AsSpan().Split('.'))
        {
            var octet = text.AsSpan()[range];
            if (part == 4 || octet.Length is 0 or > 3 || !octet.ContainsOnlyAsciiDigits()
                || (octet.Length > 1 && octet[0] == '0'))
            {
                return false;
            }

            var number = int.Parse(octet, NumberStyles.None, CultureInfo.InvariantCulture);
            if (number > 255)
            {
                return false;
            }

            bytes[part++] = (byte)number;
        }

        if (part != 4)
        {
            return false;
        }

        address = new IPAddress(bytes);
        return true;
    }

    private static bool ContainsOnlyAsciiDigits(this ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static IPAddress MaskHostBits(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var bitsInThisByte = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - bitsInThisByte));
        }

        return new IPAddress(bytes);
    }
}
