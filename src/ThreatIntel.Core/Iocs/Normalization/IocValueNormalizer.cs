namespace ThreatIntel.Core.Iocs.Normalization;

/// <summary>
/// The single entry point that turns a submitted IOC value into the form that is stored and compared
/// (the spec's normalisation table), or explains why the value is rejected.
/// </summary>
public static class IocValueNormalizer
{
    /// <summary>
    /// The stored form to look a value up by. As <see cref="Normalize"/>, except that a <c>Regex</c> reading is the
    /// trimmed text without compiling it: a stored pattern is kept as given, and only valid ones are stored, so
    /// checking that the looked-up text is a valid pattern (which costs more than the look-up) would find nothing more.
    /// </summary>
    public static NormalizationResult NormalizeForLookup(IocType type, IocAction action, string? rawValue) =>
        action == IocAction.Regex && IocTypeRules.IsAllowed(type, action) && rawValue?.Trim() is { Length: > 0 } pattern
            && pattern.Length <= FieldLimits.IocValueMaxLength
            ? NormalizationResult.Valid(pattern)
            : Normalize(type, action, rawValue);

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
