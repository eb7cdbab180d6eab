using System.Text.RegularExpressions;
using ThreatIntel.Core.Iocs.Normalization;

namespace ThreatIntel.Core.Matching;

/// <summary>
/// <c>Regex</c>: each distinct pattern is compiled once with the options it was validated with (linear-time
/// <see cref="RegexOptions.NonBacktracking"/>). Patterns that require a literal (<see cref="RequiredLiteral"/>) run
/// only on values in which a multi-pattern search found that literal, so thousands of patterns cost one search plus
/// the few that can match; only patterns without a literal run on every value.
/// </summary>
internal sealed class RegexMatcher(CompiledPattern[] unfiltered, SubstringSearch<CompiledPattern[]>? byLiteral) : IIocMatcher
{
    public static RegexMatcher Create(IEnumerable<MatchableIoc> iocs)
    {
        var byPattern = new Dictionary<string, MatchableIoc[]>(StringComparer.Ordinal);
        foreach (var ioc in iocs)
        {
            Postings.Add(byPattern, ioc.Value, ioc);
        }

        var unfiltered = new List<CompiledPattern>();
        var byLiteral = new Dictionary<string, CompiledPattern[]>(StringComparer.Ordinal);
        foreach (var (pattern, patternIocs) in byPattern)
        {
            var compiled = new CompiledPattern(Compile(pattern, patternIocs[0]), patternIocs);
            if (RequiredLiteral.Find(pattern) is { } literal)
            {
                Postings.Add(byLiteral, literal, compiled);
            }
            else
            {
                unfiltered.Add(compiled);
            }
        }

        return new RegexMatcher(
            [.. unfiltered],
            byLiteral.Count == 0 ? null : new SubstringSearch<CompiledPattern[]>(byLiteral, StringComparison.Ordinal));
    }

    public void Match(string value, DateTime now, List<MatchableIoc> results)
    {
        foreach (var pattern in unfiltered)
        {
            pattern.AppendIfMatch(value, now, results);
        }

        if (byLiteral?.FindAll(value) is not { } candidates)
        {
            return;
        }

        foreach (var patterns in candidates)
        {
            foreach (var pattern in patterns)
            {
                pattern.AppendIfMatch(value, now, results);
            }
        }
    }

    private static Regex Compile(string pattern, MatchableIoc ioc)
    {
        try
        {
            return new Regex(pattern, RegexPatternValidator.MatchingOptions);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            throw Postings.Unindexable(ioc, "the pattern does not compile for the linear-time matcher.", ex);
        }
    }
}
