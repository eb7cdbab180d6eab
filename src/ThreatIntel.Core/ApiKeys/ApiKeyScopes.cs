namespace ThreatIntel.Core.ApiKeys;

/// <summary>What an API key may do. <see cref="Admin"/> may do everything.</summary>
public static class ApiKeyScopes
{
    public const string DefinitionsRead = "definitions:read";
    public const string DefinitionsWrite = "definitions:write";
    public const string FeedsWrite = "feeds:write";
    public const string EventsSubmit = "events:submit";
    public const string AlertsRead = "alerts:read";
    public const string AlertsWrite = "alerts:write";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All =
        [DefinitionsRead, DefinitionsWrite, FeedsWrite, EventsSubmit, AlertsRead, AlertsWrite, Admin];

    public static bool IsKnown(string scope) => All.Contains(scope, StringComparer.Ordinal);

    /// <summary>Whether a key holding <paramref name="granted"/> may act under <paramref name="required"/>.</summary>
    public static bool Allows(IEnumerable<string> granted, string required) =>
        granted.Any(scope => scope == required || scope == Admin);
}
