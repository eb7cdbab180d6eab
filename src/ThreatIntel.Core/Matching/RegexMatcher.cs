using System.Text.RegularExpressions;
using ThreatIntel.Core.Iocs.Normalization;

namespace ThreatIntel.Core.Matching;

/// <summary>
/// <c>Regex</c>: each distinct pattern is held once and run with the options it was validated with (linear-time
/// <see cref="RegexOptions.NonBacktracking"/>). A pattern that requires a literal of at least
/// <see cref="MinPrefilterLength"/> characters (<see cref="RequiredLiteral"/>) runs only on values in which a
/// multi-pattern search found that literal, so thousands of patterns cost one search plus the few that can match.
/// The other patterns are joined into <see cref="PatternGate"/>s, so that they cost a few scans per value rather than
/// one each.
/// </summary>
internal sealed class RegexMatcher(
    CompiledPattern[] ungated, List<PatternGate> gates, SubstringSearch<CompiledPattern[]>? byLiteral) : IIocMatcher
{
    /// <summary>
    /// Shorter literals (<c>\</c>, <c>.exe</c>) occur in most values, so prefiltering by them would run their patterns
    /// on most values anyway, and would make the literal search stop at almost every position.
    /// </summary>
    private const int MinPrefilterLength = 5;

    public static RegexMatcher Create(IEnumerable<MatchableIoc> iocs)
    {
        var byPattern = new Dictionary<string, MatchableIoc[]>(StringComparer.Ordinal);
        foreach (var ioc in iocs)
        {
            Postings.Add(byPattern, ioc.Value, ioc);
        }

        var ungated = new List<CompiledPattern>();
        var gated = new List<CompiledPattern>();
        var byLiteral = new Dictionary<string, CompiledPattern[]>(StringComparer.Ordinal);
        foreach (var (pattern, patternIocs) in byPattern)
        {
            CheckSyntax(pattern, patternIocs[0]);
            var compiled = new CompiledPattern(pattern, patternIocs);
            var literal = compiled.WholeText ?? RequiredLiteral.Find(pattern);
            if (literal is { Length: >= MinPrefilterLength })
            {
                Postings.Add(byLiteral, literal, compiled);
            }
            else if (pattern.Contains('#'))
            {
                ungated.Add(compiled);
            }
            else
            {
                gated.Add(compiled);
            }
        }

        return new RegexMatcher(
            [.. ungated],
            PatternGate.Create(gated),
            byLiteral.Count == 0 ? null : new SubstringSearch<CompiledPattern[]>(byLiteral, StringComparison.Ordinal));
    }

    public void Match(string value, DateTime now, List<MatchableIoc> results)
    {
        foreach (var pattern in ungated)
        {
            pattern.AppendIfMatch(value, now, results);
        }

        foreach (var gate in gates)
        {
            gate.Match(value, now, results);
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

    /// <summary>
    /// Building the linear-time automaton of every pattern up front would cost seconds and gigabytes for a few thousand
    /// patterns, so the index checks only the syntax, with the cheap backtracking parser; patterns were fully validated
    /// when they were written.
    /// </summary>
    private static void CheckSyntax(string pattern, MatchableIoc ioc)
    {
        try
        {
            _ = new Regex(pattern, RegexPatternValidator.MatchingOptions & ~RegexOptions.NonBacktracking);
        }
        catch (ArgumentException ex)
        {
            throw Postings.Unindexable(ioc, "the pattern is not a valid regular expression.", ex);
        }
    }
}
