using System.Text.RegularExpressions;
using ThreatIntel.Core.Iocs.Normalization;

namespace ThreatIntel.Core.Matching;

/// <summary>
/// One distinct pattern and the IOCs (of any definition) that use it. A pattern that is plain text is matched as a
/// substring; any other is compiled the first time a value reaches it, because a linear-time
/// (<see cref="RegexOptions.NonBacktracking"/>) automaton costs about a millisecond and hundreds of kilobytes to build
/// and the literal prefilter means most patterns are never run at all.
/// </summary>
internal sealed class CompiledPattern(string pattern, MatchableIoc[] iocs)
{
    private readonly string? wholeText = RequiredLiteral.WholePatternText(pattern);
    private Regex? regex;

    public string Pattern => pattern;

    /// <summary>The IOC every error about this pattern names.</summary>
    public MatchableIoc FirstIoc => iocs[0];

    /// <summary>The text the pattern consists of when it is plain text, else null.</summary>
    public string? WholeText => wholeText;

    public void AppendIfMatch(string value, DateTime now, List<MatchableIoc> results)
    {
        // A pattern whose IOCs have all expired is not worth running.
        if (Postings.AnyLive(iocs, now) && IsMatch(value))
        {
            Postings.AppendLive(iocs, now, results);
        }
    }

    private bool IsMatch(string value) =>
        wholeText is not null
            ? value.Contains(wholeText, StringComparison.Ordinal)
            : LazyInitializer.EnsureInitialized(ref regex, Compile).IsMatch(value);

    /// <summary>
    /// Patterns were validated with the same options when they were written and their syntax is checked again when the
    /// index is built, so a failure here means a stored value bypassed validation; it is reported with the IOC's id.
    /// </summary>
    private Regex Compile()
    {
        try
        {
            return new Regex(pattern, RegexPatternValidator.MatchingOptions);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            throw new InvalidOperationException(
                $"IOC {iocs[0].IocId} ({iocs[0].Type}/{iocs[0].Action}) cannot be matched: the pattern does not compile for the linear-time matcher.",
                ex);
        }
    }
}
