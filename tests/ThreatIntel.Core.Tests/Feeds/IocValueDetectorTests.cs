using ThreatIntel.Core.Feeds.Formats;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Iocs.Normalization;

namespace ThreatIntel.Core.Tests.Feeds;

public class IocValueDetectorTests
{
    [Theory]
    // Hashes by length, either case.
    [InlineData("d41d8cd98f00b204e9800998ecf8427e", IocType.FileMd5, IocAction.Equals, "d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("D41D8CD98F00B204E9800998ECF8427E", IocType.FileMd5, IocAction.Equals, "D41D8CD98F00B204E9800998ECF8427E")]
    [InlineData("da39a3ee5e6b4b0d3255bfef95601890afd80709", IocType.FileSha1, IocAction.Equals, "da39a3ee5e6b4b0d3255bfef95601890afd80709")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", IocType.FileSha256, IocAction.Equals, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    // CIDR ranges.
    [InlineData("10.0.0.0/8", IocType.IpAddress, IocAction.InRange, "10.0.0.0/8")]
    [InlineData("5.63.151.0/24", IocType.IpAddress, IocAction.InRange, "5.63.151.0/24")]
    [InlineData("2001:db8::/32", IocType.IpAddress, IocAction.InRange, "2001:db8::/32")]
    [InlineData("10.0.0.1/8", IocType.IpAddress, IocAction.InRange, "10.0.0.1/8")]
    // Addresses with a port: the port is dropped.
    [InlineData("139.99.38.193:5505", IocType.IpAddress, IocAction.Equals, "139.99.38.193")]
    [InlineData("[2001:db8::1]:443", IocType.IpAddress, IocAction.Equals, "2001:db8::1")]
    [InlineData("[2001:db8::1]", IocType.IpAddress, IocAction.Equals, "2001:db8::1")]
    // Bare addresses.
    [InlineData("58.64.143.244", IocType.IpAddress, IocAction.Equals, "58.64.143.244")]
    [InlineData("2001:db8::1", IocType.IpAddress, IocAction.Equals, "2001:db8::1")]
    [InlineData("::ffff:10.0.0.1", IocType.IpAddress, IocAction.Equals, "::ffff:10.0.0.1")]
    // URLs with a scheme.
    [InlineData("http://37.238.135.70/img/anan.jpg", IocType.Url, IocAction.StartsWith, "http://37.238.135.70/img/anan.jpg")]
    [InlineData("HTTPS://Evil.com", IocType.Url, IocAction.StartsWith, "HTTPS://Evil.com")]
    [InlineData("ftp://files.evil.com/drop", IocType.Url, IocAction.StartsWith, "ftp://files.evil.com/drop")]
    [InlineData("http://103.53.176.145:8080/ServiceDeskPlus/products.do", IocType.Url, IocAction.StartsWith, "http://103.53.176.145:8080/ServiceDeskPlus/products.do")]
    // URLs without a scheme: a host and a path or query.
    [InlineData("evil.com/gate.php", IocType.Url, IocAction.StartsWith, "evil.com/gate.php")]
    [InlineData("1.2.3.4/x", IocType.Url, IocAction.StartsWith, "1.2.3.4/x")]
    [InlineData("evil.com:8080/gate.php", IocType.Url, IocAction.StartsWith, "evil.com:8080/gate.php")]
    [InlineData("[2001:db8::1]:80/x", IocType.Url, IocAction.StartsWith, "[2001:db8::1]:80/x")]
    [InlineData("user@evil.com/x", IocType.Url, IocAction.StartsWith, "user@evil.com/x")]
    [InlineData("evil.com?id=1", IocType.Url, IocAction.StartsWith, "evil.com?id=1")]
    [InlineData("evil.com/", IocType.Url, IocAction.StartsWith, "evil.com/")]
    // Host and port: a domain, the port dropped.
    [InlineData("evil.com:8080", IocType.DomainName, IocAction.EndsWith, "evil.com")]
    // E-mail addresses.
    [InlineData("boss@evil.com", IocType.EmailAddress, IocAction.Equals, "boss@evil.com")]
    // Domains.
    [InlineData("suroot.com", IocType.DomainName, IocAction.EndsWith, "suroot.com")]
    [InlineData("r3---sn-abc.googlevideo.com", IocType.DomainName, IocAction.EndsWith, "r3---sn-abc.googlevideo.com")]
    [InlineData("Evil.COM.", IocType.DomainName, IocAction.EndsWith, "Evil.COM.")]
    [InlineData("bücher.example", IocType.DomainName, IocAction.EndsWith, "bücher.example")]
    [InlineData("b4b611ce6104215e86fa681a6581ce11.r2.cloudflarestorage.com", IocType.DomainName, IocAction.EndsWith, "b4b611ce6104215e86fa681a6581ce11.r2.cloudflarestorage.com")]
    // Surrounding blanks are trimmed.
    [InlineData("  \tevil.com  ", IocType.DomainName, IocAction.EndsWith, "evil.com")]
    public void Detects_the_type_action_and_value(string line, IocType type, IocAction action, string value)
    {
        var detected = IocValueDetector.TryDetect(line, out var actualType, out var actualAction, out var actualValue, out var error);

        Assert.True(detected, $"'{line}' was not detected: {error}");
        Assert.Equal((type, action, value), (actualType, actualAction, actualValue));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("xyz", "Cannot tell the type of 'xyz'")]
    [InlineData("localhost", "Cannot tell the type of 'localhost'")]
    [InlineData("evil.com botnet", "Cannot tell the type of 'evil.com botnet'")]
    [InlineData("evil .com", "Cannot tell the type of 'evil .com'")]
    [InlineData("d41d8cd98f00b204e9800998ecf8427", "looks like a hash but has 31 hexadecimal characters")]
    [InlineData("da39a3ee5e6b4b0d3255bfef95601890afd8070900", "looks like a hash but has 42 hexadecimal characters")]
    [InlineData("/mstealer/logs/", "is a path without a host")]
    [InlineData("?id=1", "is a path without a host")]
    [InlineData("hxxp://evil.com/x", "is defanged")]
    [InlineData("evil[.]com", "is defanged")]
    [InlineData("1.2.3.4:99999", "has an invalid port")]
    [InlineData("1.2.3.4:525310", "has an invalid port")]
    [InlineData("999.1.1.1/x", "Cannot tell the type")]
    [InlineData("1.2.3.4:0", "has an invalid port")]
    [InlineData("1.2.3.4:53:53", "Cannot tell the type")]
    [InlineData("evil.com:http", "Cannot tell the type")]
    [InlineData("@evil.com", "Cannot tell the type")]
    [InlineData("boss@localhost", "Cannot tell the type")]
    [InlineData("", "holds no value")]
    [InlineData("   ", "holds no value")]
    public void Refuses_what_it_cannot_tell_with_a_reason_naming_the_value(string line, string reason)
    {
        var detected = IocValueDetector.TryDetect(line, out _, out _, out var value, out var error);

        Assert.False(detected);
        Assert.NotNull(error);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Equal(line.Trim(), value);
    }

    [Theory]
    [InlineData("evil.com/gate.php", "evil.com/gate.php")]
    [InlineData("Evil.COM/Gate.php", "evil.com/Gate.php")]
    [InlineData("1.2.3.4/x", "1.2.3.4/x")]
    [InlineData("evil.com?id=1", "evil.com/?id=1")]
    [InlineData("evil.com:80/x", "evil.com:80/x")]
    public void A_url_without_a_scheme_is_kept_without_one_by_the_normaliser(string line, string stored)
    {
        Assert.True(IocValueDetector.TryDetect(line, out var type, out var action, out var value, out _));

        var normalized = IocValueNormalizer.Normalize(type, action, value);

        Assert.True(normalized.IsValid, normalized.Error);
        Assert.Equal(stored, normalized.Value);
    }

    [Theory]
    [InlineData("10.0.0.1/8", "has host bits set")]
    [InlineData("2001:db8::1/64", "has host bits set")]
    [InlineData("evil.com/a b", "whitespace")]
    public void A_detected_value_can_still_be_refused_by_the_normaliser(string line, string reason)
    {
        Assert.True(IocValueDetector.TryDetect(line, out var type, out var action, out var value, out _));

        var normalized = IocValueNormalizer.Normalize(type, action, value);

        Assert.False(normalized.IsValid);
        Assert.Contains(reason, normalized.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.0/8")]
    [InlineData("evil.com")]
    [InlineData("evil.com/x")]
    [InlineData("10.0.0.1")]
    [InlineData("d41d8cd98f00b204e9800998ecf8427e")]
    public void The_detected_action_is_the_default_action_of_the_type(string line)
    {
        Assert.True(IocValueDetector.TryDetect(line, out var type, out var action, out var value, out _));

        Assert.Equal(IocTypeRules.DefaultAction(type, value), action);
    }
}
