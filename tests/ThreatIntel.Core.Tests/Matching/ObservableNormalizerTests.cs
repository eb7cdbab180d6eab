using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Matching;

namespace ThreatIntel.Core.Tests.Matching;

/// <summary>Observed values are put in the form IOC values of their type are stored in.</summary>
public class ObservableNormalizerTests
{
    [Theory]
    [InlineData(IocType.FileMd5, " D41D8CD98F00B204E9800998ECF8427E ", "d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData(IocType.IpAddress, "::FFFF:10.1.2.3", "10.1.2.3")]
    [InlineData(IocType.IpAddress, "2001:DB8:0:0::1", "2001:db8::1")]
    [InlineData(IocType.DomainName, "WWW.Evil.COM.", "www.evil.com")]
    [InlineData(IocType.DomainName, "Bücher.example", "xn--bcher-kva.example")]
    [InlineData(IocType.Url, "HTTP://Evil.COM:80/Path?Q=1", "http://evil.com/Path?Q=1")]
    [InlineData(IocType.Url, "Evil.com", "evil.com/")]
    [InlineData(IocType.EmailAddress, "CEO@Bücher.Example", "ceo@xn--bcher-kva.example")]
    [InlineData(IocType.EmailAddress, "Not An@Address@EVIL.com", "not an@address@evil.com")]
    [InlineData(IocType.CommandLine, "  CMD.exe /C Whoami\t", "CMD.exe /C Whoami")]
    [InlineData(IocType.RegistryKey, @"HKLM\Software\Run", @"HKLM\Software\Run")]
    public void Observable_is_normalised_like_an_ioc_value_of_its_type(IocType type, string observed, string expected)
    {
        var result = ObservableNormalizer.Normalize(type, observed);
        Assert.True(result.IsValid, result.Error);
        Assert.Equal(expected, result.Value);
    }

    [Theory]
    [InlineData(IocType.FileSha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85")]
    [InlineData(IocType.FileSha1, "zz39a3ee5e6b4b0d3255bfef95601890afd80709")]
    [InlineData(IocType.IpAddress, "10.0.0.0/8")]
    [InlineData(IocType.IpAddress, "010.0.0.1")]
    [InlineData(IocType.DomainName, "evil.com/path")]
    [InlineData(IocType.Url, "/relative/path")]
    [InlineData(IocType.FileName, "   ")]
    [InlineData(IocType.FileName, null)]
    public void Observable_that_cannot_be_normalised_is_invalid(IocType type, string? observed) =>
        Assert.False(ObservableNormalizer.Normalize(type, observed).IsValid);

    [Fact]
    public void Long_observables_are_not_limited_to_the_ioc_value_length()
    {
        var commandLine = "powershell " + new string('A', 10_000);
        Assert.Equal(commandLine, ObservableNormalizer.Normalize(IocType.CommandLine, commandLine).Value);
    }
}
