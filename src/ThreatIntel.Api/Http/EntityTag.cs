using Microsoft.Net.Http.Headers;

namespace ThreatIntel.Api.Http;

/// <summary>Strong entity tags made from an object's concurrency version.</summary>
internal static class EntityTag
{
    public static string From(Guid version) => $"\"{version:N}\"";

    /// <summary>
    /// The version the caller expects from <c>If-Match</c>: null when there is no header or it is <c>*</c>.
    /// A tag that is not one of ours (or a weak tag, which If-Match never accepts) can never match, so it
    /// becomes a version no object has, and the write fails with 412.
    /// </summary>
    public static Guid? ExpectedVersion(string? ifMatch)
    {
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            return null;
        }

        if (!EntityTagHeaderValue.TryParseList([ifMatch], out var tags) || tags.Count == 0)
        {
            return Guid.Empty;
        }

        var first = tags[0];
        if (first.Equals(EntityTagHeaderValue.Any))
        {
            return null;
        }

        return !first.IsWeak && Guid.TryParseExact(first.Tag.ToString().Trim('"'), "N", out var version)
            ? version
            : Guid.Empty;
    }
}
