namespace ThreatIntel.Core.Iocs.Normalization;

/// <summary>
/// The single entry point that turns a submitted IOC value into the form that is stored and compared
/// (the spec's normalisation table), or explains why the value is rejected.
/// </summary>
public static class IocValueNormalizer
{
    public static NormalizationResult Normalize(IocType type, IocAction action, string? rawValue)
    {
        if (!IocTypeRules.IsAllowed(type, action))
        {
            return NormalizationResult.Invalid(
                $"Action {action} is not allowed for type {type}; allowed: {string.Join(", ", IocTypeRules.AllowedActions(type))}.");
        }

        var value = rawValue?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return NormalizationResult.Invalid("A value is required.");
        }

        if (value.Length > FieldLimits.IocValueMaxLength)
        {
            return NormalizationResult.Invalid($"A value must be at most {FieldLimits.IocValueMaxLength} characters.");
        }

        if (action == IocAction.Regex)
        {
            return RegexPatternValidator.Validate(value);
        }

        return type switch
        {
            IocType.FileSha1 => HexHashNormalizer.Normalize(value, 40, "SHA-1 hash"),
            IocType.FileSha256 => HexHashNormalizer.Normalize(value, 64, "SHA-256 hash"),
            IocType.FileMd5 => HexHashNormalizer.Normalize(value, 32, "MD5 hash"),
            IocType.CertificateThumbprint => HexHashNormalizer.Normalize(value, 40, "SHA-1 certificate thumbprint"),
            IocType.IpAddress when action == IocAction.InRange => IpAddressNormalizer.NormalizeRange(value),
            IocType.IpAddress => IpAddressNormalizer.NormalizeAddress(value),
            IocType.DomainName when action == IocAction.Contains => DomainNameNormalizer.NormalizeFragment(value),
            IocType.DomainName => DomainNameNormalizer.Normalize(value),
            IocType.Url when action == IocAction.Contains => NormalizationResult.Valid(value),
            IocType.Url => UrlNormalizer.Normalize(value),
            IocType.EmailAddress when action == IocAction.EndsWith => EmailAddressNormalizer.NormalizeSuffix(value),
            IocType.EmailAddress => EmailAddressNormalizer.NormalizeAddress(value),
            _ => NormalizationResult.Valid(value),
        };
    }
}
