using ThreatIntel.Core.Feeds.Formats;
using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Core.Tests.Feeds;

public class StixPatternParserTests
{
    private const string Sha256 = "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c";
    private const string Sha1 = "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3";
    private const string Md5 = "001dd76872d80801692ff942308c64e6";

    public static TheoryData<string, IocType, IocAction, string> SingleComparisons() => new()
    {
        { "[ipv4-addr:value = '198.51.100.1']", IocType.IpAddress, IocAction.Equals, "198.51.100.1" },
        { "[ipv4-addr:value = '198.51.100.0/24']", IocType.IpAddress, IocAction.InRange, "198.51.100.0/24" },
        { "[ipv4-addr:value ISSUBSET '10.0.0.0/8']", IocType.IpAddress, IocAction.InRange, "10.0.0.0/8" },
        { "[ipv6-addr:value = '2001:db8::1']", IocType.IpAddress, IocAction.Equals, "2001:db8::1" },
        { "[ipv6-addr:value = '2001:db8::/32']", IocType.IpAddress, IocAction.InRange, "2001:db8::/32" },
        { "[domain-name:value = 'evil.example.com']", IocType.DomainName, IocAction.Equals, "evil.example.com" },
        { "[domain-name:value MATCHES '^evil[0-9]+\\.com$']", IocType.DomainName, IocAction.Regex, "^evil[0-9]+\\.com$" },
        { "[url:value = 'http://evil.example.com/a?b=c']", IocType.Url, IocAction.Equals, "http://evil.example.com/a?b=c" },
        { "[url:value MATCHES '^https?://evil']", IocType.Url, IocAction.Regex, "^https?://evil" },
        { "[file:name = 'evil.exe']", IocType.FileName, IocAction.Equals, "evil.exe" },
        { "[file:name == 'evil.exe']", IocType.FileName, IocAction.Equals, "evil.exe" },
        { "[email-addr:value = 'boss@evil.example']", IocType.EmailAddress, IocAction.Equals, "boss@evil.example" },
        { "[email-message:from_ref.value = 'boss@evil.example']", IocType.EmailAddress, IocAction.Equals, "boss@evil.example" },
        { "[email-message:sender_ref.value = 'boss@evil.example']", IocType.EmailAddress, IocAction.Equals, "boss@evil.example" },
        { "[process:command_line = 'cmd.exe /c whoami']", IocType.CommandLine, IocAction.Equals, "cmd.exe /c whoami" },
        { "[process:image_ref.name = 'mimikatz.exe']", IocType.ProcessName, IocAction.Equals, "mimikatz.exe" },
        { "[process:name = 'mimikatz.exe']", IocType.ProcessName, IocAction.Equals, "mimikatz.exe" },
        { @"[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\Software\\Evil']", IocType.RegistryKey, IocAction.Equals, @"HKEY_LOCAL_MACHINE\Software\Evil" },
        { $"[x509-certificate:hashes.'SHA-1' = '{Sha1}']", IocType.CertificateThumbprint, IocAction.Equals, Sha1 },
        { $"[file:hashes.'SHA-256' = '{Sha256}']", IocType.FileSha256, IocAction.Equals, Sha256 },
        { $"[file:hashes.SHA256 = '{Sha256}']", IocType.FileSha256, IocAction.Equals, Sha256 },
        { $"[file:hashes.'SHA256' = '{Sha256}']", IocType.FileSha256, IocAction.Equals, Sha256 },
        { $"[file:hashes.sha256 = '{Sha256}']", IocType.FileSha256, IocAction.Equals, Sha256 },
        { $"[file:hashes.'SHA-1' = '{Sha1}']", IocType.FileSha1, IocAction.Equals, Sha1 },
        { $"[file:hashes.SHA1 = '{Sha1}']", IocType.FileSha1, IocAction.Equals, Sha1 },
        { $"[file:hashes.MD5 = '{Md5}']", IocType.FileMd5, IocAction.Equals, Md5 },
        { $"[file:hashes.md5 = '{Md5}']", IocType.FileMd5, IocAction.Equals, Md5 },

        // Escapes: \' and \\ are unescaped; a backslash before anything else is kept (regexes written with one).
        { @"[file:name = 'it\'s a \\ file']", IocType.FileName, IocAction.Equals, @"it's a \ file" },
        { @"[file:name MATCHES '^Final Report.+\.exe$']", IocType.FileName, IocAction.Regex, @"^Final Report.+\.exe$" },
        { "  [ file:name   =   'spaced.exe' ]  ", IocType.FileName, IocAction.Equals, "spaced.exe" },
    };

    [Theory]
    [MemberData(nameof(SingleComparisons))]
    public void Supported_comparison_becomes_one_ioc(string pattern, IocType type, IocAction action, string value)
    {
        var parsed = StixPatternParser.Parse(pattern);

        Assert.True(parsed.IsSupported, parsed.Problem);
        var comparison = Assert.Single(parsed.Comparisons);
        Assert.Equal((type, action, value), (comparison.Type, comparison.Action, comparison.Value));
    }

    [Theory]
    [InlineData("[ipv4-addr:value = '192.0.2.1'] OR [domain-name:value = 'a.example' OR url:value = 'http://a.example/']", 3)]
    [InlineData("([ipv4-addr:value = '192.0.2.1'] OR [file:name = 'x.exe']) OR [file:name = 'y.exe']", 3)]
    [InlineData("[(file:name = 'x.exe' OR file:name = 'y.exe') OR (file:name = 'z.exe')]", 3)]
    [InlineData("[file:name = 'x.exe' or file:name = 'y.exe']", 2)]
    [InlineData("[x-threatintel-empty:value = 'none']", 0)]
    public void Comparisons_joined_by_or_become_one_ioc_each(string pattern, int count)
    {
        var parsed = StixPatternParser.Parse(pattern);

        Assert.True(parsed.IsSupported, parsed.Problem);
        Assert.Equal(count, parsed.Comparisons.Count);
    }

    [Fact]
    public void Comparisons_keep_their_order_and_object_path()
    {
        var parsed = StixPatternParser.Parse("[domain-name:value = 'a.example' OR ipv4-addr:value = '192.0.2.1'] OR [file:hashes.'SHA-256' = '" + Sha256 + "']");

        Assert.Equal(
            ["domain-name:value", "ipv4-addr:value", "file:hashes.'SHA-256'"],
            parsed.Comparisons.Select(c => c.ObjectPath));
    }

    [Theory]
    [InlineData("[ipv4-addr:value = '192.0.2.1' AND domain-name:value = 'a.example']", "AND between comparisons")]
    [InlineData("[ipv4-addr:value = '192.0.2.1'] AND [domain-name:value = 'a.example']", "AND between observation expressions")]
    [InlineData("[ipv4-addr:value = '192.0.2.1'] FOLLOWEDBY [domain-name:value = 'a.example']", "FOLLOWEDBY")]
    [InlineData("[ipv4-addr:value != '192.0.2.1']", "the != operator")]
    [InlineData("[ipv4-addr:value <> '192.0.2.1']", "the <> operator")]
    [InlineData("[file:name LIKE 'evil%']", "the LIKE operator")]
    [InlineData("[file:name IN ('a.exe', 'b.exe')]", "the IN operator")]
    [InlineData("[file:size > 1000]", "the > operator")]
    [InlineData("[file:size >= 1000]", "the >= operator")]
    [InlineData("[file:size < 1000]", "the < operator")]
    [InlineData("[file:size <= 1000]", "the <= operator")]
    [InlineData("[file:name ISSUPERSET 'a']", "the ISSUPERSET operator")]
    [InlineData("[domain-name:value ISSUBSET 'a.example']", "ISSUBSET on domain-name:value")]
    [InlineData("[file:name NOT = 'a.exe']", "NOT")]
    [InlineData("[EXISTS file:name]", "EXISTS")]
    [InlineData("[ipv4-addr:value = '192.0.2.1'] WITHIN 300 SECONDS", "the WITHIN qualifier")]
    [InlineData("[ipv4-addr:value = '192.0.2.1'] REPEATS 5 TIMES", "the REPEATS qualifier")]
    [InlineData("[ipv4-addr:value = '192.0.2.1'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'", "the START ... STOP qualifier")]
    [InlineData("[x509-certificate:issuer = 'CN=WEBMAIL']", "the object path x509-certificate:issuer, which no IOC type stands for")]
    [InlineData("[file:hashes.'SHA-512' = 'ab']", "the object path file:hashes.'SHA-512'")]
    [InlineData("[email-message:subject MATCHES '^Hello']", "the object path email-message:subject")]
    [InlineData("[email-message:body_multipart[*].body_raw_ref.name = 'x.exe']", "the object path email-message:body_multipart[*].body_raw_ref.name")]
    [InlineData("[file:hashes.MD5 MATCHES '^00']", "MATCHES on file:hashes.MD5 (FileMd5 IOCs take only Equals)")]
    [InlineData("[ipv4-addr:value MATCHES '^10\\.']", "MATCHES on ipv4-addr:value")]
    [InlineData("[domain-name:value MATCHES '(a)\\1']", "cannot be used")]
    [InlineData("[domain-name:value MATCHES '(?<=a)b']", "cannot be used")]
    [InlineData("[domain-name:value MATCHES '(unclosed']", "cannot be used")]
    [InlineData("[ipv4-addr:value = 3232235777]", "a number literal (3232235777)")]
    [InlineData("[file:name = true]", "a boolean literal")]
    [InlineData("[file:name = h'ff']", "a hex literal")]
    [InlineData("[file:name = b'aGk=']", "a binary literal")]
    public void Unsupported_construct_makes_the_pattern_unrepresentable_and_is_named(string pattern, string construct)
    {
        var parsed = StixPatternParser.Parse(pattern);

        Assert.False(parsed.IsSupported);
        Assert.Empty(parsed.Comparisons);
        Assert.StartsWith("The pattern cannot be represented as IOCs: it uses ", parsed.Problem, StringComparison.Ordinal);
        Assert.Contains(construct, parsed.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_unsupported_construct_is_named_once()
    {
        var parsed = StixPatternParser.Parse(
            "[x509-certificate:issuer = 'CN=WEBMAIL' AND x509-certificate:serial_number = '4c:0b'] AND [file:name = 'a' AND file:name = 'b']");

        Assert.Equal(
            "The pattern cannot be represented as IOCs: it uses the object path x509-certificate:issuer, which no IOC type stands for; "
            + "AND between comparisons (only comparisons joined by OR can become IOCs); "
            + "the object path x509-certificate:serial_number, which no IOC type stands for; "
            + "AND between observation expressions ([...] AND [...]; only [...] OR [...] can become IOCs).",
            parsed.Problem);
    }

    [Fact]
    public void One_unsupported_comparison_makes_the_whole_pattern_unrepresentable()
    {
        var parsed = StixPatternParser.Parse("[ipv4-addr:value = '192.0.2.1'] OR [file:name LIKE 'a%']");

        Assert.False(parsed.IsSupported);
        Assert.Empty(parsed.Comparisons);
    }

    [Theory]
    [InlineData("", "The pattern is empty.")]
    [InlineData("   ", "The pattern is empty.")]
    [InlineData("[file:name = 'unterminated]", "has no closing quote")]
    [InlineData("[file:name = 'a'", "expected ']' but found the end of the pattern")]
    [InlineData("file:name = 'a'", "expected '[' or '('")]
    [InlineData("[file:name 'a']", "expected a comparison operator")]
    [InlineData("[file:name = 'a'] garbage", "unexpected word 'garbage'")]
    [InlineData("[file:name = 'a'] ]", "unexpected ']' at position 19")]
    [InlineData("[file:name ! 'a']", "'!' at position 12 must be followed by '='")]
    [InlineData("[file: = 'a']", "lacks a property name")]
    [InlineData("[file:name = 'a'] WITHIN SECONDS", "expected a number")]
    [InlineData("[= 'a']", "expected an object path")]
    [InlineData("[file:name = 'a'] OR", "expected '[' or '('")]
    [InlineData("[file:name = 'a' ; file:name = 'b']", "unexpected character ';'")]
    public void Malformed_pattern_is_reported_as_invalid_stix(string pattern, string message)
    {
        var parsed = StixPatternParser.Parse(pattern);

        Assert.False(parsed.IsSupported);
        Assert.Contains(message, parsed.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_is_refused_rather_than_overflowing_the_stack()
    {
        var pattern = new string('(', 10_000) + "[file:name = 'a']" + new string(')', 10_000);

        var parsed = StixPatternParser.Parse(pattern);

        Assert.False(parsed.IsSupported);
        Assert.Contains("nested more than 64 deep", parsed.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("it's", @"'it\'s'")]
    [InlineData(@"C:\Windows\evil.exe", @"'C:\\Windows\\evil.exe'")]
    [InlineData(@"\'", @"'\\\''")]
    public void Quote_escapes_so_that_parsing_gives_the_value_back(string value, string quoted)
    {
        Assert.Equal(quoted, StixPatternParser.Quote(value));

        var parsed = StixPatternParser.Parse($"[file:name = {quoted}]");
        Assert.Equal(value, Assert.Single(parsed.Comparisons).Value);
    }
}
