using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using ThreatIntel.Api.Http;
using ThreatIntel.Core.Auditing;

namespace ThreatIntel.Api.Features.Audit;

/// <summary>Filters of the audit log; all optional.</summary>
public sealed class AuditParameters : PagingParameters
{
    /// <summary>Only changes to this kind of object: <c>AlertDefinition</c>, <c>Ioc</c> or <c>ApiKey</c>.</summary>
    /// <example>AlertDefinition</example>
    [FromQuery(Name = "entityType")]
    public string? EntityType { get; init; }

    /// <summary>Only changes to this object.</summary>
    [FromQuery(Name = "entityId")]
    public Guid? EntityId { get; init; }

    /// <summary>Only changes made by this API key (its name).</summary>
    /// <example>ci-feed-pusher</example>
    [FromQuery(Name = "actor")]
    public string? Actor { get; init; }

    /// <summary>Only changes at or after this time (ISO-8601).</summary>
    [FromQuery(Name = "since")]
    public DateTimeOffset? Since { get; init; }
}

/// <summary>One recorded change.</summary>
public sealed class AuditEntryResponse
{
    /// <summary>Increasing number of the entry.</summary>
    public required long Id { get; init; }

    /// <summary>When the change was committed (UTC).</summary>
    public required DateTime Timestamp { get; init; }

    /// <summary>The API key that made the change, or <c>system</c>.</summary>
    public required string Actor { get; init; }

    /// <summary><c>Created</c>, <c>Updated</c> or <c>Deleted</c>.</summary>
    public required AuditAction Action { get; init; }

    /// <summary>The kind of object changed.</summary>
    public required string EntityType { get; init; }

    /// <summary>The id of the object changed.</summary>
    public required Guid EntityId { get; init; }

    /// <summary>The changed fields, each <c>{ "before": ..., "after": ... }</c>.</summary>
    public required JsonElement Changes { get; init; }

    internal static AuditEntryResponse From(AuditEntry entry)
    {
        using var changes = JsonDocument.Parse(entry.Changes);
        return new AuditEntryResponse
        {
            Id = entry.Id,
            Timestamp = entry.Timestamp,
            Actor = entry.Actor,
            Action = entry.Action,
            EntityType = entry.EntityType,
            EntityId = entry.EntityId,
            Changes = changes.RootElement.Clone(),
        };
    }
}
