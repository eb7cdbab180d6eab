namespace ThreatIntel.Core.Iocs.Normalization;

internal static class HexHashNormalizer
{
    public static NormalizationResult Normalize(string value, int hexLength, string kind)
    {
        if (value.Length != hexLength)
        {
            return NormalizationResult.Invalid(
                $"A {kind} must be exactly {hexLength} hexadecimal characters; got {value.Length}.");
        }

        if (!value.AsSpan().ContainsOnlyHexDigits())
        {
            return NormalizationResult.Invalid($"A {kind} may contain only hexadecimal characters (0-9, a-f).");
        }

        return NormalizationResult.Valid(value.ToLowerInvariant());
    }

    private static bool ContainsOnlyHexDigits(this ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
