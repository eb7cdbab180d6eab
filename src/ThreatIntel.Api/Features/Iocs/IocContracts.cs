using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using ThreatIntel.Api.Http;
using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Api.Features.Iocs;

/// <summary>An IOC as submitted: what to look for and how to compare it.</summary>
public sealed class IocRequest
{
    /// <summary>The kind of observable.</summary>
    /// <example>FileSha1</example>
    public IocType? Type { get; init; }

    /// <summary>
    /// The value to look for; it is normalised before it is stored (hashes lower-cased, IPv6 compressed, domains
    /// in punycode, ...). A CIDR range for <c>IpAddress</c>/<c>InRange</c>; a pattern for <c>Regex</c>.
    /// </summary>
    /// <example>92cfceb39d57d914ed8b14d0e37643de0797ae56</example>
    public string? Value { get; init; }

    /// <summary>
    /// How observations are compared with the value. When left out: <c>Equals</c>, except <c>InRange</c> for a
    /// CIDR, <c>EndsWith</c> for domains and <c>StartsWith</c> for URLs.
    /// </summary>
    /// <example>Equals</example>
    public IocAction? Action { get; init; }

    /// <summary>Free text for analysts.</summary>
    /// <example>Dropper seen in the March campaign</example>
    public string? Description { get; init; }

    /// <summary>Whether the IOC takes part in matching; true when left out.</summary>
    /// <example>true</example>
    public bool? Enabled { get; init; }

    /// <summary>When the IOC stops matching (ISO-8601); never when left out. A time in the past stores an expired IOC.</summary>
    /// <example>2030-01-01T00:00:00Z</example>
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>A stored IOC.</summary>
public sealed class IocResponse
{
    /// <summary>The IOC's id.</summary>
    /// <example>0193a5c4-7f2e-7a51-9b4e-3f1d2c0a9e11</example>
    public required Guid Id { get; init; }

    /// <summary>The alert definition the IOC belongs to.</summary>
    /// <example>0193a5c4-7f2e-7a51-9b4e-3f1d2c0a9e10</example>
    public required Guid AlertDefinitionId { get; init; }

    /// <summary>The kind of observable.</summary>
    /// <example>FileSha1</example>
    public required IocType Type { get; init; }

    /// <summary>The normalised value, as stored and compared.</summary>
    /// <example>92cfceb39d57d914ed8b14d0e37643de0797ae56</example>
    public required string Value { get; init; }

    /// <summary>How observations are compared with the value.</summary>
    /// <example>Equals</example>
    public required IocAction Action { get; init; }

    /// <summary>Free text for analysts.</summary>
    public string? Description { get; init; }

    /// <summary>Whether the IOC takes part in matching.</summary>
    /// <example>true</example>
    public required bool Enabled { get; init; }

    /// <summary>When the IOC stops matching; null for never.</summary>
    public DateTime? ExpiresAt { get; init; }

    /// <summary>The feed that manages the IOC; null for hand-made ones.</summary>
    public string? Source { get; init; }

    /// <summary>When the IOC was created (UTC).</summary>
    public required DateTime CreatedAt { get; init; }

    /// <summary>When the IOC was last changed (UTC).</summary>
    public required DateTime UpdatedAt { get; init; }

    /// <summary>The API key that created the IOC.</summary>
    public string? CreatedBy { get; init; }

    /// <summary>The API key that last changed the IOC.</summary>
    public string? UpdatedBy { get; init; }
}

/// <summary>Up to 10,000 IOCs to add to one definition.</summary>
public sealed class IocBatchRequest
{
    /// <summary>The IOCs, each validated on its own: valid ones are stored, the others reported.</summary>
    /// <example>[{"type":"FileSha1","value":"92cfceb39d57d914ed8b14d0e37643de0797ae56","action":"Equals"},{"type":"IpAddress","value":"203.0.113.0/24","action":"InRange"},{"type":"FileMd5","value":"not-a-hash"}]</example>
    [JsonConverter(typeof(IocBatchItemsConverter))]
    public IReadOnlyList<IocRequest?>? Iocs { get; init; }
}

/// <summary>The outcome of a batch: one result per submitted item, in order.</summary>
public sealed class IocBatchResponse
{
    /// <summary>How many items were stored now.</summary>
    /// <example>1</example>
    public required int Created { get; init; }

    /// <summary>How many items duplicated a stored IOC or an earlier item of the batch.</summary>
    /// <example>0</example>
    public required int Duplicates { get; init; }

    /// <summary>How many items were invalid and not stored.</summary>
    /// <example>1</example>
    public required int Rejected { get; init; }

    /// <summary>One result per item, in the order submitted.</summary>
    public required IReadOnlyList<IocBatchItemResult> Results { get; init; }
}

/// <summary>What became of one batch item.</summary>
public sealed class IocBatchItemResult
{
    /// <summary>The item's 0-based position in the request.</summary>
    /// <example>0</example>
    public required int Index { get; init; }

    /// <summary><c>created</c>, <c>duplicate</c> or <c>rejected</c>.</summary>
    /// <example>created</example>
    public required string Status { get; init; }

    /// <summary>The new IOC's id when created; the existing IOC's id when a duplicate; null when rejected.</summary>
    public Guid? Id { get; init; }

    /// <summary>Why a rejected item is invalid, by field.</summary>
    public IDictionary<string, string[]>? Errors { get; init; }
}

/// <summary>Filters of an alert definition's IOC list.</summary>
public sealed class ListIocsParameters : PagingParameters
{
    /// <summary>Only IOCs of this type.</summary>
    [FromQuery(Name = "type")]
    public IocType? Type { get; init; }

    /// <summary>Only IOCs with this action.</summary>
    [FromQuery(Name = "action")]
    public IocAction? Action { get; init; }

    /// <summary>Only enabled (true) or disabled (false) IOCs.</summary>
    [FromQuery(Name = "enabled")]
    public bool? Enabled { get; init; }
}

/// <summary>A value to look up across all alert definitions.</summary>
public sealed class LookupIocsParameters : PagingParameters
{
    /// <summary>The type of the value; required with <c>value</c>.</summary>
    /// <example>FileSha1</example>
    [FromQuery(Name = "type")]
    public IocType? Type { get; init; }

    /// <summary>The value; normalised for the type before it is compared, so any spelling of it is found.</summary>
    /// <example>92CFCEB39D57D914ED8B14D0E37643DE0797AE56</example>
    [FromQuery(Name = "value")]
    public string? Value { get; init; }

    /// <summary>Only IOCs with this action.</summary>
    [FromQuery(Name = "action")]
    public IocAction? Action { get; init; }
}
