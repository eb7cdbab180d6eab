using System.Diagnostics.CodeAnalysis;
using ThreatIntel.Core.ApiKeys;

namespace ThreatIntel.Api.Features.ApiKeys;

/// <summary>A new API key.</summary>
public sealed class CreateApiKeyRequest
{
    /// <summary>A unique name; it is recorded as the actor of every change the key makes.</summary>
    /// <example>ci-feed-pusher</example>
    public string? Name { get; init; }

    /// <summary>
    /// What the key may do: <c>definitions:read</c>, <c>definitions:write</c>, <c>feeds:write</c>,
    /// <c>events:submit</c>, <c>alerts:read</c>, <c>alerts:write</c>, <c>admin</c> (everything).
    /// </summary>
    /// <example>["definitions:read", "definitions:write"]</example>
    public IReadOnlyList<string>? Scopes { get; init; }

    /// <summary>When the key stops working; never when left out. Must lie in the future.</summary>
    /// <example>2030-01-01T00:00:00Z</example>
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>A stored API key; its secret is never shown again after creation.</summary>
public record ApiKeyResponse
{
    /// <summary>The key's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>The unique name, recorded as the actor of the key's changes.</summary>
    /// <example>ci-feed-pusher</example>
    public required string Name { get; init; }

    /// <summary>The first characters of the secret, to recognise the key.</summary>
    /// <example>ti_Xk2p9QaLm</example>
    public required string Prefix { get; init; }

    /// <summary>What the key may do.</summary>
    public required IReadOnlyList<string> Scopes { get; init; }

    /// <summary><c>active</c>, <c>expired</c> or <c>revoked</c>.</summary>
    /// <example>active</example>
    public required string Status { get; init; }

    /// <summary>When the key was created (UTC).</summary>
    public required DateTime CreatedAt { get; init; }

    /// <summary>The key that created it.</summary>
    public string? CreatedBy { get; init; }

    /// <summary>When the key stops working; null for never.</summary>
    public DateTime? ExpiresAt { get; init; }

    /// <summary>When the key was revoked; null while it is not.</summary>
    public DateTime? RevokedAt { get; init; }

    /// <summary>The key that revoked it.</summary>
    public string? RevokedBy { get; init; }
}

/// <summary>A key just created, with its secret: store it now, it cannot be read again.</summary>
public sealed record CreatedApiKeyResponse : ApiKeyResponse
{
    [SetsRequiredMembers]
    internal CreatedApiKeyResponse(ApiKeyResponse key, string secret)
        : base(key) => Key = secret;

    /// <summary>The secret to send in the <c>X-Api-Key</c> header.</summary>
    /// <example>ti_Xk2p9QaLmZr0vB3nT8yW1cE5hJ7uK4oF</example>
    public required string Key { get; init; }
}

internal static class ApiKeyMapping
{
    public static ApiKeyResponse ToResponse(this ApiKey key, DateTime now) => new()
    {
        Id = key.Id,
        Name = key.Name,
        Prefix = key.Prefix,
        Scopes = key.Scopes,
        Status = Status(key, now),
        CreatedAt = key.CreatedAt,
        CreatedBy = key.CreatedBy,
        ExpiresAt = key.ExpiresAt,
        RevokedAt = key.RevokedAt,
        RevokedBy = key.RevokedBy,
    };

    public static CreatedApiKeyResponse ToCreatedResponse(this ApiKey key, string secret, DateTime now) =>
        new(key.ToResponse(now), secret);

    private static string Status(ApiKey key, DateTime now) =>
        key.RevokedAt is not null ? "revoked" : key.IsActive(now) ? "active" : "expired";
}
