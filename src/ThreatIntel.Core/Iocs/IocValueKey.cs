using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace ThreatIntel.Core.Iocs;

/// <summary>
/// The fixed-size identity of a normalised value, indexed by the database. Values may be up to
/// <see cref="FieldLimits.IocValueMaxLength"/> characters, longer than SQL Server lets an index key be, so
/// uniqueness and look-ups go through a SHA-256 of the comparison form instead of the text itself.
/// </summary>
public static class IocValueKey
{
    public static byte[] Compute(IocType type, IocAction action, string normalizedValue)
    {
        var comparisonForm = IocTypeRules.IsFreeText(type) && action != IocAction.Regex
            ? OrdinalIgnoreCaseForm(normalizedValue)
            : normalizedValue;
        return SHA256.HashData(Encoding.UTF8.GetBytes(comparisonForm));
    }

    /// <summary>
    /// Upper-cases only where <see cref="StringComparison.OrdinalIgnoreCase"/> sees no difference, so that two values
    /// share a key exactly when the matcher treats them as equal. <see cref="string.ToUpperInvariant"/> alone also
    /// folds characters that comparison keeps apart (U+017F 'ſ' becomes 'S'), which would turn a homoglyph IOC such as
    /// <c>ſvchost.exe</c> into a duplicate of <c>svchost.exe</c> and leave it undetected.
    /// </summary>
    private static string OrdinalIgnoreCaseForm(string value)
    {
        var builder = new StringBuilder(value.Length);
        Span<char> upper = stackalloc char[2];
        var remaining = value.AsSpan();
        while (!remaining.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(remaining, out var rune, out var consumed) != OperationStatus.Done)
            {
                // An unpaired surrogate has no case; ordinal comparison still tells it apart, so it is kept.
                builder.Append(remaining[0]);
                remaining = remaining[1..];
                continue;
            }

            var original = remaining[..consumed];
            var upperRune = upper[..Rune.ToUpperInvariant(rune).EncodeToUtf16(upper)];
            builder.Append(original.Equals(upperRune, StringComparison.OrdinalIgnoreCase) ? upperRune : original);
            remaining = remaining[consumed..];
        }

        return builder.ToString();
    }
}
