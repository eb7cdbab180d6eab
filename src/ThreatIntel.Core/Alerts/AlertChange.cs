using ThreatIntel.Core.AlertDefinitions;

namespace ThreatIntel.Core.Alerts;

/// <summary>What happened to an alert; the type of the stream event and of the webhook message.</summary>
public enum AlertChangeKind
{
    /// <summary>A match raised a new alert.</summary>
    Raised = 0,

    /// <summary>A repeat match was added to an open alert (occurrences and last seen moved).</summary>
    Aggregated = 1,

    /// <summary>An analyst changed the status or assignee, or commented.</summary>
    Triaged = 2,
}

/// <summary>
/// One entry of the alert change log: the alert as it was right after the change. Written in the same transaction as
/// the change, it is what the live stream replays after a reconnect and what webhook deliveries send, so neither can
/// see a change that did not commit nor lose one that did.
/// </summary>
public sealed class AlertChange
{
    private AlertChange()
    {
    }

    /// <summary>Assigned by the database, increasing in commit order: the stream's event id.</summary>
    public long Sequence { get; private set; }

    public Guid AlertId { get; private set; }

    public AlertChangeKind Kind { get; private set; }

    public DateTime At { get; private set; }

    public Severity Severity { get; private set; }

    public Guid AlertDefinitionId { get; private set; }

    /// <summary>The message sent to stream clients and webhooks, as <see cref="AlertChangeMessage"/> writes it.</summary>
    public string Message { get; private set; } = string.Empty;

    public static AlertChange Of(Alert alert, AlertChangeKind kind, DateTime at) => new()
    {
        AlertId = alert.Id,
        Kind = kind,
        At = at,
        Severity = alert.Severity,
        AlertDefinitionId = alert.AlertDefinitionId,
        Message = AlertChangeMessage.Write(alert, kind, at),
    };
}
