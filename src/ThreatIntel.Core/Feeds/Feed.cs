namespace ThreatIntel.Core.Feeds;

/// <summary>
/// A named source of definitions and IOCs that a CI pipeline keeps in sync by pushing its whole content. The
/// definitions and IOCs themselves carry the feed's name as their <c>source</c>; this record keeps what is known about
/// the feed as a whole: when it was first and last pushed, by whom, and what the last push changed.
/// </summary>
public sealed class Feed
{
    private Feed()
    {
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = string.Empty;

    public DateTime CreatedAt { get; private set; }

    public string? CreatedBy { get; private set; }

    public DateTime? LastPushAt { get; private set; }

    public string? LastPushBy { get; private set; }

    /// <summary>The last push's result as JSON (its counts and the first rejected rows), for <c>GET /feeds/{feed}</c>.</summary>
    public string? LastPushSummary { get; private set; }

    /// <summary>Changes on every push, so that a push planned against an older content is refused rather than applied.</summary>
    public Guid Version { get; private set; }

    public static Feed Create(string name, DateTime now, string actor) => new()
    {
        Id = Guid.CreateVersion7(now),
        Name = name,
        CreatedAt = now,
        CreatedBy = actor,
        Version = Guid.NewGuid(),
    };

    public void RecordPush(DateTime now, string actor, string summaryJson)
    {
        LastPushAt = now;
        LastPushBy = actor;
        LastPushSummary = summaryJson;
        Version = Guid.NewGuid();
    }
}
