using ThreatIntel.Core.Iocs;
using static ThreatIntel.Core.Tests.Iocs.Normalization.NormalizationAssert;

namespace ThreatIntel.Core.Tests.Iocs.Normalization;

/// <summary>Rules that hold for every type and action: required values and the length limit.</summary>
public class IocValueNormalizerTests
{
    public static TheoryData<IocType, IocAction> AllowedPairs() => SpecTable.AllowedPairs();

    [Theory]
    [MemberData(nameof(AllowedPairs))]
    public void Missing_value_is_rejected(IocType type, IocAction action) => Rejects(type, action, null);

    [Theory]
    [MemberData(nameof(AllowedPairs))]
    public void Empty_value_is_rejected(IocType type, IocAction action) => Rejects(type, action, string.Empty);

    [Theory]
    [MemberData(nameof(AllowedPairs))]
    public void Whitespace_only_value_is_rejected(IocType type, IocAction action) => Rejects(type, action, " \t\r\n\u00A0 ");

    [Theory]
    [MemberData(nameof(AllowedPairs))]
    public void Value_over_2048_characters_is_rejected_naming_the_limit(IocType type, IocAction action)
    {
        var error = Rejects(type, action, new string('a', 2049));

        Assert.Contains("2048", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Url_of_2048_characters_is_accepted()
    {
        const string Prefix = "http://evil.com/";
        var url = Prefix + new string('a', 2048 - Prefix.Length);

        IsKept(IocType.Url, IocAction.Equals, url);
    }

    [Fact]
    public void Url_over_2048_characters_is_rejected() =>
        Rejects(IocType.Url, IocAction.Equals, "http://evil.com/" + new string('a', 2048));
}
