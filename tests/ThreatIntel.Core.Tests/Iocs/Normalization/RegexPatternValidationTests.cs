using ThreatIntel.Core.Iocs;
using static ThreatIntel.Core.Tests.Iocs.Normalization.NormalizationAssert;

namespace ThreatIntel.Core.Tests.Iocs.Normalization;

public class RegexPatternValidationTests
{
    [Theory]
    [InlineData(IocType.FileName, @"^invoice_\d{4,}\.(pdf|doc)\.exe$")]
    [InlineData(IocType.CommandLine, @"powershell(\.exe)?\s+-e(nc(odedcommand)?)?\s+[A-Za-z0-9+/=]{20,}")]
    [InlineData(IocType.DomainName, @"^[a-z0-9]{16}\.evil\.com$")]
    [InlineData(IocType.Url, @"^https?://[^/]+/wp-admin/.*\.php$")]
    [InlineData(IocType.EmailAddress, @"^[^@]+@evil\.(com|net)$")]
    [InlineData(IocType.RegistryKey, @"\\Run(Once)?\\[^\\]+$")]
    [InlineData(IocType.FilePath, @"[a-f0-9]{32}")]
    [InlineData(IocType.ProcessName, @"a{2,}?b*c+?")]
    public void Valid_pattern_is_accepted_unchanged(IocType type, string pattern) =>
        IsKept(type, IocAction.Regex, pattern);

    [Theory]
    [InlineData("(?i)EVIL\\.exe")]
    [InlineData("(?i:EVIL)\\.exe")]
    [InlineData("(?-i)Evil")]
    [InlineData("(?m)^evil$")]
    [InlineData("(?s)a.b")]
    public void Pattern_with_inline_options_is_accepted(string pattern) =>
        IsKept(IocType.ProcessName, IocAction.Regex, pattern);

    [Theory]
    [InlineData(@"(a)\1", "backreference")]
    [InlineData(@"(?<name>a)\k<name>", "backreference")]
    [InlineData("(?=a)a", "lookahead")]
    [InlineData("(?!a)b", "lookahead")]
    [InlineData("(?<=a)b", "lookbehind")]
    [InlineData("(?<!a)b", "lookbehind")]
    [InlineData("(?>a+)b", "atomic")]
    [InlineData("(?(a)b|c)", "conditional")]
    [InlineData(@"\Gevil", @"\G")]
    public void Construct_the_linear_time_matcher_cannot_run_is_rejected_naming_it(string pattern, string construct)
    {
        var error = Rejects(IocType.CommandLine, IocAction.Regex, pattern);

        Assert.Contains(construct, error, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("(")]
    [InlineData("a)")]
    [InlineData("[a-")]
    [InlineData("[z-a]")]
    [InlineData("a{2,1}")]
    [InlineData("*a")]
    [InlineData(@"evil\")]
    [InlineData(@"\p{NoSuchCategory}")]
    [InlineData("(?<1a>x)")]
    public void Pattern_with_a_syntax_error_is_rejected(string pattern) =>
        Rejects(IocType.FileName, IocAction.Regex, pattern);

    [Fact]
    public void Pattern_of_1024_characters_is_accepted() =>
        IsKept(IocType.CommandLine, IocAction.Regex, new string('a', 1024));

    [Fact]
    public void Pattern_over_1024_characters_is_rejected()
    {
        var error = Rejects(IocType.CommandLine, IocAction.Regex, new string('a', 1025));

        Assert.Contains("1024", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(IocType.DomainName, "EVIL\\.COM$")]
    [InlineData(IocType.Url, "HTTP://EVIL\\.COM:80/")]
    [InlineData(IocType.EmailAddress, "USER@EVIL\\.COM")]
    public void Pattern_is_not_normalised_like_a_value_of_its_type(IocType type, string pattern) =>
        IsKept(type, IocAction.Regex, pattern);
}
