using ThreatIntel.Core.Iocs;
using static ThreatIntel.Core.Tests.Iocs.Normalization.NormalizationAssert;

namespace ThreatIntel.Core.Tests.Iocs.Normalization;

public class HashNormalizationTests
{
    private static string Hex(int length) =>
        string.Concat(Enumerable.Repeat("0123456789abcdef", (length / 16) + 1))[..length];

    [Theory]
    [InlineData(IocType.FileSha1, 40)]
    [InlineData(IocType.FileSha256, 64)]
    [InlineData(IocType.FileMd5, 32)]
    [InlineData(IocType.CertificateThumbprint, 40)]
    public void Hash_of_the_right_length_in_lower_case_hex_is_kept(IocType type, int length) =>
        IsKept(type, IocAction.Equals, Hex(length));

    [Theory]
    [InlineData(IocType.FileSha1, 40)]
    [InlineData(IocType.FileSha256, 64)]
    [InlineData(IocType.FileMd5, 32)]
    [InlineData(IocType.CertificateThumbprint, 40)]
    public void Hash_with_upper_case_hex_is_lower_cased(IocType type, int length) =>
        NormalizesTo(Hex(length), type, IocAction.Equals, Hex(length).ToUpperInvariant());

    [Theory]
    [InlineData(IocType.FileSha1, 40)]
    [InlineData(IocType.FileSha256, 64)]
    [InlineData(IocType.FileMd5, 32)]
    [InlineData(IocType.CertificateThumbprint, 40)]
    public void Hash_with_mixed_case_hex_is_lower_cased(IocType type, int length)
    {
        var mixed = string.Concat(Hex(length).Select((c, i) => i % 2 == 0 ? char.ToUpperInvariant(c) : c));

        NormalizesTo(Hex(length), type, IocAction.Equals, mixed);
    }

    [Theory]
    [InlineData(IocType.FileSha1, 40)]
    [InlineData(IocType.FileSha256, 64)]
    [InlineData(IocType.FileMd5, 32)]
    [InlineData(IocType.CertificateThumbprint, 40)]
    public void Hash_surrounded_by_whitespace_is_trimmed(IocType type, int length) =>
        NormalizesTo(Hex(length), type, IocAction.Equals, $" \t{Hex(length).ToUpperInvariant()}\r\n ");

    [Theory]
    [InlineData(IocType.FileSha1, 39)]
    [InlineData(IocType.FileSha256, 63)]
    [InlineData(IocType.FileMd5, 31)]
    [InlineData(IocType.CertificateThumbprint, 39)]
    public void Hash_one_character_too_short_is_rejected(IocType type, int length) =>
        Rejects(type, IocAction.Equals, Hex(length));

    [Theory]
    [InlineData(IocType.FileSha1, 41)]
    [InlineData(IocType.FileSha256, 65)]
    [InlineData(IocType.FileMd5, 33)]
    [InlineData(IocType.CertificateThumbprint, 41)]
    public void Hash_one_character_too_long_is_rejected(IocType type, int length) =>
        Rejects(type, IocAction.Equals, Hex(length));

    [Theory]
    [InlineData(IocType.FileSha1, 32)]
    [InlineData(IocType.FileSha1, 64)]
    [InlineData(IocType.FileSha256, 40)]
    [InlineData(IocType.FileMd5, 40)]
    [InlineData(IocType.CertificateThumbprint, 64)]
    public void Hash_of_another_algorithms_length_is_rejected(IocType type, int length) =>
        Rejects(type, IocAction.Equals, Hex(length));

    [Theory]
    [InlineData(IocType.FileSha1, 40, 'g')]
    [InlineData(IocType.FileSha1, 40, 'z')]
    [InlineData(IocType.FileSha1, 40, ' ')]
    [InlineData(IocType.FileSha1, 40, '-')]
    [InlineData(IocType.FileSha256, 64, 'G')]
    [InlineData(IocType.FileSha256, 64, ':')]
    [InlineData(IocType.FileMd5, 32, 'x')]
    [InlineData(IocType.FileMd5, 32, '\u0660')]
    [InlineData(IocType.CertificateThumbprint, 40, 'q')]
    [InlineData(IocType.CertificateThumbprint, 40, '\uFF10')]
    public void Hash_with_a_non_hex_character_is_rejected(IocType type, int length, char nonHex)
    {
        var value = Hex(length - 1)[..(length / 2)] + nonHex + Hex(length - 1)[(length / 2)..];

        Rejects(type, IocAction.Equals, value);
    }

    [Fact]
    public void Certificate_thumbprint_written_with_colon_separators_is_rejected() =>
        Rejects(IocType.CertificateThumbprint, IocAction.Equals, string.Join(':', Hex(40).Chunk(2).Select(p => new string(p))));

    [Fact]
    public void Hash_length_error_names_the_expected_length() =>
        Assert.Contains("40", Rejects(IocType.FileSha1, IocAction.Equals, Hex(39)), StringComparison.Ordinal);
}
