using ThreatIntel.Core.Persistence;

namespace ThreatIntel.Core.Feeds;

public interface IFeedRepository
{
    /// <summary>
    /// Compares <paramref name="pushed"/> with what the feed holds and, unless the push is a dry run or has rejected
    /// rows without <see cref="FeedPushOptions.SkipInvalid"/>, applies the difference in one transaction. Definitions
    /// whose name belongs to a definition outside the feed are rejected rows.
    /// </summary>
    /// <exception cref="FeedPushConflictException">Another push to the feed was applied meanwhile.</exception>
    Task<FeedPushResult> PushAsync(string feed, ParsedFeed pushed, FeedPushOptions options, CancellationToken cancellationToken);

    Task<IReadOnlyList<FeedSummary>> ListAsync(CancellationToken cancellationToken);

    Task<FeedSummary?> FindAsync(string feed, CancellationToken cancellationToken);

    /// <summary>The feed's definitions with their IOCs, one definition at a time, ordered by name.</summary>
    IAsyncEnumerable<FeedDefinition> ExportAsync(string feed, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the feed, its definitions and their IOCs, provided the feed is at <paramref name="expectedVersion"/>
    /// when one is given (HTTP <c>If-Match</c>).
    /// </summary>
    Task<StoreOutcome> DeleteAsync(string feed, Guid? expectedVersion, CancellationToken cancellationToken);
}
