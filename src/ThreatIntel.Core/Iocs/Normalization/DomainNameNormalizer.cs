using System.Globalization;

namespace ThreatIntel.Core.Iocs.Normalization;

/// <summary>
/// Host names: lower-case, without the root's trailing dot, internationalised labels in punycode (<c>xn--</c>).
/// Underscores are allowed because real malicious hosts (and service records) use them.
/// </summary>
public static class DomainNameNormalizer
{
    public const int MaxLength = 253;
    private const int MaxLabelLength = 63;

    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = false };

    public static NormalizationResult Normalize(string value)
    {
        var host = value.EndsWith('.') ? value[..^1] : value;
        if (host.Length == 0)
        {
            return NormalizationResult.Invalid("A domain name must not be empty.");
        }

        if (host.Contains("://", StringComparison.Ordinal)
            || host.IndexOfAny(['/', '?', '#', '@', ':', '\\', '[', ']']) >= 0)
        {
            return NormalizationResult.Invalid(
                $"'{value}' is not a host name; give the host alone (use type Url for a URL).");
        }

        if (host.Any(char.IsWhiteSpace))
        {
            return NormalizationResult.Invalid("A domain name must not contain whitespace.");
        }

        // Most names are plain ASCII without punycode labels: lower-casing the whole name is what converting it label
        // by label would give, without the split and a string per label (domains are in every event).
        var ascii = host.AsSpan().ContainsAnyExceptInRange((char)0, (char)127) || host.Contains("xn--", StringComparison.OrdinalIgnoreCase)
            ? ToAscii(host)
            : host.ToLowerInvariant();
        if (ascii is null)
        {
            return NormalizationResult.Invalid($"'{value}' is not a valid (internationalised) domain name.");
        }

        if (ascii.Length > MaxLength)
        {
            return NormalizationResult.Invalid($"A domain name must be at most {MaxLength} characters.");
        }

        var allNumeric = true;
        foreach (var range in ascii.AsSpan().Split('.'))
        {
            var label = ascii.AsSpan(range);
            var error = LabelError(label);
            if (error is not null)
            {
                return NormalizationResult.Invalid($"'{value}' is not a valid domain name: {error}");
            }

            allNumeric &= !label.ContainsAnyExceptInRange('0', '9');
        }

        if (allNumeric)
        {
            return NormalizationResult.Invalid($"'{value}' is an IP address; use type IpAddress.");
        }

        return NormalizationResult.Valid(ascii);
    }

    /// <summary>A fragment of a host name for <c>Contains</c>: lower-cased, host-name characters only.</summary>
    public static NormalizationResult NormalizeFragment(string value)
    {
        if (!value.All(char.IsAscii))
        {
            // Leading and trailing dots anchor the fragment on a label boundary (".bücher." is a whole label), but
            // IdnMapping rejects empty labels, so only the labels between them are converted.
            var labelsStart = value.Length - value.TrimStart('.').Length;
            var labelsEnd = value.TrimEnd('.').Length;
            try
            {
                value = value[..labelsStart] + Idn.GetAscii(value[labelsStart..labelsEnd]) + value[labelsEnd..];
            }
            catch (ArgumentException)
            {
                return NormalizationResult.Invalid($"'{value}' cannot be written as part of a domain name.");
            }
        }

        var fragment = value.ToLowerInvariant();
        return fragment.All(c => c == '.' || IsHostCharacter(c))
            ? NormalizationResult.Valid(fragment)
            : NormalizationResult.Invalid("A domain fragment may contain only letters, digits, '-', '_' and '.'.");
    }

    /// <summary>
    /// Converts label by label: only labels with non-ASCII characters go through IDNA, and existing <c>xn--</c>
    /// labels are decoded to prove they are valid punycode. Plain ASCII labels are only lower-cased, because IDNA's
    /// hyphen rules would reject real host names such as <c>r3---sn-abc.googlevideo.com</c>.
    /// </summary>
    private static string? ToAscii(string host)
    {
        var labels = host.Split(['.', '\u3002', '\uFF0E', '\uFF61']);
        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            try
            {
                if (!label.All(char.IsAscii))
                {
                    labels[i] = Idn.GetAscii(label).ToLowerInvariant();
                }
                else
                {
                    labels[i] = label.ToLowerInvariant();
                    if (labels[i].StartsWith("xn--", StringComparison.Ordinal))
                    {
                        _ = Idn.GetUnicode(labels[i]);
                    }
                }
            }
            catch (ArgumentException)
            {
                return null;
            }
        }

        return string.Join('.', labels);
    }

    private static string? LabelError(ReadOnlySpan<char> label)
    {
        if (label.Length == 0)
        {
            return "it has an empty label.";
        }

        if (label.Length > MaxLabelLength)
        {
            return $"a label is longer than {MaxLabelLength} characters.";
        }

        if (label[0] == '-' || label[^1] == '-')
        {
            return "a label starts or ends with '-'.";
        }

        foreach (var c in label)
        {
            if (!IsHostCharacter(c))
            {
                return "it contains a character not allowed in host names.";
            }
        }

        return null;
    }

    private static bool IsHostCharacter(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_';
}
