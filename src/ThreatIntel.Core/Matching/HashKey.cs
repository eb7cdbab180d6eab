using System.Buffers;
using System.Buffers.Binary;

namespace ThreatIntel.Core.Matching;

/// <summary>
/// A hash of up to 256 bits as a fixed-size key: 32 bytes inline in the dictionary entry instead of a reference to a
/// 32 to 64 character string, which would be most of the index's memory when it holds millions of hashes.
/// </summary>
internal readonly struct HashKey(UInt128 low, UInt128 high) : IEquatable<HashKey>
{
    private const int MaxBytes = 32;

    private static readonly SearchValues<char> UpperHexLetters = SearchValues.Create("ABCDEF");

    private readonly UInt128 low = low;
    private readonly UInt128 high = high;

    /// <summary>
    /// Reads normalised (lower-case) hex of exactly <paramref name="hexLength"/> characters. Anything else is not a
    /// stored form, so it is reported unreadable and compares unequal to every key, as the string would.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> lowerHex, int hexLength, out HashKey key)
    {
        key = default;
        if (lowerHex.Length != hexLength || hexLength > MaxBytes * 2 || lowerHex.ContainsAny(UpperHexLetters))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[MaxBytes];
        bytes.Clear();
        if (Convert.FromHexString(lowerHex, bytes, out _, out _) != OperationStatus.Done)
        {
            return false;
        }

        key = new HashKey(
            BinaryPrimitives.ReadUInt128LittleEndian(bytes), BinaryPrimitives.ReadUInt128LittleEndian(bytes[16..]));
        return true;
    }

    public bool Equals(HashKey other) => low == other.low && high == other.high;

    public override bool Equals(object? obj) => obj is HashKey other && Equals(other);

    /// <summary>The bits of a cryptographic hash are already uniformly spread, so the lowest 64 are hash code enough.</summary>
    public override int GetHashCode() => ((ulong)low).GetHashCode();
}
