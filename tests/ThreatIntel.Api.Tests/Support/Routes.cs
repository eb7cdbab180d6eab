namespace ThreatIntel.Api.Tests.Support;

internal static class Routes
{
    public const string Definitions = "/api/v1/alert-definitions";
    public const string Iocs = "/api/v1/iocs";
    public const string ApiKeys = "/api/v1/api-keys";
    public const string Audit = "/api/v1/audit";

    public static string Definition(Guid id) => $"{Definitions}/{id}";

    public static string DefinitionIocs(Guid id) => $"{Definitions}/{id}/iocs";

    public static string Batch(Guid id) => $"{Definitions}/{id}/iocs/batch";

    public static string Ioc(Guid id) => $"{Iocs}/{id}";

    public static string ApiKey(Guid id) => $"{ApiKeys}/{id}";

    public static string Lookup(string type, string value, string? action = null) =>
        $"{Iocs}?type={Uri.EscapeDataString(type)}&value={Uri.EscapeDataString(value)}"
        + (action is null ? string.Empty : $"&action={Uri.EscapeDataString(action)}");
}
