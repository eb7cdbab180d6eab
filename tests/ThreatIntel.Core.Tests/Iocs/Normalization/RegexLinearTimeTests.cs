using System.Text.RegularExpressions;
using ThreatIntel.Core.Iocs.Normalization;

namespace ThreatIntel.Core.Tests.Iocs.Normalization;

public class RegexLinearTimeTests
{
    // A backtracking engine needs about 2^n steps for ^(a+)+$ on n 'a's followed by a mismatch; a million would
    // never finish. The generous timeout only turns such a hang into a failure instead of a stuck test run.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("^(a+)+$")]
    [InlineData("^(a|aa)+$")]
    [InlineData("(.*a){12}")]
    public void Hostile_pattern_accepted_at_save_time_runs_against_a_1_MB_observable_without_backtracking(string pattern)
    {
        Assert.True(RegexPatternValidator.Validate(pattern).IsValid);
        var regex = new Regex(pattern, RegexPatternValidator.MatchingOptions, HangGuard);
        var observable = new string('a', 1024 * 1024) + "!";

        var matched = regex.IsMatch(observable);

        Assert.Equal(pattern == "(.*a){12}", matched);
    }
}
