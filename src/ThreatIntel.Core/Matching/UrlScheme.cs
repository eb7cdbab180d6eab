namespace ThreatIntel.Core.Matching;

/// <summary>
/// Finds the <c>scheme://</c> that starts a canonical URL, by the same grammar <see cref="Iocs.Normalization.UrlNormalizer"/>
/// uses to decide whether a value has a scheme, so that IOC values and observed URLs are split alike.
/// </summary>
internal static class UrlScheme
{
    /// <summary>The length of the leading <c>scheme://</c>, or 0 when the URL has none.</summary>
    public static int PrefixLength(ReadOnlySpan<char> url)
    {
        if (url.IsEmpty || !char.IsAsciiLetter(url[0]))
        {
            return 0;
        }

        var end = 1;
        while (end < url.Length && (char.IsAsciiLetterOrDigit(url[end]) || url[end] is '+' or '.' or '-'))
        {
            end++;
        }

        return url[end..].StartsWith("://", StringComparison.Ordinal) ? end + 3 : 0;
    }
}
