using Microsoft.AspNetCore.Mvc;
using ThreatIntel.Api.Http;
using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Alerts;
using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Api.Features.Alerts;

/// <summary>An alert: an IOC matched an observable.</summary>
public sealed class AlertResponse
{
    /// <summary>The alert's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>The definition that raised it.</summary>
    public required Guid AlertDefinitionId { get; init; }

    /// <summary>The definition's name when the alert was raised.</summary>
    public required string AlertDefinitionName { get; init; }

    /// <summary>The definition's severity when the alert was raised.</summary>
    public required Severity Severity { get; init; }

    /// <summary>The matched IOC.</summary>
    public required Guid IocId { get; init; }

    /// <summary>The IOC's type.</summary>
    public required IocType IocType { get; init; }

    /// <summary>The IOC's action.</summary>
    public required IocAction IocAction { get; init; }

    /// <summary>The IOC's value.</summary>
    public required string IocValue { get; init; }

    /// <summary>The latest observed value that matched, normalised.</summary>
    public required string ObservedValue { get; init; }

    /// <summary>The device the events came from; null when they named none.</summary>
    public string? DeviceId { get; init; }

    /// <summary>The id of the first event that raised the alert.</summary>
    public string? EventId { get; init; }

    /// <summary>When the first match was evaluated (UTC).</summary>
    public required DateTime FirstSeen { get; init; }

    /// <summary>When the latest match was evaluated (UTC).</summary>
    public required DateTime LastSeen { get; init; }

    /// <summary>How many matches the alert aggregates.</summary>
    public required int Occurrences { get; init; }

    /// <summary>The triage status.</summary>
    public required AlertStatus Status { get; init; }

    /// <summary>Who works on it.</summary>
    public string? AssignedTo { get; init; }

    /// <summary>Analysts' notes, oldest first.</summary>
    public required IReadOnlyList<AlertComment> Comments { get; init; }

    internal static AlertResponse From(Alert alert) => new()
    {
        Id = alert.Id,
        AlertDefinitionId = alert.AlertDefinitionId,
        AlertDefinitionName = alert.AlertDefinitionName,
        Severity = alert.Severity,
        IocId = alert.IocId,
        IocType = alert.IocType,
        IocAction = alert.IocAction,
        IocValue = alert.IocValue,
        ObservedValue = alert.ObservedValue,
        DeviceId = alert.DeviceId.Length == 0 ? null : alert.DeviceId,
        EventId = alert.EventId,
        FirstSeen = alert.FirstSeen,
        LastSeen = alert.LastSeen,
        Occurrences = alert.Occurrences,
        Status = alert.Status,
        AssignedTo = alert.AssignedTo,
        Comments = alert.Comments,
    };
}

/// <summary>Filters and page of the alert list.</summary>
public sealed class ListAlertsParameters : PagingParameters
{
    /// <summary>Only alerts with this status; repeat it for any of several (<c>status=New&amp;status=InProgress</c>: the open ones).</summary>
    [FromQuery(Name = "status")]
    public List<AlertStatus>? Status { get; init; }

    /// <summary>Only alerts of this severity; repeat it for any of several.</summary>
    [FromQuery(Name = "severity")]
    public List<Severity>? Severity { get; init; }

    /// <summary>Only alerts raised by this definition.</summary>
    [FromQuery(Name = "alertDefinitionId")]
    public Guid? AlertDefinitionId { get; init; }

    /// <summary>Only alerts of this device.</summary>
    [FromQuery(Name = "deviceId")]
    public string? DeviceId { get; init; }

    /// <summary>Only alerts seen at or after this time.</summary>
    [FromQuery(Name = "since")]
    public DateTimeOffset? Since { get; init; }
}

/// <summary>An analyst's triage of an alert; every field optional.</summary>
public sealed class TriageAlertRequest
{
    /// <summary>The new status; Resolved and FalsePositive close the alert, so the next match raises a new one.</summary>
    /// <example>InProgress</example>
    public AlertStatus? Status { get; init; }

    /// <summary>Who works on it; <c>null</c> or an empty string unassigns (leave the field out to keep the assignee).</summary>
    /// <example>alice</example>
    public string? AssignedTo
    {
        get;
        init
        {
            field = value;
            AssignedToGiven = true;
        }
    }

    /// <summary>
    /// Whether the body named <c>assignedTo</c>, null included: as in a JSON merge patch, <c>"assignedTo": null</c>
    /// unassigns, while a body without the field leaves the assignee alone.
    /// </summary>
    internal bool AssignedToGiven { get; private init; }

    /// <summary>The assignee to set: empty to unassign, null to keep the current one.</summary>
    internal string? NewAssignee => AssignedToGiven ? AssignedTo?.Trim() ?? string.Empty : null;

    /// <summary>A note appended with its author (the API key's name) and time.</summary>
    /// <example>Confirmed on the host; isolating it.</example>
    public string? Comment { get; init; }
}

/// <summary>Which alert changes the live stream sends, and where it resumes; every filter optional.</summary>
public sealed class AlertStreamParameters
{
    /// <summary>Only alerts of these severities; repeat the parameter for several.</summary>
    [FromQuery(Name = "severity")]
    public List<Severity>? Severity { get; init; }

    /// <summary>Only alerts at least this severe.</summary>
    [FromQuery(Name = "minSeverity")]
    public Severity? MinSeverity { get; init; }

    /// <summary>Only alerts raised by these definitions; repeat the parameter for several.</summary>
    [FromQuery(Name = "alertDefinitionId")]
    public List<Guid>? AlertDefinitionId { get; init; }

    /// <summary>
    /// Only these event types: <c>alert.raised</c> (a new alert), <c>alert.updated</c> (a repeat match added to an
    /// open alert), <c>alert.triaged</c> (status, assignee or comment changed); repeat the parameter for several.
    /// </summary>
    [FromQuery(Name = "type")]
    public List<string>? Type { get; init; }

    /// <summary>
    /// Resume after this event id, as the <c>Last-Event-ID</c> header does, for clients that cannot set headers; the
    /// header wins when both are given.
    /// </summary>
    [FromQuery(Name = "lastEventId")]
    public long? LastEventId { get; init; }

    internal AlertChangeFilter ToFilter() => new(
        (Severity ?? []).ToHashSet(),
        MinSeverity,
        (AlertDefinitionId ?? []).ToHashSet(),
        (Type ?? []).Select(type => AlertChangeMessage.KindOf(type)!.Value).ToHashSet());
}
