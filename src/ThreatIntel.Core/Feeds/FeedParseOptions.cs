using ThreatIntel.Core.AlertDefinitions;

namespace ThreatIntel.Core.Feeds;

/// <summary>What a parser needs besides the body.</summary>
/// <param name="DefinitionName">The definition a plain list's values belong to (<c>?definition=</c>).</param>
/// <param name="Severity">The severity of a plain list's definition (<c>?severity=</c>), Medium when not given.</param>
/// <param name="MaxReportedErrors">How many row errors are kept in full; the rest are only counted.</param>
public sealed record FeedParseOptions(
    string? DefinitionName = null,
    Severity? Severity = null,
    int MaxReportedErrors = 1000);
