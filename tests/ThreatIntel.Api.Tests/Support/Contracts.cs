using System.Text.Json;

namespace ThreatIntel.Api.Tests.Support;

// The wire shapes as a client reads them; enums stay strings so that tests see exactly what is sent.

internal sealed record DefinitionDto(
    Guid Id,
    string Name,
    string? Description,
    string Severity,
    string? Category,
    string[] MitreTechniques,
    string? RecommendedActions,
    string[] Tags,
    bool Enabled,
    string? Source,
    DateTime CreatedAt,
    string? CreatedBy,
    DateTime UpdatedAt,
    string? UpdatedBy,
    int IocCount);

internal sealed record IocDto(
    Guid Id,
    Guid AlertDefinitionId,
    string Type,
    string Value,
    string Action,
    string? Description,
    bool Enabled,
    DateTime? ExpiresAt,
    string? Source,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    string? CreatedBy,
    string? UpdatedBy);

internal sealed record PageDto<T>(T[] Items, int Page, int PageSize, int TotalCount);

internal sealed record BatchDto(int Created, int Duplicates, int Rejected, BatchItemDto[] Results);

internal sealed record BatchItemDto(int Index, string Status, Guid? Id, Dictionary<string, string[]>? Errors);

internal sealed record ProblemDto(
    string? Type,
    string? Title,
    int? Status,
    string? Detail,
    string? Instance,
    Dictionary<string, string[]>? Errors,
    Guid? ExistingId,
    string? Existing);

internal sealed record ApiKeyDto(
    Guid Id,
    string Name,
    string Prefix,
    string[] Scopes,
    string Status,
    DateTime CreatedAt,
    string? CreatedBy,
    DateTime? ExpiresAt,
    DateTime? RevokedAt,
    string? RevokedBy,
    string? Key);

/// <summary>One audit log entry; <c>changes</c> maps each field to <c>{ "before", "after" }</c>.</summary>
internal sealed record AuditEntryDto(
    long Id,
    DateTime Timestamp,
    string Actor,
    string Action,
    string EntityType,
    Guid EntityId,
    Dictionary<string, FieldChangeDto> Changes);

internal sealed record FieldChangeDto(JsonElement Before, JsonElement After);
