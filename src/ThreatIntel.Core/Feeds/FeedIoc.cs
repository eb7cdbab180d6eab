using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Core.Feeds;

/// <summary>One IOC of a pushed feed, already validated and normalised exactly as the API would store it.</summary>
/// <param name="Identity">Type, action and value key: what the IOC is matched with a stored one by.</param>
/// <param name="Value">The value after <see cref="Iocs.Normalization.IocValueNormalizer"/>.</param>
public sealed record FeedIoc(
    IocIdentity Identity,
    string Value,
    string? Description,
    bool Enabled,
    DateTime? ExpiresAt)
{
    public IocType Type => Identity.Type;

    public IocAction Action => Identity.Action;
}
