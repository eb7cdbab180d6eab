using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Iocs.Normalization;

namespace ThreatIntel.Core.Tests.Iocs.Normalization;

/// <summary>A looked-up value is read as it would have been stored, without compiling it as a pattern.</summary>
public class LookupNormalizationTests
{
    private static readonly string[] Samples =
    [
        " 92CFCEB39D57D914ED8B14D0E37643DE0797AE56 ", "Evil.Example.", "10.0.0.0/8", "::ffff:192.0.2.1", "https://Evil.Example/a?b",
        "ADMIN@Evil.Example", @"C:\Windows\Temp\x.exe", "^evil\\d+\\.exe$", "(unclosed", string.Empty, "   ",
    ];

    public static TheoryData<IocType, IocAction> AllowedPairs() => SpecTable.AllowedPairs();

    [Theory]
    [MemberData(nameof(AllowedPairs))]
    public void Every_value_a_pair_would_store_is_looked_up_in_its_stored_form(IocType type, IocAction action)
    {
        foreach (var sample in Samples)
        {
            var stored = IocValueNormalizer.Normalize(type, action, sample);
            var lookedUp = IocValueNormalizer.NormalizeForLookup(type, action, sample);
            if (stored.IsValid || action != IocAction.Regex)
            {
                Assert.Equal((stored.IsValid, stored.Value), (lookedUp.IsValid, lookedUp.Value));
            }
        }
    }

    [Fact]
    public void A_text_that_is_no_valid_pattern_is_still_looked_up_as_given_and_finds_nothing_stored()
    {
        Assert.False(IocValueNormalizer.Normalize(IocType.FilePath, IocAction.Regex, " (unclosed ").IsValid);

        var lookedUp = IocValueNormalizer.NormalizeForLookup(IocType.FilePath, IocAction.Regex, " (unclosed ");

        Assert.Equal((true, "(unclosed"), (lookedUp.IsValid, lookedUp.Value));
    }

    [Fact]
    public void A_pair_the_type_does_not_allow_is_refused_as_when_storing()
    {
        Assert.False(IocValueNormalizer.NormalizeForLookup(IocType.FileSha1, IocAction.Regex, "^a").IsValid);
    }
}
