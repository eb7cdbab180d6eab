using ThreatIntel.Core.Feeds;
using ThreatIntel.Core.Feeds.Formats;

namespace ThreatIntel.Api.Features.Feeds;

/// <summary>Reads a pushed body with the parser its format names and hands the result to the feed repository.</summary>
public sealed class FeedPushService(IEnumerable<IFeedParser> parsers, IFeedRepository feeds)
{
    private readonly Dictionary<FeedFormat, IFeedParser> parsersByFormat = parsers.ToDictionary(p => p.Format);

    /// <exception cref="FeedFormatException">The body cannot be read as its format at all.</exception>
    /// <exception cref="FeedPushConflictException">Another push to the feed was applied meanwhile.</exception>
    public async Task<FeedPushResult> PushAsync(
        string feed,
        FeedFormat format,
        Stream body,
        FeedPushParameters parameters,
        FeedPushMode mode,
        CancellationToken cancellationToken)
    {
        var parsed = await parsersByFormat[format].ParseAsync(
            body, new FeedParseOptions(parameters.Definition, parameters.Severity), cancellationToken);
        return await feeds.PushAsync(
            feed, parsed, new FeedPushOptions(mode, parameters.SkipInvalid, parameters.DryRun), cancellationToken);
    }
}
