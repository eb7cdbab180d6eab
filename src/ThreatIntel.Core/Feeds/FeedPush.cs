namespace ThreatIntel.Core.Feeds;

/// <summary>How a push relates to what the feed already holds.</summary>
public enum FeedPushMode
{
    /// <summary><c>PUT</c>: afterwards the feed holds exactly what was pushed; anything not pushed is removed.</summary>
    Sync,

    /// <summary><c>POST</c>: what was pushed is created or updated; nothing is removed.</summary>
    Merge,
}

/// <param name="SkipInvalid">Apply the valid rows when some are invalid, instead of refusing the whole push.</param>
/// <param name="DryRun">Work out and report the changes without writing anything.</param>
/// <param name="ExpectedVersion">
/// The feed's version the caller last read (HTTP <c>If-Match</c>): a feed at another version, or no feed, refuses the
/// push with <see cref="FeedVersionMismatchException"/>. Null pushes whatever the feed holds.
/// </param>
/// <param name="RequireExisting">
/// The caller sent any <c>If-Match</c>, <c>*</c> included, which no feed that does not exist yet can satisfy.
/// </param>
public sealed record FeedPushOptions(
    FeedPushMode Mode, bool SkipInvalid, bool DryRun, Guid? ExpectedVersion = null, bool RequireExisting = false);

/// <summary>What a push changed (or, for a dry run or a refused push, would have changed) and what it rejected.</summary>
/// <param name="Refused">Rows were invalid and the push did not allow skipping them (or nothing could be read).</param>
/// <param name="Applied">The changes were written: neither refused nor a dry run.</param>
/// <param name="Version">The feed's version after the push (its <c>ETag</c>); null while there is no such feed.</param>
public sealed record FeedPushResult(
    string Feed,
    FeedChangeCounts Changes,
    IReadOnlyList<FeedRowError> Rejected,
    int RejectedCount,
    bool Refused,
    bool Applied,
    Guid? Version = null);

public sealed record FeedChangeCounts(
    int DefinitionsCreated,
    int DefinitionsUpdated,
    int DefinitionsRemoved,
    int DefinitionsUnchanged,
    int IocsCreated,
    int IocsUpdated,
    int IocsUnchanged,
    int IocsRemoved)
{
    public static readonly FeedChangeCounts None = new(0, 0, 0, 0, 0, 0, 0, 0);

    public bool IsEmpty => DefinitionsCreated + DefinitionsUpdated + DefinitionsRemoved + IocsCreated + IocsUpdated + IocsRemoved == 0;
}

/// <summary>A feed as <c>GET /feeds</c> lists it.</summary>
public sealed record FeedSummary(
    string Name,
    int DefinitionCount,
    int IocCount,
    DateTime CreatedAt,
    string? CreatedBy,
    DateTime? LastPushAt,
    string? LastPushBy,
    string? LastPushSummary,
    Guid Version);

/// <summary>Another push to the same feed was applied after this one read the feed's content.</summary>
public sealed class FeedPushConflictException(string message) : Exception(message);

/// <summary>The feed is not at the version the caller expected (<see cref="FeedPushOptions.ExpectedVersion"/>).</summary>
public sealed class FeedVersionMismatchException(string message) : Exception(message);
