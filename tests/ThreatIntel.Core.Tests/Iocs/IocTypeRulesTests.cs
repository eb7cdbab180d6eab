using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Iocs.Normalization;

namespace ThreatIntel.Core.Tests.Iocs;

public class IocTypeRulesTests
{
    public static TheoryData<IocType, IocAction> AllowedPairs() => SpecTable.AllowedPairs();

    public static TheoryData<IocType, IocAction> DisallowedPairs() => SpecTable.DisallowedPairs();

    public static TheoryData<IocType> AllTypes() => [.. Enum.GetValues<IocType>()];

    [Fact]
    public void Every_ioc_type_is_in_the_spec_table() =>
        Assert.Equal(Enum.GetValues<IocType>().Order(), SpecTable.AllowedActions.Keys.Order());

    [Fact]
    public void Every_action_is_allowed_for_some_type() =>
        Assert.Equal(Enum.GetValues<IocAction>().Order(), SpecTable.AllowedActions.Values.SelectMany(a => a).Distinct().Order());

    [Theory]
    [MemberData(nameof(AllowedPairs))]
    public void Pair_from_the_spec_table_is_allowed(IocType type, IocAction action) =>
        Assert.True(IocTypeRules.IsAllowed(type, action));

    [Theory]
    [MemberData(nameof(DisallowedPairs))]
    public void Pair_missing_from_the_spec_table_is_not_allowed(IocType type, IocAction action) =>
        Assert.False(IocTypeRules.IsAllowed(type, action));

    [Theory]
    [MemberData(nameof(AllowedPairs))]
    public void Allowed_pair_accepts_a_well_formed_value(IocType type, IocAction action)
    {
        var value = SpecTable.SampleValue(type, action);

        var result = IocValueNormalizer.Normalize(type, action, value);

        Assert.True(result.IsValid, result.Error);
        Assert.Equal(value, result.Value);
    }

    [Theory]
    [MemberData(nameof(DisallowedPairs))]
    public void Disallowed_pair_is_rejected_naming_the_action_and_type(IocType type, IocAction action)
    {
        var result = IocValueNormalizer.Normalize(type, action, SpecTable.SampleValue(type, action));

        Assert.False(result.IsValid);
        Assert.Contains(action.ToString(), result.Error, StringComparison.Ordinal);
        Assert.Contains(type.ToString(), result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Allowed_actions_are_exactly_those_of_the_spec_table(IocType type) =>
        Assert.Equal(SpecTable.AllowedActions[type].Order(), IocTypeRules.AllowedActions(type).Order());

    [Theory]
    [InlineData(IocType.FileName)]
    [InlineData(IocType.FilePath)]
    [InlineData(IocType.ProcessName)]
    [InlineData(IocType.CommandLine)]
    [InlineData(IocType.RegistryKey)]
    public void Free_text_type_is_free_text(IocType type) => Assert.True(IocTypeRules.IsFreeText(type));

    [Theory]
    [InlineData(IocType.FileSha1)]
    [InlineData(IocType.FileSha256)]
    [InlineData(IocType.FileMd5)]
    [InlineData(IocType.CertificateThumbprint)]
    [InlineData(IocType.IpAddress)]
    [InlineData(IocType.DomainName)]
    [InlineData(IocType.Url)]
    [InlineData(IocType.EmailAddress)]
    public void Structured_type_is_not_free_text(IocType type) => Assert.False(IocTypeRules.IsFreeText(type));

    [Theory]
    [InlineData(IocType.FileSha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709", IocAction.Equals)]
    [InlineData(IocType.FileSha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", IocAction.Equals)]
    [InlineData(IocType.FileMd5, "d41d8cd98f00b204e9800998ecf8427e", IocAction.Equals)]
    [InlineData(IocType.CertificateThumbprint, "da39a3ee5e6b4b0d3255bfef95601890afd80709", IocAction.Equals)]
    [InlineData(IocType.IpAddress, "10.0.0.1", IocAction.Equals)]
    [InlineData(IocType.IpAddress, "10.0.0.0/8", IocAction.InRange)]
    [InlineData(IocType.IpAddress, "2001:db8::/32", IocAction.InRange)]
    [InlineData(IocType.IpAddress, null, IocAction.Equals)]
    [InlineData(IocType.DomainName, "evil.com", IocAction.EndsWith)]
    [InlineData(IocType.Url, "http://evil.com/", IocAction.StartsWith)]
    [InlineData(IocType.EmailAddress, "user@evil.com", IocAction.Equals)]
    [InlineData(IocType.FileName, "evil.exe", IocAction.Equals)]
    [InlineData(IocType.CommandLine, "a/b", IocAction.Equals)]
    public void Default_action_follows_the_csv_defaults_of_the_spec(IocType type, string? value, IocAction expected) =>
        Assert.Equal(expected, IocTypeRules.DefaultAction(type, value));

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Default_action_is_allowed_for_its_type(IocType type)
    {
        Assert.True(IocTypeRules.IsAllowed(type, IocTypeRules.DefaultAction(type, null)));
        Assert.True(IocTypeRules.IsAllowed(type, IocTypeRules.DefaultAction(type, SpecTable.SampleValue(type, IocAction.Equals))));
    }
}
