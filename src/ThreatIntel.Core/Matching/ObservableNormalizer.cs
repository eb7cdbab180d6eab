using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Iocs.Normalization;

namespace ThreatIntel.Core.Matching;

/// <summary>
/// Puts an observed value into the form IOC values of its type are stored in, so that the index can compare the two
/// exactly (an upper-case hash, a trailing-dot or IDN domain, an IPv4-mapped IPv6 address all still match).
/// An observable that cannot be normalised is reported invalid and matches nothing: it cannot equal a stored value.
/// </summary>
public static class ObservableNormalizer
{
    /// <summary>
    /// The comparable form of <paramref name="value"/> as an observable of <paramref name="type"/>. Unlike IOC values
    /// no length limit is applied here: how long an observable may be is the caller's policy, not a matching rule.
    /// </summary>
    public static NormalizationResult Normalize(IocType type, string? value)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return NormalizationResult.Invalid("A value is required.");
        }

        return type switch
        {
            IocType.FileSha1 => HexHashNormalizer.Normalize(trimmed, 40, "SHA-1 hash"),
            IocType.FileSha256 => HexHashNormalizer.Normalize(trimmed, 64, "SHA-256 hash"),
            IocType.FileMd5 => HexHashNormalizer.Normalize(trimmed, 32, "MD5 hash"),
            IocType.CertificateThumbprint => HexHashNormalizer.Normalize(trimmed, 40, "SHA-1 certificate thumbprint"),
            IocType.IpAddress => IpAddressNormalizer.NormalizeAddress(trimmed),
            IocType.DomainName => DomainNameNormalizer.Normalize(trimmed),
            IocType.Url => UrlNormalizer.Normalize(trimmed),
            IocType.EmailAddress => NormalizeEmailAddress(trimmed),
            _ => NormalizationResult.Valid(trimmed),
        };
    }

    /// <summary>
    /// Sensors report whatever was in a header, so a malformed address is still compared: lower-cased, it can end
    /// with an <c>EndsWith</c> suffix or satisfy a pattern even though it can never equal a stored address.
    /// </summary>
    private static NormalizationResult NormalizeEmailAddress(string value)
    {
        var address = EmailAddressNormalizer.NormalizeAddress(value);
        return address.IsValid ? address : NormalizationResult.Valid(value.ToLowerInvariant());
    }
}
