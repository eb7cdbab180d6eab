using ThreatIntel.Core.Iocs;
using static ThreatIntel.Core.Tests.Iocs.Normalization.NormalizationAssert;

namespace ThreatIntel.Core.Tests.Iocs.Normalization;

public class DomainNameNormalizationTests
{
    private static string Labels(int count, int labelLength) =>
        string.Join('.', Enumerable.Repeat(new string('a', labelLength), count));

    [Theory]
    [InlineData(IocAction.Equals)]
    [InlineData(IocAction.EndsWith)]
    public void Domain_name_is_lower_cased(IocAction action) =>
        NormalizesTo("sub.evil.com", IocType.DomainName, action, "Sub.EVIL.Com");

    [Theory]
    [InlineData(IocAction.Equals)]
    [InlineData(IocAction.EndsWith)]
    public void Trailing_dot_of_a_fully_qualified_name_is_removed(IocAction action) =>
        NormalizesTo("evil.com", IocType.DomainName, action, "EVIL.com.");

    [Theory]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData("BÜCHER.Example", "xn--bcher-kva.example")]
    [InlineData("münchen.de.", "xn--mnchen-3ya.de")]
    [InlineData("пример.рф", "xn--e1afmkfd.xn--p1ai")]
    [InlineData("mail.bücher.example", "mail.xn--bcher-kva.example")]
    public void Internationalised_domain_name_is_converted_to_punycode(string value, string expected) =>
        NormalizesTo(expected, IocType.DomainName, IocAction.Equals, value);

    [Theory]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example")]
    [InlineData("XN--BCHER-KVA.example", "xn--bcher-kva.example")]
    public void Punycode_domain_name_is_kept_lower_cased(string value, string expected) =>
        NormalizesTo(expected, IocType.DomainName, IocAction.Equals, value);

    [Theory]
    [InlineData("xn--zz.example")]
    [InlineData("xn--a-ecp.example")]
    public void Broken_punycode_is_rejected(string value) => Rejects(IocType.DomainName, IocAction.Equals, value);

    [Theory]
    [InlineData("_dmarc.evil.com")]
    [InlineData("a_b.evil.com")]
    [InlineData("_sip._tcp.evil.com")]
    public void Underscores_are_allowed(string value) => IsKept(IocType.DomainName, IocAction.Equals, value);

    [Theory]
    [InlineData("a.b")]
    [InlineData("evil-domain.com")]
    [InlineData("1evil.com")]
    [InlineData("1.2.3.com")]
    [InlineData("123.evil.com")]
    [InlineData("r3---sn-4g5e6nz7.googlevideo.com")]
    [InlineData("ab--cd.example")]
    public void Host_name_with_digits_and_inner_hyphens_is_kept(string value) =>
        IsKept(IocType.DomainName, IocAction.Equals, value);

    [Fact]
    public void Single_label_name_is_accepted_so_that_a_whole_top_level_domain_can_be_listed() =>
        NormalizesTo("zip", IocType.DomainName, IocAction.EndsWith, "ZIP");

    [Theory]
    [InlineData("-evil.com")]
    [InlineData("evil-.com")]
    [InlineData("evil.-com")]
    [InlineData("a..b")]
    [InlineData(".evil.com")]
    [InlineData("evil.com..")]
    [InlineData(".")]
    [InlineData("evil!.com")]
    [InlineData("evil*.com")]
    [InlineData("ev il.com")]
    [InlineData("ev\til.com")]
    public void Domain_name_with_an_invalid_label_is_rejected(string value) =>
        Rejects(IocType.DomainName, IocAction.Equals, value);

    [Fact]
    public void Label_of_63_characters_is_accepted() =>
        IsKept(IocType.DomainName, IocAction.Equals, new string('a', 63) + ".com");

    [Fact]
    public void Label_of_64_characters_is_rejected() =>
        Rejects(IocType.DomainName, IocAction.Equals, new string('a', 64) + ".com");

    [Fact]
    public void Domain_name_of_253_characters_is_accepted() =>
        IsKept(IocType.DomainName, IocAction.Equals, Labels(4, 63)[..253]);

    [Fact]
    public void Domain_name_of_253_characters_with_a_trailing_dot_is_accepted() =>
        NormalizesTo(Labels(4, 63)[..253], IocType.DomainName, IocAction.Equals, Labels(4, 63)[..253] + ".");

    [Theory]
    [InlineData(254)]
    [InlineData(255)]
    public void Domain_name_over_253_characters_is_rejected(int length) =>
        Rejects(IocType.DomainName, IocAction.Equals, Labels(4, 63)[..length]);

    [Fact]
    public void Internationalised_domain_name_over_253_characters_in_punycode_is_rejected()
    {
        var value = Labels(3, 63) + "." + new string('a', 55) + "ü";
        Assert.True(value.Length <= 253);

        Rejects(IocType.DomainName, IocAction.Equals, value);
    }

    [Theory]
    [InlineData("http://evil.com")]
    [InlineData("https://evil.com/")]
    [InlineData("evil.com/path")]
    [InlineData("evil.com:8080")]
    [InlineData("evil.com?q=1")]
    [InlineData("evil.com#top")]
    [InlineData("user@evil.com")]
    [InlineData("evil.com\\share")]
    public void Url_given_as_a_domain_name_is_rejected(string value) =>
        Rejects(IocType.DomainName, IocAction.Equals, value);

    [Theory]
    [InlineData("1.2.3.4")]
    [InlineData("10.0.0.1.")]
    [InlineData("2001:db8::1")]
    [InlineData("[2001:db8::1]")]
    [InlineData("10.0.0.0/8")]
    public void Ip_address_given_as_a_domain_name_is_rejected(string value) =>
        Rejects(IocType.DomainName, IocAction.Equals, value);

    [Theory]
    [InlineData("Evil", "evil")]
    [InlineData("EVIL.CO", "evil.co")]
    [InlineData(".Evil.", ".evil.")]
    [InlineData("-evil", "-evil")]
    [InlineData("_dmarc", "_dmarc")]
    [InlineData("paypal-login", "paypal-login")]
    public void Domain_fragment_for_contains_is_lower_cased(string value, string expected) =>
        NormalizesTo(expected, IocType.DomainName, IocAction.Contains, value);

    [Theory]
    [InlineData("bücher", "xn--bcher-kva")]
    [InlineData("Bücher.Example", "xn--bcher-kva.example")]
    [InlineData(".bücher.", ".xn--bcher-kva.")]
    [InlineData("..bücher", "..xn--bcher-kva")]
    public void Internationalised_domain_fragment_is_converted_to_punycode(string value, string expected) =>
        NormalizesTo(expected, IocType.DomainName, IocAction.Contains, value);

    [Theory]
    [InlineData("evil.com/x")]
    [InlineData("ev il")]
    [InlineData("evil:80")]
    [InlineData("http://evil")]
    [InlineData("user@evil")]
    [InlineData("evil*")]
    [InlineData("bü cher")]
    public void Domain_fragment_with_a_character_not_allowed_in_host_names_is_rejected(string value) =>
        Rejects(IocType.DomainName, IocAction.Contains, value);

    [Fact]
    public void Regex_on_domain_names_is_kept_as_written() =>
        IsKept(IocType.DomainName, IocAction.Regex, @"^(?i)EVIL-\d+\.com$");
}
