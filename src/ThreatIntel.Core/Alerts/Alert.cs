using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Core.Alerts;

/// <summary>A note an analyst left on an alert.</summary>
public sealed record AlertComment(string Author, DateTime At, string Text);

/// <summary>
/// Raised when an observable matched an IOC. It keeps a snapshot of what matched (definition name and severity, the
/// IOC), so it survives the deletion of its definition. While it is open, repeats on the same device aggregate into it.
/// </summary>
public sealed class Alert
{
    private Alert()
    {
    }

    public Guid Id { get; private set; }

    public Guid AlertDefinitionId { get; private set; }

    public string AlertDefinitionName { get; private set; } = string.Empty;

    public Severity Severity { get; private set; }

    public Guid IocId { get; private set; }

    public IocType IocType { get; private set; }

    public IocAction IocAction { get; private set; }

    public string IocValue { get; private set; } = string.Empty;

    public string ObservedValue { get; private set; } = string.Empty;

    /// <summary>The device the event came from; empty when the event named none.</summary>
    public string DeviceId { get; private set; } = string.Empty;

    public string? EventId { get; private set; }

    public DateTime FirstSeen { get; private set; }

    public DateTime LastSeen { get; private set; }

    public int Occurrences { get; private set; }

    public AlertStatus Status { get; private set; }

    public string? AssignedTo { get; private set; }

    public List<AlertComment> Comments { get; private set; } = [];

    /// <summary>
    /// <see cref="Guid.Empty"/> while the alert is open, its own id once closed. With the definition, IOC and device
    /// it forms a unique key, so the database itself allows one open alert per (definition, IOC, device) however many
    /// requests or instances raise it at once, and any number of closed ones.
    /// </summary>
    public Guid OpenSlot { get; private set; }

    public Guid Version { get; private set; }

    public static bool IsOpen(AlertStatus status) => status is AlertStatus.New or AlertStatus.InProgress;

    public static Alert Raise(AlertMatch match, DateTime seenAt) => new()
    {
        Id = Guid.CreateVersion7(seenAt),
        AlertDefinitionId = match.AlertDefinitionId,
        AlertDefinitionName = match.AlertDefinitionName,
        Severity = match.Severity,
        IocId = match.IocId,
        IocType = match.IocType,
        IocAction = match.IocAction,
        IocValue = match.IocValue,
        ObservedValue = match.ObservedValue,
        DeviceId = match.DeviceId,
        EventId = match.EventId,
        FirstSeen = seenAt,
        LastSeen = seenAt,
        Occurrences = match.Occurrences,
        Status = AlertStatus.New,
        OpenSlot = Guid.Empty,
        Version = Guid.NewGuid(),
    };

    /// <summary>Adds a repeat match on the same device to this open alert.</summary>
    public void Aggregate(AlertMatch match, DateTime seenAt)
    {
        Occurrences += match.Occurrences;
        LastSeen = seenAt;
        ObservedValue = match.ObservedValue;
        Version = Guid.NewGuid();
    }

    /// <summary>Applies an analyst's triage: a new status, an assignee and a comment, each optional.</summary>
    public void Triage(AlertStatus? status, string? assignedTo, string? comment, string author, DateTime now)
    {
        if (status is { } newStatus)
        {
            Status = newStatus;
            OpenSlot = IsOpen(newStatus) ? Guid.Empty : Id;
        }

        if (assignedTo is not null)
        {
            AssignedTo = assignedTo.Length == 0 ? null : assignedTo;
        }

        if (!string.IsNullOrWhiteSpace(comment))
        {
            Comments.Add(new AlertComment(author, now, comment.Trim()));
        }

        Version = Guid.NewGuid();
    }
}

/// <summary>What a match raises or adds to: the snapshot of the matched IOC and where it was seen.</summary>
public sealed record AlertMatch(
    Guid AlertDefinitionId,
    string AlertDefinitionName,
    Severity Severity,
    Guid IocId,
    IocType IocType,
    IocAction IocAction,
    string IocValue,
    string ObservedValue,
    string DeviceId,
    string? EventId,
    int Occurrences);
