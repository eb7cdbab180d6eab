namespace ThreatIntel.Core.Feeds;

/// <summary>
/// Why one row of a pushed feed cannot be applied.
/// </summary>
/// <param name="Location">
/// Where the row is, in the terms of its format: <c>line 12</c> for CSV and plain lists (1-based, the header is line 1),
/// <c>definitions[3].iocs[2]</c> for JSON, <c>objects[5]</c> (with the indicator's id) for STIX.
/// </param>
/// <param name="Value">The offending value as it was pushed, when there is one.</param>
/// <param name="Reason">What is wrong, in words a pipeline log can show.</param>
public sealed record FeedRowError(string Location, string? Value, string Reason);
