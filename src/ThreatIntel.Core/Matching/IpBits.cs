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
    public static bool TryParse(string text, out IpBits bits)
    {
        bits = default;
        if (!IpAddressNormalizer.TryParseAddress(text, out var address, mapToIPv4: false))
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
}
