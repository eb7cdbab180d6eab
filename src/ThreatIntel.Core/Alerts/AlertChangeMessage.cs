using System.Text.Json;
using System.Text.Json.Serialization;

namespace ThreatIntel.Core.Alerts;

/// <summary>
/// The JSON message of an alert change, the same for stream clients and webhook receivers, in the shape Standard
/// Webhooks recommends: <c>{"type": "alert.raised", "timestamp": "...", "data": { the alert }}</c>. The alert has the
/// fields of <c>GET /api/v1/alerts/{id}</c>.
/// </summary>
public static class AlertChangeMessage
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static string TypeOf(AlertChangeKind kind) => kind switch
    {
        AlertChangeKind.Raised => "alert.raised",
        AlertChangeKind.Aggregated => "alert.updated",
        AlertChangeKind.Triaged => "alert.triaged",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The kind a message type names; null for an unknown type.</summary>
    public static AlertChangeKind? KindOf(string type) =>
        Enum.GetValues<AlertChangeKind>().Select(kind => (AlertChangeKind?)kind).FirstOrDefault(kind => TypeOf(kind!.Value) == type);

    public static string Write(Alert alert, AlertChangeKind kind, DateTime at) =>
        JsonSerializer.Serialize(new Envelope(TypeOf(kind), at, AlertData.From(alert)), JsonOptions);

    private sealed record Envelope(string Type, DateTime Timestamp, AlertData Data);

    private sealed record AlertData(
        Guid Id,
        Guid AlertDefinitionId,
        string AlertDefinitionName,
        AlertDefinitions.Severity Severity,
        Guid IocId,
        Iocs.IocType IocType,
        Iocs.IocAction IocAction,
        string IocValue,
        string ObservedValue,
        string? DeviceId,
        string? EventId,
        DateTime FirstSeen,
        DateTime LastSeen,
        int Occurrences,
        AlertStatus Status,
        string? AssignedTo,
        IReadOnlyList<AlertComment> Comments)
    {
        public static AlertData From(Alert alert) => new(
            alert.Id,
            alert.AlertDefinitionId,
            alert.AlertDefinitionName,
            alert.Severity,
            alert.IocId,
            alert.IocType,
            alert.IocAction,
            alert.IocValue,
            alert.ObservedValue,
            alert.DeviceId.Length == 0 ? null : alert.DeviceId,
            alert.EventId,
            DateTime.SpecifyKind(alert.FirstSeen, DateTimeKind.Utc),
            DateTime.SpecifyKind(alert.LastSeen, DateTimeKind.Utc),
            alert.Occurrences,
            alert.Status,
            alert.AssignedTo,
            alert.Comments);
    }
}
