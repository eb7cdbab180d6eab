using System.Text.RegularExpressions;
using ThreatIntel.Core.Iocs.Normalization;

namespace ThreatIntel.Core.Matching;

/// <summary>
/// Patterns with no literal long enough to prefilter by would each run on every value. A gate joins a group of them
/// into one alternation, <c>(?:p1)|(?:p2)|…</c>, which matches a value exactly when one of them does; one linear scan
/// then rejects the value for the whole group, and the members only run on the rare value the gate lets through.
/// Each member sits in its own group, so its inline options (<c>(?i)</c>) stay its own.
/// </summary>
internal sealed class PatternGate(Regex alternation, CompiledPattern[] members)
{
    /// <summary>Bigger groups scan no faster and risk the engine's automaton size limit.</summary>
    private const int MaxMembers = 64;

    /// <summary>
    /// The gates over <paramref name="patterns"/>, none of which may contain <c>#</c> (in a member's free-spacing mode
    /// it would comment out the rest of the alternation). A group the engine refuses as too large is split in two; a
    /// single pattern it refuses is reported with its IOC's id.
    /// </summary>
    public static List<PatternGate> Create(IReadOnlyList<CompiledPattern> patterns)
    {
        var gates = new List<PatternGate>();
        foreach (var group in patterns.Chunk(MaxMembers))
        {
            AddGates(group, gates);
        }

        return gates;
    }

    public void Match(string value, DateTime now, List<MatchableIoc> results)
    {
        if (!alternation.IsMatch(value))
        {
            return;
        }

        foreach (var member in members)
        {
            member.AppendIfMatch(value, now, results);
        }
    }

    private static void AddGates(CompiledPattern[] group, List<PatternGate> gates)
    {
        try
        {
            var alternation = string.Join('|', group.Select(member => $"(?:{member.Pattern})"));
            gates.Add(new PatternGate(new Regex(alternation, RegexPatternValidator.MatchingOptions), group));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            if (group.Length == 1)
            {
                throw Postings.Unindexable(group[0].FirstIoc, "the pattern does not compile for the linear-time matcher.", ex);
            }

            AddGates(group[..(group.Length / 2)], gates);
            AddGates(group[(group.Length / 2)..], gates);
        }
    }
}
