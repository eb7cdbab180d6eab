namespace ThreatIntel.Core.Feeds;

/// <summary>
/// What a format parser read from a pushed body: the valid definitions with their IOCs, and every row it had to
/// reject. Only the first <see cref="FeedParseOptions.MaxReportedErrors"/> errors are kept, so that a wholly broken
/// million-row feed cannot exhaust memory; <see cref="ErrorCount"/> counts them all.
/// </summary>
public sealed class ParsedFeed
{
    public List<FeedDefinition> Definitions { get; } = [];

    public List<FeedRowError> Errors { get; } = [];

    public int ErrorCount { get; private set; }

    /// <summary>How many IOC rows (or list lines, or STIX comparisons) were read, valid or not.</summary>
    public int RowsRead { get; set; }

    /// <summary>
    /// The body could not be read as a feed at all (no usable header, no definition to file a list under), so it must
    /// be refused even with <c>skipInvalid</c>: applying its (empty) content would empty the feed.
    /// </summary>
    public bool IsUnreadable { get; private set; }

    public void MarkUnreadable() => IsUnreadable = true;

    public void AddError(FeedRowError error, int maxReported)
    {
        ErrorCount++;
        if (Errors.Count < maxReported)
        {
            Errors.Add(error);
        }
    }
}
