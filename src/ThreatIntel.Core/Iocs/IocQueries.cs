using ThreatIntel.Core.Persistence;

namespace ThreatIntel.Core.Iocs;

/// <summary>Filters and page of the IOCs of one definition.</summary>
public sealed record IocQuery(IocType? Type, IocAction? Action, bool? Enabled, PageRequest Page);

/// <summary>One normalised reading of a looked-up value: under this action it has this key.</summary>
public sealed record IocLookupKey(IocAction Action, byte[] ValueHash);

/// <summary>
/// A search across all definitions; with <see cref="ValueKeys"/> only IOCs whose value has one of those keys.
/// </summary>
public sealed record IocSearch(IocType? Type, IocAction? Action, IReadOnlyList<IocLookupKey>? ValueKeys, PageRequest Page);

/// <summary>An item of a batch that passed validation, with its position in the request.</summary>
public sealed record IocBatchEntry(int Index, IocSpecification Specification);

/// <summary>What became of a valid batch item: created now, or a duplicate of <see cref="IocId"/>.</summary>
public sealed record IocBatchOutcome(int Index, bool Created, Guid IocId);
