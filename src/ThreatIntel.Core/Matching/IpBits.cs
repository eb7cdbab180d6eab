using System.Buffers.Binary;
using System.Net.Sockets;
using ThreatIntel.Core.Iocs.Normalization;

namespace ThreatIntel.Core.Matching;

/// <summary>
/// An IP address as a number (32 bits for IPv4, 128 for IPv6), so that networks are found by masking and hashing
/// instead of by comparing address objects.
/// </summary>
internal readonly record struct IpBits(bool IsIPv6, UInt128 Value)
{
    /// <summary>
    /// Reads an address in its normalised text. No mapping is done here: IPv4-mapped addresses were already turned
    /// into IPv4 by normalisation, and a range such as <c>::ffff:0:0/96</c>'s network must stay IPv6.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out IpBits bits)
    {
        // Most observables are IPv4 in the canonical dotted form normalisation writes; reading it directly keeps the
        // hot path free of an IPAddress allocation. Anything else takes the general parser.
        if (TryParseCanonicalIPv4(text, out var ipv4))
        {
            bits = new IpBits(false, ipv4);
            return true;
        }

        bits = default;
        if (!IpAddressNormalizer.TryParseAddress(text.ToString(), out var address, mapToIPv4: false))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[16];
        _ = address.TryWriteBytes(bytes, out _);
        bits = address.AddressFamily == AddressFamily.InterNetworkV6
            ? new IpBits(true, BinaryPrimitives.ReadUInt128BigEndian(bytes))
            : new IpBits(false, BinaryPrimitives.ReadUInt32BigEndian(bytes));
        return true;
    }

    /// <summary>Four decimal octets of 0 to 255 without leading zeros, separated by dots, as normalisation writes them.</summary>
    private static bool TryParseCanonicalIPv4(ReadOnlySpan<char> text, out uint address)
    {
        address = 0;
        if (text.Length is < 7 or > 15)
        {
            return false;
        }

        uint octet = 0;
        var digits = 0;
        var dots = 0;
        foreach (var c in text)
        {
            var digit = (uint)(c - '0');
            if (digit <= 9)
            {
                // A leading zero is not canonical (and would be octal to some parsers).
                if (digits == 1 && octet == 0)
                {
                    return false;
                }

                octet = (octet * 10) + digit;
                digits++;
                if (octet > 255)
                {
                    return false;
                }
            }
            else if (c == '.' && digits > 0 && dots < 3)
            {
                address = (address << 8) | octet;
                octet = 0;
                digits = 0;
                dots++;
            }
            else
            {
                return false;
            }
        }

        if (dots != 3 || digits == 0)
        {
            return false;
        }

        address = (address << 8) | octet;
        return true;
    }
}
