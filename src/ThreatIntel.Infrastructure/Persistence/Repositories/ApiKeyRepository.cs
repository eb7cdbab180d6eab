using Microsoft.EntityFrameworkCore;
using ThreatIntel.Core.ApiKeys;
using ThreatIntel.Core.Auditing;
using ThreatIntel.Core.Persistence;

namespace ThreatIntel.Infrastructure.Persistence.Repositories;

internal sealed class ApiKeyRepository(ThreatIntelDbContext db, ApiKeyCache cache, ICurrentActor actor, TimeProvider timeProvider)
    : IApiKeyRepository
{
    public async Task<IReadOnlyList<ApiKey>> FindByPrefixAsync(string prefix, CancellationToken cancellationToken) =>
        await db.ApiKeys.AsNoTracking().Where(k => k.Prefix == prefix).ToListAsync(cancellationToken);

    public Task<bool> AnyAsync(CancellationToken cancellationToken) => db.ApiKeys.AnyAsync(cancellationToken);

    public Task<Page<ApiKey>> ListAsync(PageRequest page, CancellationToken cancellationToken) =>
        db.ApiKeys.AsNoTracking().OrderBy(k => k.CreatedAt).ThenBy(k => k.Id).ToPageAsync(page, cancellationToken);

    public Task<ApiKey?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == id, cancellationToken);

    public Task<ApiKey?> FindByNameAsync(string name, CancellationToken cancellationToken) =>
        db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Name == name, cancellationToken);

    public async Task<StoreResult<ApiKey>> ReplaceSecretAsync(Guid id, string secret, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (key is null)
        {
            return StoreResult<ApiKey>.NotFound();
        }

        key.ReplaceSecret(secret);
        await db.SaveChangesAsync(cancellationToken);
        cache.Clear();
        return StoreResult<ApiKey>.Success(key);
    }

    public async Task<StoreResult<ApiKey>> AddAsync(ApiKey key, CancellationToken cancellationToken)
    {
        if (await FindIdByNameAsync(key.Name, cancellationToken) is { } takenBy)
        {
            return StoreResult<ApiKey>.Conflict(takenBy);
        }

        db.ApiKeys.Add(key);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            if (await FindIdByNameAsync(key.Name, cancellationToken) is { } racedBy)
            {
                return StoreResult<ApiKey>.Conflict(racedBy);
            }

            throw;
        }

        return StoreResult<ApiKey>.Success(key);
    }

    public async Task<StoreResult<ApiKey>> RevokeAsync(Guid id, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (key is null)
        {
            return StoreResult<ApiKey>.NotFound();
        }

        key.Revoke(timeProvider.GetUtcNow().UtcDateTime, actor.Name);
        await db.SaveChangesAsync(cancellationToken);
        cache.Clear();
        return StoreResult<ApiKey>.Success(key);
    }

    private Task<Guid?> FindIdByNameAsync(string name, CancellationToken cancellationToken) =>
        db.ApiKeys.AsNoTracking().Where(k => k.Name == name).Select(k => (Guid?)k.Id).FirstOrDefaultAsync(cancellationToken);
}
