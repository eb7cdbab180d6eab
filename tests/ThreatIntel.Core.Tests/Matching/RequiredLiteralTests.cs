using ThreatIntel.Core.Matching;

namespace ThreatIntel.Core.Tests.Matching;

/// <summary>
/// The literal a pattern is prefiltered by must occur in every value the pattern matches; when in doubt there must be
/// none (the pattern then runs on every value).
/// </summary>
public class RequiredLiteralTests
{
    [Theory]
    [InlineData("evil", "evil")]
    [InlineData(@"^evil\d+$", "evil")]
    [InlineData(@"\.exe$", ".exe")]
    [InlineData(@"[a-z]+\.dll", ".dll")]
    [InlineData("ab*cdef", "cdef")]
    [InlineData("evilx?", "evil")]
    [InlineData("evilx+", "evil")]
    [InlineData("evilx{0,2}", "evil")]
    [InlineData("evilx{2}", "evil")]
    [InlineData("ev{x}", "ev")]
    [InlineData("(evil)+abc", "abc")]
    [InlineData(@"(evil|good)\.exe", ".exe")]
    [InlineData("(?i:evil)abc", "abc")]
    [InlineData("(?s)a.bcd", "bcd")]
    [InlineData("[]a]evil", "evil")]
    [InlineData("[^]]xy", "xy")]
    [InlineData(@"[\]]ab", "ab")]
    [InlineData("[a-z-[aeiou]]consonant", "consonant")]
    [InlineData("[(]abc", "abc")]
    [InlineData(@"evil\ com", "evil com")]
    [InlineData("#x", "#x")]
    [InlineData(@"\bcmd\.exe\b", "cmd.exe")]
    [InlineData("abc(?#comment)de", "abc")]
    [InlineData(@"\\temp\\", @"\temp\")]
    public void Longest_run_of_plain_characters_at_the_top_level_is_required(string pattern, string literal) =>
        Assert.Equal(literal, RequiredLiteral.Find(pattern));

    [Theory]
    [InlineData("(?i)evil")]
    [InlineData("a(?i)bcdef")]
    [InlineData("(?x)ev il")]
    [InlineData("(?x: a b )cd")]
    [InlineData("evil|good")]
    [InlineData(@"\p{L}+evil")]
    [InlineData(@"\x41bc")]
    [InlineData(@"\u0041bc")]
    [InlineData(@"(a)\1bc")]
    [InlineData(@"\d")]
    [InlineData("^.{3,}$")]
    [InlineData("[[:alpha:]]abc")]
    [InlineData("x?")]
    [InlineData("")]
    public void No_literal_when_none_is_certainly_required(string pattern) =>
        Assert.Null(RequiredLiteral.Find(pattern));

    [Theory]
    [InlineData("evil", "evil")]
    [InlineData(@"\\temp\\evil\.exe", @"\temp\evil.exe")]
    [InlineData(@"evil\ com\#1", "evil com#1")]
    [InlineData("a b#c", "a b#c")]
    public void Pattern_of_plain_and_escaped_characters_is_that_text(string pattern, string text) =>
        Assert.Equal(text, RequiredLiteral.WholePatternText(pattern));

    [Theory]
    [InlineData("")]
    [InlineData("^evil")]
    [InlineData("evil$")]
    [InlineData("ev.l")]
    [InlineData("evil+")]
    [InlineData("evil?")]
    [InlineData("evil*")]
    [InlineData("evil{2}")]
    [InlineData("ev}il")]
    [InlineData("ev]il")]
    [InlineData("(evil)")]
    [InlineData("[e]vil")]
    [InlineData("evil|good")]
    [InlineData(@"\d")]
    [InlineData(@"evil\b")]
    [InlineData(@"\x41")]
    [InlineData(@"evil\")]
    public void Pattern_with_any_metacharacter_or_letter_escape_is_not_plain_text(string pattern) =>
        Assert.Null(RequiredLiteral.WholePatternText(pattern));
}
