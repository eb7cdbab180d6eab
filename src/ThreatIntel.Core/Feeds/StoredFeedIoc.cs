namespace ThreatIntel.Core.Feeds;

/// <summary>
/// What a push needs to know about an IOC the feed already holds: enough to tell it unchanged, changed or gone,
/// without loading its value (the identity carries the value's key).
/// </summary>
public sealed record StoredFeedIoc(
    Guid Id,
    Guid DefinitionId,
    IocIdentity Identity,
    string? Description,
    bool Enabled,
    DateTime? ExpiresAt)
{
    public bool HasSameContent(FeedIoc pushed) =>
        Description == pushed.Description && Enabled == pushed.Enabled && ExpiresAt == pushed.ExpiresAt;
}
