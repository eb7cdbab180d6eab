using Microsoft.Net.Http.Headers;
using ThreatIntel.Core.Feeds;

namespace ThreatIntel.Api.Features.Feeds;

/// <summary>The media type each feed format is pushed and exported with.</summary>
internal static class FeedMediaTypes
{
    public const string Json = "application/json";
    public const string Csv = "text/csv";
    public const string Stix = "application/stix+json";

    /// <summary>The media type OASIS registered for STIX, which some STIX/TAXII tools send instead.</summary>
    public const string OasisStix = "application/vnd.oasis.stix+json";
    public const string PlainList = "text/plain";

    public static string For(FeedFormat format) => format switch
    {
        FeedFormat.Json => Json,
        FeedFormat.Csv => Csv,
        FeedFormat.Stix => Stix,
        _ => PlainList,
    };

    /// <summary>The format a <c>Content-Type</c> names, ignoring parameters such as <c>charset</c>.</summary>
    public static FeedFormat? Parse(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            return null;
        }

        return mediaType.MediaType.Value?.ToLowerInvariant() switch
        {
            Json => FeedFormat.Json,
            Csv => FeedFormat.Csv,
            Stix or OasisStix => FeedFormat.Stix,
            PlainList => FeedFormat.PlainList,
            _ => null,
        };
    }
}
