using System.Text.RegularExpressions;

namespace ThreatIntel.Core.Feeds;

/// <summary>
/// Feed names appear in URLs and become the <c>source</c> of everything the feed manages, so they are kept to a
/// URL-safe, case-sensitive form.
/// </summary>
public static partial class FeedName
{
    public const string Rule = "1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit";

    public static bool IsValid(string? name) =>
        name is { Length: > 0 and <= FieldLimits.SourceMaxLength } && Pattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
