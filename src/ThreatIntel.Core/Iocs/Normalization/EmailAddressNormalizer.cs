namespace ThreatIntel.Core.Iocs.Normalization;

/// <summary>E-mail addresses: lower-case, the domain part written like any other host name (punycode).</summary>
public static class EmailAddressNormalizer
{
    private const int MaxLocalPartLength = 64;

    public static NormalizationResult NormalizeAddress(string value)
    {
        var at = value.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1)
        {
            return NormalizationResult.Invalid($"'{value}' is not an e-mail address of the form local@domain.");
        }

        var local = value[..at];
        if (local.Length > MaxLocalPartLength || local.Contains('@') || local.Any(char.IsWhiteSpace))
        {
            return NormalizationResult.Invalid(
                $"The local part of '{value}' must be at most {MaxLocalPartLength} characters without spaces or '@'.");
        }

        var domain = DomainNameNormalizer.Normalize(value[(at + 1)..]);
        return domain.IsValid
            ? NormalizationResult.Valid(local.ToLowerInvariant() + "@" + domain.Value)
            : NormalizationResult.Invalid($"The domain of '{value}' is invalid: {domain.Error}");
    }

    /// <summary>
    /// A suffix such as <c>@evil.com</c> or <c>evil.com</c>: lower-cased, with its domain part in punycode.
    /// </summary>
    public static NormalizationResult NormalizeSuffix(string value)
    {
        if (value.Any(char.IsWhiteSpace))
        {
            return NormalizationResult.Invalid("An e-mail suffix must not contain whitespace.");
        }

        var at = value.LastIndexOf('@');
        var head = value[..(at + 1)];
        var domainPart = value[(at + 1)..];
        if (domainPart.Length == 0)
        {
            return NormalizationResult.Valid(value.ToLowerInvariant());
        }

        var leadingDot = domainPart.StartsWith('.') ? "." : string.Empty;
        var domain = DomainNameNormalizer.Normalize(domainPart[leadingDot.Length..]);
        return domain.IsValid
            ? NormalizationResult.Valid(head.ToLowerInvariant() + leadingDot + domain.Value)
            : NormalizationResult.Invalid($"The domain of '{value}' is invalid: {domain.Error}");
    }
}
