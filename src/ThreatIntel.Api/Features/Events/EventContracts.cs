using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Api.Features.Events;

// The request types have setters rather than init accessors: the generated JSON reader fills init-only properties
// through its constructor path, which cost a fifth of reading a 1,000-event batch.

/// <summary>Events to evaluate against every enabled IOC.</summary>
public sealed class EvaluateEventsRequest
{
    /// <summary>1 to 10,000 events.</summary>
    /// <example>[{"id":"evt-1","deviceId":"laptop-042","timestamp":"2026-12-03T12:00:00Z","observables":[{"type":"FileSha1","value":"92CFCEB39D57D914ED8B14D0E37643DE0797AE56"},{"type":"DomainName","value":"cdn.evil.example."}]}]</example>
    public IReadOnlyList<EventRequest?>? Events { get; set; }
}

/// <summary>Something a sensor or SOC tool observed.</summary>
public sealed class EventRequest
{
    /// <summary>The client's id of the event, echoed in results and alerts.</summary>
    /// <example>evt-1</example>
    public string? Id { get; set; }

    /// <summary>The device the event came from; alerts aggregate per device.</summary>
    /// <example>laptop-042</example>
    public string? DeviceId { get; set; }

    /// <summary>When the event happened, as the sensor saw it.</summary>
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>The typed values observed (up to 100).</summary>
    public IReadOnlyList<ObservableRequest?>? Observables { get; set; }
}

/// <summary>One observed value; normalised like an IOC value of its type before it is compared.</summary>
public sealed class ObservableRequest
{
    /// <summary>The kind of value.</summary>
    /// <example>FileSha1</example>
    public IocType? Type { get; set; }

    /// <summary>The value as observed.</summary>
    /// <example>92CFCEB39D57D914ED8B14D0E37643DE0797AE56</example>
    public string? Value { get; set; }
}

/// <summary>The outcome of an evaluation.</summary>
public sealed class EvaluateEventsResponse
{
    /// <summary>How many events were evaluated.</summary>
    public required int Evaluated { get; init; }

    /// <summary>How many events matched at least one IOC.</summary>
    public required int Matched { get; init; }

    /// <summary>The events that matched, in request order.</summary>
    public required IReadOnlyList<EventResult> Results { get; init; }
}

/// <summary>The matches of one event.</summary>
public sealed class EventResult
{
    /// <summary>The event's 0-based position in the request.</summary>
    public required int EventIndex { get; init; }

    /// <summary>The event's id as sent.</summary>
    public string? EventId { get; init; }

    /// <summary>Every IOC the event's observables matched.</summary>
    public required IReadOnlyList<EventMatch> Matches { get; init; }
}

/// <summary>One IOC that one observable matched.</summary>
public sealed class EventMatch
{
    /// <summary>The definition whose alert the match raises.</summary>
    public required Guid AlertDefinitionId { get; init; }

    /// <summary>The definition's name.</summary>
    public required string AlertDefinitionName { get; init; }

    /// <summary>The definition's severity.</summary>
    public required Severity Severity { get; init; }

    /// <summary>The matched IOC.</summary>
    public required Guid IocId { get; init; }

    /// <summary>The IOC's type.</summary>
    public required IocType IocType { get; init; }

    /// <summary>The IOC's action.</summary>
    public required IocAction IocAction { get; init; }

    /// <summary>The IOC's value.</summary>
    public required string IocValue { get; init; }

    /// <summary>The observed value, normalised.</summary>
    public required string ObservedValue { get; init; }

    /// <summary>The alert raised or added to; null with <c>dryRun=true</c>.</summary>
    public Guid? AlertId { get; init; }
}
