using Microsoft.AspNetCore.Mvc;
using ThreatIntel.Api.Features.Iocs;
using ThreatIntel.Api.Http;
using ThreatIntel.Core.AlertDefinitions;

namespace ThreatIntel.Api.Features.AlertDefinitions;

/// <summary>The metadata of an alert definition: how its alerts are shown.</summary>
public class AlertDefinitionRequest
{
    /// <summary>A unique name (case-insensitive), at most 200 characters.</summary>
    /// <example>Emotet loader</example>
    public string? Name { get; init; }

    /// <summary>What the alert means, at most 4000 characters.</summary>
    /// <example>Files and infrastructure of the Emotet loader.</example>
    public string? Description { get; init; }

    /// <summary>How urgent the alerts are; Medium when left out.</summary>
    /// <example>High</example>
    public Severity? Severity { get; init; }

    /// <summary>A category for grouping, such as Malware or Phishing.</summary>
    /// <example>Malware</example>
    public string? Category { get; init; }

    /// <summary>MITRE ATT&amp;CK technique ids such as T1059 or T1059.001.</summary>
    /// <example>["T1204.002", "T1059.001"]</example>
    public IReadOnlyList<string>? MitreTechniques { get; init; }

    /// <summary>What an analyst should do when the alert is raised.</summary>
    /// <example>Isolate the device and collect the file for analysis.</example>
    public string? RecommendedActions { get; init; }

    /// <summary>Free labels.</summary>
    /// <example>["emotet", "loader"]</example>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Whether the definition's IOCs take part in matching; true when left out.</summary>
    /// <example>true</example>
    public bool? Enabled { get; init; }
}

/// <summary>A new alert definition, optionally with its first IOCs.</summary>
public sealed class CreateAlertDefinitionRequest : AlertDefinitionRequest
{
    /// <summary>
    /// IOCs created in the same transaction as the definition; if any is invalid nothing is created.
    /// Repeated IOCs are stored once.
    /// </summary>
    /// <example>[{"type":"FileSha1","value":"92cfceb39d57d914ed8b14d0e37643de0797ae56","action":"Equals"}]</example>
    public IReadOnlyList<IocRequest?>? Iocs { get; init; }
}

/// <summary>A stored alert definition.</summary>
public sealed class AlertDefinitionResponse
{
    /// <summary>The definition's id.</summary>
    /// <example>0193a5c4-7f2e-7a51-9b4e-3f1d2c0a9e10</example>
    public required Guid Id { get; init; }

    /// <summary>The unique name.</summary>
    /// <example>Emotet loader</example>
    public required string Name { get; init; }

    /// <summary>What the alert means.</summary>
    public string? Description { get; init; }

    /// <summary>How urgent the alerts are.</summary>
    /// <example>High</example>
    public required Severity Severity { get; init; }

    /// <summary>A category for grouping.</summary>
    public string? Category { get; init; }

    /// <summary>MITRE ATT&amp;CK technique ids.</summary>
    public required IReadOnlyList<string> MitreTechniques { get; init; }

    /// <summary>What an analyst should do when the alert is raised.</summary>
    public string? RecommendedActions { get; init; }

    /// <summary>Free labels.</summary>
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>Whether the definition's IOCs take part in matching.</summary>
    public required bool Enabled { get; init; }

    /// <summary>The feed that manages the definition; null for hand-made ones.</summary>
    public string? Source { get; init; }

    /// <summary>When the definition was created (UTC).</summary>
    public required DateTime CreatedAt { get; init; }

    /// <summary>Who created it (the API key's name once keys exist).</summary>
    public string? CreatedBy { get; init; }

    /// <summary>When the metadata was last changed (UTC).</summary>
    public required DateTime UpdatedAt { get; init; }

    /// <summary>Who last changed it.</summary>
    public string? UpdatedBy { get; init; }

    /// <summary>How many IOCs the definition holds.</summary>
    /// <example>1</example>
    public required int IocCount { get; init; }
}

/// <summary>Filters, order and page of the alert definition list.</summary>
public sealed class ListAlertDefinitionsParameters : PagingParameters
{
    /// <summary>Text contained in the name or description (case-insensitive).</summary>
    /// <example>emotet</example>
    [FromQuery(Name = "search")]
    public string? Search { get; init; }

    /// <summary>Only definitions of this severity; repeat it for any of several.</summary>
    [FromQuery(Name = "severity")]
    public List<Severity>? Severity { get; init; }

    /// <summary>Only enabled (true) or disabled (false) definitions.</summary>
    [FromQuery(Name = "enabled")]
    public bool? Enabled { get; init; }

    /// <summary>Only definitions managed by this feed.</summary>
    [FromQuery(Name = "source")]
    public string? Source { get; init; }

    /// <summary>
    /// The order: <c>name</c> (default), <c>severity</c> or <c>updatedAt</c>; a leading <c>-</c> sorts descending
    /// (<c>-updatedAt</c> lists the most recently changed first).
    /// </summary>
    /// <example>name</example>
    [FromQuery(Name = "sort")]
    public string? Sort { get; init; }
}
