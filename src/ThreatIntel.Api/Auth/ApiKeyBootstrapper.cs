using Microsoft.Extensions.Options;
using ThreatIntel.Core.ApiKeys;
using ThreatIntel.Core.Persistence;
using ThreatIntel.Infrastructure.Persistence;

namespace ThreatIntel.Api.Auth;

/// <summary>
/// Makes sure someone can get in: the configured bootstrap admin key is stored (re-keying the bootstrap key when
/// the configuration changed), or, with nothing configured and no key at all, a random admin key is created and
/// logged once so that the first start leads straight into Swagger UI.
/// </summary>
internal static partial class ApiKeyBootstrapper
{
    public const string BootstrapKeyName = "bootstrap-admin";

    public static async Task EnsureAdminKeyAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var keys = scope.ServiceProvider.GetRequiredService<IApiKeyRepository>();
        var configured = scope.ServiceProvider.GetRequiredService<IOptions<AuthOptions>>().Value.BootstrapAdminKey?.Trim();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiKeyBootstrapper));

        if (!string.IsNullOrEmpty(configured))
        {
            if (!ApiKeySecret.HasValidShape(configured))
            {
                throw new InvalidOperationException(
                    $"Auth:BootstrapAdminKey must be at most {ApiKeySecret.MaximumLength} printable ASCII characters without spaces.");
            }

            if (configured.Length < ApiKeySecret.RecommendedMinimumLength)
            {
                LogWeakBootstrapKey(logger, configured.Length, ApiKeySecret.RecommendedMinimumLength);
            }

            await EnsureConfiguredKeyAsync(keys, configured, now, logger, cancellationToken);
            return;
        }

        if (await keys.AnyAsync(cancellationToken))
        {
            return;
        }

        var secret = ApiKeySecret.Generate();
        var created = await keys.AddAsync(
            ApiKey.Create(BootstrapKeyName, secret, [ApiKeyScopes.Admin], expiresAt: null, now), cancellationToken);
        if (created.Outcome == StoreOutcome.Succeeded)
        {
            LogGeneratedKey(logger, BootstrapKeyName, secret);
        }
    }

    private static async Task EnsureConfiguredKeyAsync(
        IApiKeyRepository keys, string secret, DateTime now, ILogger logger, CancellationToken cancellationToken)
    {
        var existing = await keys.FindByNameAsync(BootstrapKeyName, cancellationToken);
        if (existing is null)
        {
            await keys.AddAsync(ApiKey.Create(BootstrapKeyName, secret, [ApiKeyScopes.Admin], expiresAt: null, now), cancellationToken);
            return;
        }

        if (ApiKeySecret.Matches(secret, existing.SecretHash))
        {
            if (existing.RevokedAt is not null)
            {
                // A revocation is a deliberate act of an admin; a restart with the same secret must not undo it.
                LogBootstrapKeyRevoked(logger, BootstrapKeyName);
            }

            return;
        }

        await keys.ReplaceSecretAsync(existing.Id, secret, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Auth:BootstrapAdminKey has only {Length} characters; use at least {Recommended} random ones outside a trial")]
    private static partial void LogWeakBootstrapKey(ILogger logger, int length, int recommended);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The configured bootstrap admin key '{KeyName}' has been revoked and stays revoked; configure a different Auth:BootstrapAdminKey to issue a new one")]
    private static partial void LogBootstrapKeyRevoked(ILogger logger, string keyName);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "No API key existed, so the admin key '{KeyName}' was created. It is shown only this once; use it in Swagger UI's Authorize button or the X-Api-Key header, and create narrower keys with POST /api/v1/api-keys: {ApiKey}")]
    private static partial void LogGeneratedKey(ILogger logger, string keyName, string apiKey);
}
