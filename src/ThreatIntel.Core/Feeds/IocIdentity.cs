using System.Buffers.Binary;
using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Core.Feeds;

/// <summary>
/// What makes two IOCs of one definition the same — type, action and the <see cref="IocValueKey"/> of the normalised
/// value, the key the database's unique index holds — as a small value, so that the IOCs of a feed with millions of
/// rows can be compared with what is stored without keeping a second copy of every value.
/// </summary>
public readonly record struct IocIdentity(IocType Type, IocAction Action, UInt128 HashLow, UInt128 HashHigh)
{
    public static IocIdentity Of(IocType type, IocAction action, string normalizedValue) =>
        FromHash(type, action, IocValueKey.Compute(type, action, normalizedValue));

    /// <param name="valueHash">The 32-byte <see cref="IocValueKey"/> stored with an IOC.</param>
    public static IocIdentity FromHash(IocType type, IocAction action, ReadOnlySpan<byte> valueHash) =>
        new(type, action, BinaryPrimitives.ReadUInt128LittleEndian(valueHash), BinaryPrimitives.ReadUInt128LittleEndian(valueHash[16..]));

    public byte[] ValueHash()
    {
        var bytes = new byte[FieldLimits.ValueHashLength];
        BinaryPrimitives.WriteUInt128LittleEndian(bytes, HashLow);
        BinaryPrimitives.WriteUInt128LittleEndian(bytes.AsSpan(16), HashHigh);
        return bytes;
    }
}
