using System.Text.RegularExpressions;

namespace ThreatIntel.Core.Iocs.Normalization;

/// <summary>
/// Compiles patterns the way the matching engine runs them, so that a pattern that cannot run is rejected when it
/// is saved rather than failing (or backtracking without end) when an event arrives.
/// </summary>
public static class RegexPatternValidator
{
    public const RegexOptions MatchingOptions = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    public static NormalizationResult Validate(string pattern)
    {
        if (pattern.Length > FieldLimits.RegexPatternMaxLength)
        {
            return NormalizationResult.Invalid(
                $"A regular expression must be at most {FieldLimits.RegexPatternMaxLength} characters.");
        }

        try
        {
            _ = new Regex(pattern, MatchingOptions);
            return NormalizationResult.Valid(pattern);
        }
        catch (NotSupportedException ex)
        {
            // The engine names the construct (backreference, lookaround, atomic group, ...) in its message.
            return NormalizationResult.Invalid($"The pattern uses a construct the linear-time matcher cannot run: {ex.Message}");
        }
        catch (ArgumentException ex)
        {
            return NormalizationResult.Invalid($"The pattern does not compile: {ex.Message}");
        }
    }
}
