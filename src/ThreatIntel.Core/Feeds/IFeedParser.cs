namespace ThreatIntel.Core.Feeds;

/// <summary>
/// Reads one feed format from a stream without holding the body in memory: rows are validated and normalised as they
/// are read, and only the resulting definitions and IOCs are kept.
/// </summary>
public interface IFeedParser
{
    FeedFormat Format { get; }

    Task<ParsedFeed> ParseAsync(Stream body, FeedParseOptions options, CancellationToken cancellationToken);
}
