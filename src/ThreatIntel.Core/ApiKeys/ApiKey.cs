namespace ThreatIntel.Core.ApiKeys;

/// <summary>A credential of a caller (a person, a SOC tool, a CI pipeline) and the scopes it holds.</summary>
public sealed class ApiKey
{
    private ApiKey()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>Unique; recorded as the actor of every change the key makes.</summary>
    public string Name { get; private set; } = string.Empty;

    /// <summary>The first characters of the secret; finds the key without storing the secret.</summary>
    public string Prefix { get; private set; } = string.Empty;

    public byte[] SecretHash { get; private set; } = [];

    public List<string> Scopes { get; private set; } = [];

    public DateTime CreatedAt { get; private set; }

    public string? CreatedBy { get; private set; }

    public DateTime? ExpiresAt { get; private set; }

    public DateTime? RevokedAt { get; private set; }

    public string? RevokedBy { get; private set; }

    /// <remarks><see cref="CreatedBy"/> is stamped with the caller when the key is saved.</remarks>
    public static ApiKey Create(string name, string secret, IEnumerable<string> scopes, DateTime? expiresAt, DateTime now) => new()
    {
        Id = Guid.CreateVersion7(now),
        Name = name.Trim(),
        Prefix = ApiKeySecret.PrefixOf(secret),
        SecretHash = ApiKeySecret.Hash(secret),
        Scopes = [.. scopes.Distinct(StringComparer.Ordinal)],
        ExpiresAt = expiresAt,
        CreatedAt = now,
    };

    public bool IsActive(DateTime now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);

    /// <summary>
    /// Gives a configured key a new secret, so that changing the configuration retires the old one. A new secret
    /// also lifts a revocation: configuring a new bootstrap key is how an operator regains access after the old one
    /// was revoked.
    /// </summary>
    public void ReplaceSecret(string secret)
    {
        Prefix = ApiKeySecret.PrefixOf(secret);
        SecretHash = ApiKeySecret.Hash(secret);
        RevokedAt = null;
        RevokedBy = null;
    }

    public void Revoke(DateTime now, string? actor)
    {
        RevokedAt ??= now;
        RevokedBy ??= actor;
    }
}
