using ThreatIntel.Core.Persistence;

namespace ThreatIntel.Core.ApiKeys;

public interface IApiKeyRepository
{
    /// <summary>The stored keys whose secret starts with <paramref name="prefix"/> (almost always one).</summary>
    Task<IReadOnlyList<ApiKey>> FindByPrefixAsync(string prefix, CancellationToken cancellationToken);

    Task<bool> AnyAsync(CancellationToken cancellationToken);

    Task<Page<ApiKey>> ListAsync(PageRequest page, CancellationToken cancellationToken);

    Task<ApiKey?> FindAsync(Guid id, CancellationToken cancellationToken);

    Task<ApiKey?> FindByNameAsync(string name, CancellationToken cancellationToken);

    /// <summary>Gives a key a new secret; the old one stops working at once here, elsewhere when its cache entry expires.</summary>
    Task<StoreResult<ApiKey>> ReplaceSecretAsync(Guid id, string secret, CancellationToken cancellationToken);

    /// <summary>Stores a new key; a taken name is a conflict.</summary>
    Task<StoreResult<ApiKey>> AddAsync(ApiKey key, CancellationToken cancellationToken);

    Task<StoreResult<ApiKey>> RevokeAsync(Guid id, CancellationToken cancellationToken);
}
