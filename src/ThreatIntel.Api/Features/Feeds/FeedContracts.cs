using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using ThreatIntel.Api.Http;
using ThreatIntel.Core.AlertDefinitions;

namespace ThreatIntel.Api.Features.Feeds;

/// <summary>The query of a feed push.</summary>
public sealed class FeedPushParameters
{
    /// <summary>Work out and return the changes without writing anything.</summary>
    [FromQuery(Name = "dryRun")]
    public bool DryRun { get; init; }

    /// <summary>Apply the valid rows and report the invalid ones, instead of refusing the whole push (422).</summary>
    [FromQuery(Name = "skipInvalid")]
    public bool SkipInvalid { get; init; }

    /// <summary>Plain lists only: the alert definition the listed values belong to (required for <c>text/plain</c>).</summary>
    /// <example>signature-base C2</example>
    [FromQuery(Name = "definition")]
    public string? Definition { get; init; }

    /// <summary>Plain lists only: that definition's severity (Medium when not given).</summary>
    [FromQuery(Name = "severity")]
    public Severity? Severity { get; init; }
}

/// <summary>The query of <c>GET /feeds</c>.</summary>
public sealed class ListFeedsParameters : PagingParameters;

/// <summary>The query of a feed export.</summary>
public sealed class ExportFeedParameters
{
    /// <summary><c>json</c> (default), <c>csv</c> or <c>stix</c>.</summary>
    /// <example>csv</example>
    [FromQuery(Name = "format")]
    public string? Format { get; init; }
}

/// <summary>What a push changed, or would change (<c>dryRun</c>), and the rows it rejected.</summary>
/// <param name="Feed">The feed's name.</param>
/// <param name="DryRun">Whether this was a dry run (nothing written).</param>
/// <param name="Applied">Whether the changes were written.</param>
/// <param name="DefinitionsCreated">Definitions new to the feed.</param>
/// <param name="DefinitionsUpdated">Definitions whose metadata changed.</param>
/// <param name="DefinitionsRemoved">Definitions no longer pushed (sync only), removed with their IOCs.</param>
/// <param name="DefinitionsUnchanged">Definitions left as they were.</param>
/// <param name="IocsCreated">IOCs new to the feed.</param>
/// <param name="IocsUpdated">IOCs whose description, enablement or expiry changed.</param>
/// <param name="IocsUnchanged">IOCs left as they were (same ids and timestamps).</param>
/// <param name="IocsRemoved">IOCs no longer pushed (sync only).</param>
/// <param name="RejectedCount">How many rows were rejected in all.</param>
/// <param name="Rejected">The rejected rows (the first 1,000).</param>
public sealed record FeedPushResponse(
    string Feed,
    bool DryRun,
    bool Applied,
    int DefinitionsCreated,
    int DefinitionsUpdated,
    int DefinitionsRemoved,
    int DefinitionsUnchanged,
    int IocsCreated,
    int IocsUpdated,
    int IocsUnchanged,
    int IocsRemoved,
    int RejectedCount,
    IReadOnlyList<FeedRowErrorResponse> Rejected);

/// <summary>A rejected row.</summary>
/// <param name="Location">Where: <c>line 12</c> (CSV, plain list), <c>definitions[3].iocs[2]</c> (JSON), <c>objects[5] (indicator--…)</c> (STIX), or <c>definition 'X'</c>.</param>
/// <param name="Line">The 1-based line of a CSV or plain-list row (the CSV header is line 1); null for other formats.</param>
/// <param name="Index">The 0-based position in the pushed array of a JSON definition or a STIX object; null for line-based formats.</param>
/// <param name="Value">The value as pushed.</param>
/// <param name="Reason">What is wrong with it.</param>
public sealed record FeedRowErrorResponse(string Location, int? Line, int? Index, string? Value, string Reason);

/// <summary>A feed with its counts and its last push.</summary>
/// <param name="Name">The feed's name, also the <c>source</c> of its definitions and IOCs.</param>
/// <param name="DefinitionCount">Definitions the feed holds.</param>
/// <param name="IocCount">IOCs the feed holds.</param>
/// <param name="CreatedAt">When the feed was first pushed.</param>
/// <param name="CreatedBy">The API key that first pushed it.</param>
/// <param name="LastPushAt">When it was last pushed (dry runs and refused pushes do not count).</param>
/// <param name="LastPushBy">The API key that last pushed it.</param>
/// <param name="LastPush">The last push's result, as that push returned it (with at most 20 rejected rows).</param>
public sealed record FeedResponse(
    string Name,
    int DefinitionCount,
    int IocCount,
    DateTime CreatedAt,
    string? CreatedBy,
    DateTime? LastPushAt,
    string? LastPushBy,
    JsonElement? LastPush);
