using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Core.Matching;

/// <summary>
/// A type/action pair: the unit the index chooses a data structure for, and the key of its per-pair counts that the
/// matching status reports.
/// </summary>
/// <param name="Type">The IOC type.</param>
/// <param name="Action">The match operator.</param>
public readonly record struct IocTypeAction(IocType Type, IocAction Action);
