using ThreatIntel.Core.Iocs;
using static ThreatIntel.Core.Tests.Iocs.Normalization.NormalizationAssert;

namespace ThreatIntel.Core.Tests.Iocs.Normalization;

public class UrlNormalizationTests
{
    [Theory]
    [InlineData("HTTP://Evil.COM/Path", "http://evil.com/Path")]
    [InlineData("HtTpS://EVIL.com/A/B?Q=X#Frag", "https://evil.com/A/B?Q=X#Frag")]
    [InlineData("http://evil.com/Payload.EXE", "http://evil.com/Payload.EXE")]
    [InlineData("FTP://Files.Evil.com/Drop/", "ftp://files.evil.com/Drop/")]
    public void Scheme_and_host_are_lower_cased_and_the_rest_keeps_its_case(string value, string expected) =>
        NormalizesTo(expected, IocType.Url, IocAction.Equals, value);

    [Fact]
    public void User_info_keeps_its_case() =>
        NormalizesTo("http://User:Secret@evil.com/", IocType.Url, IocAction.Equals, "http://User:Secret@EVIL.com/");

    [Theory]
    [InlineData("http://evil.com:80/x", "http://evil.com/x")]
    [InlineData("https://evil.com:443/x", "https://evil.com/x")]
    [InlineData("HTTPS://evil.com:443", "https://evil.com/")]
    [InlineData("http://1.2.3.4:80/", "http://1.2.3.4/")]
    [InlineData("http://[2001:db8::1]:80/", "http://[2001:db8::1]/")]
    [InlineData("http://evil.com:/x", "http://evil.com/x")]
    public void Default_port_of_the_scheme_is_dropped(string value, string expected) =>
        NormalizesTo(expected, IocType.Url, IocAction.Equals, value);

    [Theory]
    [InlineData("http://evil.com:8080/x")]
    [InlineData("https://evil.com:8443/x")]
    [InlineData("http://evil.com:443/")]
    [InlineData("https://evil.com:80/")]
    [InlineData("evil.com:80/x")]
    public void Port_that_is_not_the_default_of_the_scheme_is_kept(string value) =>
        IsKept(IocType.Url, IocAction.Equals, value);

    [Theory]
    [InlineData("http://evil.com", "http://evil.com/")]
    [InlineData("http://evil.com?q=1", "http://evil.com/?q=1")]
    [InlineData("http://evil.com#top", "http://evil.com/#top")]
    [InlineData("http://evil.com:8080", "http://evil.com:8080/")]
    [InlineData("evil.com", "evil.com/")]
    public void Empty_path_becomes_a_slash(string value, string expected) =>
        NormalizesTo(expected, IocType.Url, IocAction.Equals, value);

    [Theory]
    [InlineData("evil.com/payload", "evil.com/payload")]
    [InlineData("Evil.COM/Payload", "evil.com/Payload")]
    [InlineData("sub.evil.com/a?b=C", "sub.evil.com/a?b=C")]
    [InlineData("1.2.3.4/x", "1.2.3.4/x")]
    [InlineData("[2001:DB8::1]/x", "[2001:db8::1]/x")]
    public void Value_without_scheme_is_kept_without_scheme(string value, string expected) =>
        NormalizesTo(expected, IocType.Url, IocAction.Equals, value);

    [Theory]
    [InlineData("http://[2001:DB8:0:0::1]:8080/a", "http://[2001:db8::1]:8080/a")]
    [InlineData("https://[2001:db8::1]/", "https://[2001:db8::1]/")]
    [InlineData("http://[::ffff:1.2.3.4]/x", "http://1.2.3.4/x")]
    public void Ipv6_literal_host_is_written_in_canonical_form(string value, string expected) =>
        NormalizesTo(expected, IocType.Url, IocAction.Equals, value);

    [Theory]
    [InlineData("http://bücher.example/Pfad", "http://xn--bcher-kva.example/Pfad")]
    [InlineData("https://BÜCHER.example:443/", "https://xn--bcher-kva.example/")]
    [InlineData("bücher.example/x", "xn--bcher-kva.example/x")]
    public void Internationalised_host_is_converted_to_punycode(string value, string expected) =>
        NormalizesTo(expected, IocType.Url, IocAction.Equals, value);

    [Fact]
    public void Trailing_dot_of_the_host_is_removed() =>
        NormalizesTo("http://evil.com/x", IocType.Url, IocAction.Equals, "http://evil.com./x");

    [Fact]
    public void Url_surrounded_by_whitespace_is_trimmed() =>
        NormalizesTo("http://evil.com/x", IocType.Url, IocAction.Equals, "  http://evil.com/x\t\n");

    [Theory]
    [InlineData("http://evil.com/a b")]
    [InlineData("http://evil .com/")]
    [InlineData("http://evil.com/a\tb")]
    [InlineData("http://evil.com/a\nb")]
    [InlineData("http://evil.com/a\u00A0b")]
    [InlineData("http://evil.com/a\u0000b")]
    public void Url_containing_whitespace_or_control_characters_is_rejected(string value) =>
        Rejects(IocType.Url, IocAction.Equals, value);

    [Theory]
    [InlineData("http://")]
    [InlineData("http:///path")]
    [InlineData("https://:443/")]
    [InlineData("http://user@/x")]
    [InlineData("/path")]
    [InlineData("//evil.com/x")]
    public void Url_without_a_host_is_rejected(string value) => Rejects(IocType.Url, IocAction.Equals, value);

    [Theory]
    [InlineData("localhost/path")]
    [InlineData("intranet")]
    [InlineData("evil:8080/x")]
    public void Value_without_scheme_and_with_a_single_label_host_is_rejected(string value) =>
        Rejects(IocType.Url, IocAction.Equals, value);

    [Fact]
    public void Absolute_url_may_have_a_single_label_host() =>
        NormalizesTo("http://intranet/x", IocType.Url, IocAction.Equals, "http://INTRANET/x");

    [Theory]
    [InlineData("http://evil.com:99999/")]
    [InlineData("http://evil.com:65536/")]
    [InlineData("http://evil.com:abc/")]
    [InlineData("http://evil.com:-1/")]
    [InlineData("http://evil.com:8080:80/")]
    [InlineData("http://[2001:db8::1]x/")]
    public void Url_with_an_invalid_port_is_rejected(string value) => Rejects(IocType.Url, IocAction.Equals, value);

    [Theory]
    [InlineData("http://-evil.com/")]
    [InlineData("http://evil..com/")]
    [InlineData("http://ev!l.com/")]
    [InlineData("http://[2001:db8::1/")]
    [InlineData("http://[fe80::1%25eth0]/")]
    [InlineData("http://[1.2.3.4]/")]
    [InlineData("http://2001:db8::1/")]
    [InlineData("http://010.0.0.1/")]
    public void Url_with_an_invalid_host_is_rejected(string value) => Rejects(IocType.Url, IocAction.Equals, value);

    [Theory]
    [InlineData("HTTP://Evil.COM/Path", "http://evil.com/Path")]
    [InlineData("https://evil.com:443", "https://evil.com/")]
    [InlineData("Evil.COM/Login", "evil.com/Login")]
    public void Prefix_for_starts_with_is_normalised_like_a_url(string value, string expected) =>
        NormalizesTo(expected, IocType.Url, IocAction.StartsWith, value);

    [Theory]
    [InlineData("/Payload.EXE")]
    [InlineData("?Token=")]
    [InlineData("Evil.COM")]
    public void Fragment_for_contains_is_kept_as_given(string value) => IsKept(IocType.Url, IocAction.Contains, value);

    [Fact]
    public void Regex_on_urls_is_kept_as_written() =>
        IsKept(IocType.Url, IocAction.Regex, @"^https?://[^/]+/Login\.PHP$");
}
