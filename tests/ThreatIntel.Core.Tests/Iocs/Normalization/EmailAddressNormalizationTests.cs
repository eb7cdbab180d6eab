using ThreatIntel.Core.Iocs;
using static ThreatIntel.Core.Tests.Iocs.Normalization.NormalizationAssert;

namespace ThreatIntel.Core.Tests.Iocs.Normalization;

public class EmailAddressNormalizationTests
{
    [Theory]
    [InlineData("User@Evil.COM", "user@evil.com")]
    [InlineData("john.DOE+tag@Mail.Evil.com", "john.doe+tag@mail.evil.com")]
    [InlineData("user@evil.com.", "user@evil.com")]
    [InlineData(" user@evil.com ", "user@evil.com")]
    public void Email_address_is_lower_cased(string value, string expected) =>
        NormalizesTo(expected, IocType.EmailAddress, IocAction.Equals, value);

    [Theory]
    [InlineData("user@bücher.example", "user@xn--bcher-kva.example")]
    [InlineData("User@BÜCHER.example", "user@xn--bcher-kva.example")]
    public void Internationalised_domain_of_an_email_address_is_converted_to_punycode(string value, string expected) =>
        NormalizesTo(expected, IocType.EmailAddress, IocAction.Equals, value);

    [Fact]
    public void Local_part_of_64_characters_is_accepted() =>
        IsKept(IocType.EmailAddress, IocAction.Equals, new string('a', 64) + "@evil.com");

    [Theory]
    [InlineData("user.evil.com")]
    [InlineData("user")]
    public void Email_address_without_an_at_sign_is_rejected(string value) =>
        Rejects(IocType.EmailAddress, IocAction.Equals, value);

    [Theory]
    [InlineData("@evil.com")]
    [InlineData("user@")]
    [InlineData("@")]
    public void Email_address_without_a_local_part_or_domain_is_rejected(string value) =>
        Rejects(IocType.EmailAddress, IocAction.Equals, value);

    [Theory]
    [InlineData("a@b@evil.com")]
    [InlineData("a b@evil.com")]
    public void Email_address_with_an_invalid_local_part_is_rejected(string value) =>
        Rejects(IocType.EmailAddress, IocAction.Equals, value);

    [Fact]
    public void Local_part_over_64_characters_is_rejected() =>
        Rejects(IocType.EmailAddress, IocAction.Equals, new string('a', 65) + "@evil.com");

    [Theory]
    [InlineData("user@evil..com")]
    [InlineData("user@-evil.com")]
    [InlineData("user@evil.com/x")]
    [InlineData("user@1.2.3.4")]
    [InlineData("user@ev il.com")]
    public void Email_address_with_an_invalid_domain_is_rejected(string value) =>
        Rejects(IocType.EmailAddress, IocAction.Equals, value);

    [Theory]
    [InlineData("@Evil.COM", "@evil.com")]
    [InlineData("evil.com", "evil.com")]
    [InlineData(".Evil.com", ".evil.com")]
    [InlineData("Bob@Evil.com", "bob@evil.com")]
    [InlineData("@evil.com.", "@evil.com")]
    [InlineData("@bücher.example", "@xn--bcher-kva.example")]
    public void Suffix_for_ends_with_is_lower_cased_with_its_domain_in_punycode(string value, string expected) =>
        NormalizesTo(expected, IocType.EmailAddress, IocAction.EndsWith, value);

    [Theory]
    [InlineData("@ evil.com")]
    [InlineData("@evil..com")]
    [InlineData("@-evil.com")]
    [InlineData("@evil.com/x")]
    public void Suffix_for_ends_with_with_an_invalid_domain_is_rejected(string value) =>
        Rejects(IocType.EmailAddress, IocAction.EndsWith, value);

    [Fact]
    public void Regex_on_email_addresses_is_kept_as_written() =>
        IsKept(IocType.EmailAddress, IocAction.Regex, @"^Invoice\d+@evil\.com$");
}
