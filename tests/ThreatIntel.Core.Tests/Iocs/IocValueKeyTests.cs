using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Iocs.Normalization;

namespace ThreatIntel.Core.Tests.Iocs;

public class IocValueKeyTests
{
    private static byte[] KeyOfNormalized(IocType type, IocAction action, string rawValue)
    {
        var result = IocValueNormalizer.Normalize(type, action, rawValue);
        Assert.True(result.IsValid, result.Error);
        return IocValueKey.Compute(type, action, result.Value);
    }

    [Fact]
    public void Key_has_the_length_of_its_database_column() =>
        Assert.Equal(FieldLimits.ValueHashLength, IocValueKey.Compute(IocType.Url, IocAction.Equals, "http://evil.com/").Length);

    [Fact]
    public void Same_value_always_has_the_same_key() =>
        Assert.Equal(
            IocValueKey.Compute(IocType.DomainName, IocAction.EndsWith, "evil.com"),
            IocValueKey.Compute(IocType.DomainName, IocAction.EndsWith, "evil.com"));

    [Theory]
    [InlineData(IocType.FileName, IocAction.Equals, "EVIL.exe", "evil.EXE")]
    [InlineData(IocType.FilePath, IocAction.StartsWith, @"C:\Windows\Temp\", @"c:\windows\temp\")]
    [InlineData(IocType.ProcessName, IocAction.EndsWith, "Loader.EXE", "loader.exe")]
    [InlineData(IocType.CommandLine, IocAction.Contains, "-EncodedCommand", "-encodedcommand")]
    [InlineData(IocType.RegistryKey, IocAction.Equals, @"HKLM\Software\Run", @"hklm\SOFTWARE\run")]
    [InlineData(IocType.FileName, IocAction.Equals, "ÄRGER.exe", "ärger.exe")]
    [InlineData(IocType.FileName, IocAction.Equals, "ΣΊΣΥΦΟΣ.exe", "σίσυφος.exe")]
    [InlineData(IocType.FileName, IocAction.Equals, "\U00010400.exe", "\U00010428.exe")]
    public void Free_text_differing_only_in_case_is_the_same_ioc(IocType type, IocAction action, string value, string otherCase)
    {
        Assert.True(StringComparer.OrdinalIgnoreCase.Equals(value, otherCase));
        Assert.Equal(KeyOfNormalized(type, action, value), KeyOfNormalized(type, action, otherCase));
    }

    [Theory]
    [InlineData("ſvchost.exe", "svchost.exe")]
    [InlineData("ſvchost.exe", "Svchost.exe")]
    [InlineData("\u212Aernel32.dll", "kernel32.dll")]
    [InlineData("ı.exe", "I.exe")]
    [InlineData("straße.exe", "STRASSE.EXE")]
    public void Free_text_that_ordinal_ignore_case_tells_apart_is_a_different_ioc(string value, string lookalike)
    {
        Assert.False(StringComparer.OrdinalIgnoreCase.Equals(value, lookalike));
        Assert.NotEqual(
            KeyOfNormalized(IocType.ProcessName, IocAction.Equals, value),
            KeyOfNormalized(IocType.ProcessName, IocAction.Equals, lookalike));
    }

    [Fact]
    public void Free_text_key_agrees_with_ordinal_ignore_case_for_every_character_and_its_case_variants()
    {
        var disagreements = new List<string>();
        for (var c = 0; c <= char.MaxValue; c++)
        {
            if (char.IsSurrogate((char)c))
            {
                continue;
            }

            var value = ((char)c).ToString();
            foreach (var variant in new[] { value.ToUpperInvariant(), value.ToLowerInvariant() })
            {
                var sameKey = IocValueKey.Compute(IocType.FileName, IocAction.Equals, value)
                    .AsSpan().SequenceEqual(IocValueKey.Compute(IocType.FileName, IocAction.Equals, variant));
                if (sameKey != string.Equals(value, variant, StringComparison.OrdinalIgnoreCase))
                {
                    disagreements.Add($"U+{c:X4}/{variant}");
                }
            }
        }

        Assert.Empty(disagreements);
    }

    [Fact]
    public void Unpaired_surrogate_in_free_text_does_not_break_the_key() =>
        Assert.Equal(
            IocValueKey.Compute(IocType.FileName, IocAction.Equals, "a\uD800B"),
            IocValueKey.Compute(IocType.FileName, IocAction.Equals, "A\uD800b"));

    [Theory]
    [InlineData(IocType.FileName)]
    [InlineData(IocType.CommandLine)]
    [InlineData(IocType.RegistryKey)]
    public void Free_text_regex_differing_only_in_case_is_a_different_ioc(IocType type) =>
        Assert.NotEqual(
            KeyOfNormalized(type, IocAction.Regex, @"evil\.exe"),
            KeyOfNormalized(type, IocAction.Regex, @"EVIL\.EXE"));

    [Theory]
    [InlineData(IocType.FileSha1, "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709")]
    [InlineData(IocType.FileSha256, "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData(IocType.FileMd5, "D41D8CD98F00B204E9800998ECF8427E")]
    [InlineData(IocType.CertificateThumbprint, " Da39a3ee5e6b4b0d3255bfef95601890afd80709 ")]
    public void Hashes_are_the_same_ioc_after_normalisation(IocType type, string value) =>
        Assert.Equal(
            KeyOfNormalized(type, IocAction.Equals, value.Trim().ToLowerInvariant()),
            KeyOfNormalized(type, IocAction.Equals, value));

    [Theory]
    [InlineData(IocType.IpAddress, IocAction.Equals, "2001:DB8:0:0::1", "2001:db8::1")]
    [InlineData(IocType.IpAddress, IocAction.Equals, "::ffff:1.2.3.4", "1.2.3.4")]
    [InlineData(IocType.IpAddress, IocAction.InRange, "::ffff:10.0.0.0/104", "10.0.0.0/8")]
    [InlineData(IocType.DomainName, IocAction.EndsWith, "BÜCHER.example.", "xn--bcher-kva.example")]
    [InlineData(IocType.Url, IocAction.Equals, "HTTP://Evil.COM:80", "http://evil.com/")]
    [InlineData(IocType.EmailAddress, IocAction.Equals, "User@Evil.COM", "user@evil.com")]
    public void Values_with_the_same_normalised_form_are_the_same_ioc(IocType type, IocAction action, string value, string equivalent) =>
        Assert.Equal(KeyOfNormalized(type, action, value), KeyOfNormalized(type, action, equivalent));

    [Theory]
    [InlineData(IocType.Url, IocAction.Equals, "http://evil.com/Payload", "http://evil.com/payload")]
    [InlineData(IocType.Url, IocAction.StartsWith, "http://evil.com/?Q=1", "http://evil.com/?q=1")]
    [InlineData(IocType.DomainName, IocAction.Regex, "^EVIL", "^evil")]
    [InlineData(IocType.EmailAddress, IocAction.Regex, "^User@", "^user@")]
    public void Case_sensitive_parts_of_structured_values_keep_iocs_apart(IocType type, IocAction action, string value, string otherCase) =>
        Assert.NotEqual(KeyOfNormalized(type, action, value), KeyOfNormalized(type, action, otherCase));

    [Theory]
    [InlineData(IocType.FileSha256, IocAction.Equals, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b854")]
    [InlineData(IocType.IpAddress, IocAction.InRange, "10.0.0.0/8", "10.0.0.0/16")]
    [InlineData(IocType.FileName, IocAction.Equals, "evil.exe", "evil.exe.")]
    public void Different_values_have_different_keys(IocType type, IocAction action, string value, string other) =>
        Assert.NotEqual(KeyOfNormalized(type, action, value), KeyOfNormalized(type, action, other));
}
