using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Core.Matching;

/// <summary>
/// What the matching engine needs to know about one IOC, detached from the persistence model so that the index can be
/// built from any source (database rows, a feed being previewed, a test). Only enabled IOCs of enabled definitions
/// are passed in: enablement is decided by whoever builds the index, expiry is decided at match time.
/// </summary>
/// <param name="IocId">The IOC's id; an index holds each id once.</param>
/// <param name="AlertDefinitionId">The definition whose alert a match raises.</param>
/// <param name="Type">What kind of observable the IOC describes.</param>
/// <param name="Action">How an observed value is compared with <paramref name="Value"/>.</param>
/// <param name="Value">The value already normalised by <see cref="Iocs.Normalization.IocValueNormalizer"/>.</param>
/// <param name="ExpiresAt">
/// When the IOC stops matching (UTC), or null for never; checked against the time given to each match so that an
/// index does not have to be rebuilt the moment an IOC expires.
/// </param>
public sealed record MatchableIoc(
    Guid IocId,
    Guid AlertDefinitionId,
    IocType Type,
    IocAction Action,
    string Value,
    DateTime? ExpiresAt)
{
    /// <summary>Whether the IOC may still match at <paramref name="now"/> (UTC).</summary>
    public bool IsLiveAt(DateTime now) => ExpiresAt is not { } expiresAt || expiresAt > now;
}
