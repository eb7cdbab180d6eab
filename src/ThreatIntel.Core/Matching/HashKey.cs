using System.Buffers;
using System.Buffers.Binary;

namespace ThreatIntel.Core.Matching;

/// <summary>
/// A hash of up to 256 bits as a fixed-size key: 32 bytes inline in the dictionary entry instead of a reference to a
/// 32 to 64 character string, which would be most of the index's memory when it holds millions of hashes.
/// </summary>
internal readonly record struct HashKey(UInt128 Low, UInt128 High)
{
    private const int MaxBytes = 32;

    private static readonly SearchValues<char> LowerHexDigits = SearchValues.Create("0123456789abcdef");

    /// <summary>
    /// Reads normalised (lower-case) hex of exactly <paramref name="hexLength"/> characters. Anything else is not a
    /// stored form, so it is reported unreadable and compares unequal to every key, as the string would.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> lowerHex, int hexLength, out HashKey key)
    {
        key = default;
        if (lowerHex.Length != hexLength || hexLength > MaxBytes * 2 || lowerHex.ContainsAnyExcept(LowerHexDigits))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[MaxBytes];
        bytes.Clear();
        Convert.FromHexString(lowerHex, bytes, out _, out _);
        key = new HashKey(
            BinaryPrimitives.ReadUInt128LittleEndian(bytes), BinaryPrimitives.ReadUInt128LittleEndian(bytes[16..]));
        return true;
    }
}
