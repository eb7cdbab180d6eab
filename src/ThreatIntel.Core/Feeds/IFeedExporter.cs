namespace ThreatIntel.Core.Feeds;

/// <summary>
/// Writes a feed's content in one format so that pushing the output back (to the same feed) changes nothing. The
/// definitions arrive one at a time so that an export of millions of IOCs is streamed rather than built in memory.
/// </summary>
public interface IFeedExporter
{
    FeedFormat Format { get; }

    /// <summary>The media type of the output, the same one the format is pushed with.</summary>
    string ContentType { get; }

    Task WriteAsync(string feedName, IAsyncEnumerable<FeedDefinition> definitions, Stream output, CancellationToken cancellationToken);
}
