using Microsoft.EntityFrameworkCore;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Persistence;

namespace ThreatIntel.Infrastructure.Persistence.Repositories;

internal sealed class IocRepository(ThreatIntelDbContext db, SqliteIocLookup sqliteLookup, TimeProvider timeProvider) : IIocRepository
{
    public async Task<Page<Ioc>?> ListForDefinitionAsync(
        Guid alertDefinitionId, IocQuery query, CancellationToken cancellationToken)
    {
        if (!await db.AlertDefinitions.AnyAsync(d => d.Id == alertDefinitionId, cancellationToken))
        {
            return null;
        }

        var iocs = db.Iocs.AsNoTracking().Where(i => i.AlertDefinitionId == alertDefinitionId);
        if (query.Type is { } type)
        {
            iocs = iocs.Where(i => i.Type == type);
        }

        if (query.Action is { } action)
        {
            iocs = iocs.Where(i => i.Action == action);
        }

        if (query.Enabled is { } enabled)
        {
            iocs = iocs.Where(i => i.Enabled == enabled);
        }

        return await ToPageAsync(iocs, query.Page, cancellationToken);
    }

    public Task<Page<Ioc>> SearchAsync(IocSearch search, CancellationToken cancellationToken)
    {
        if (search.ValueKeys is { } valueKeys)
        {
            var valueType = search.Type ?? throw new ArgumentException("A value look-up needs the value's type.", nameof(search));
            var keys = valueKeys.Where(key => search.Action is null || key.Action == search.Action).ToList();
            if (keys.Count == 0)
            {
                return Task.FromResult(new Page<Ioc>([], search.Page.Page, search.Page.PageSize, 0));
            }

            if (db.IsSqlite)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return Task.FromResult(sqliteLookup.ReadPage(db, valueType, keys, search.Page));
            }

            return IocLookupQuery.PageAsync(db, valueType, keys, search.Page, cancellationToken);
        }

        var iocs = db.Iocs.AsNoTracking();
        if (search.Type is { } type)
        {
            iocs = iocs.Where(i => i.Type == type);
        }

        if (search.Action is { } action)
        {
            iocs = iocs.Where(i => i.Action == action);
        }

        return ToPageAsync(iocs, search.Page, cancellationToken);
    }

    public Task<Ioc?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.Iocs.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);

    public async Task<StoreResult<Ioc>> AddAsync(
        Guid alertDefinitionId, IocSpecification specification, CancellationToken cancellationToken)
    {
        var definition = await db.AlertDefinitions.AsNoTracking()
            .FirstOrDefaultAsync(d => d.Id == alertDefinitionId, cancellationToken);
        if (definition is null)
        {
            return StoreResult<Ioc>.NotFound();
        }

        var ioc = Ioc.Create(definition, specification, timeProvider.GetUtcNow().UtcDateTime);
        if (await FindDuplicateAsync(ioc, cancellationToken) is { } existing)
        {
            return StoreResult<Ioc>.Conflict(existing);
        }

        db.Iocs.Add(ioc);
        return await SaveAsync(ioc, cancellationToken);
    }

    public async Task<StoreResult<IReadOnlyList<IocBatchOutcome>>> AddBatchAsync(
        Guid alertDefinitionId, IReadOnlyList<IocBatchEntry> entries, CancellationToken cancellationToken)
    {
        var definition = await db.AlertDefinitions.AsNoTracking()
            .FirstOrDefaultAsync(d => d.Id == alertDefinitionId, cancellationToken);
        if (definition is null)
        {
            return StoreResult<IReadOnlyList<IocBatchOutcome>>.NotFound();
        }

        var stored = await db.Iocs.AsNoTracking()
            .Where(i => i.AlertDefinitionId == alertDefinitionId)
            .Select(i => new { i.Id, i.Type, i.Action, i.ValueHash })
            .ToListAsync(cancellationToken);
        var known = stored.ToDictionary(i => new IocIdentity(i.Type, i.Action, i.ValueHash), i => i.Id);

        var now = timeProvider.GetUtcNow().UtcDateTime;
        var outcomes = new List<IocBatchOutcome>(entries.Count);
        foreach (var entry in entries)
        {
            var ioc = Ioc.Create(definition, entry.Specification, now);
            var identity = new IocIdentity(ioc.Type, ioc.Action, ioc.ValueHash);
            if (known.TryGetValue(identity, out var existingId))
            {
                outcomes.Add(new IocBatchOutcome(entry.Index, Created: false, existingId));
                continue;
            }

            known.Add(identity, ioc.Id);
            db.Iocs.Add(ioc);
            outcomes.Add(new IocBatchOutcome(entry.Index, Created: true, ioc.Id));
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A concurrent request stored one of these values after they were read; nothing of this batch was written.
            return StoreResult<IReadOnlyList<IocBatchOutcome>>.Conflict(alertDefinitionId);
        }

        return StoreResult<IReadOnlyList<IocBatchOutcome>>.Success(outcomes);
    }

    public async Task<StoreResult<Ioc>> UpdateAsync(
        Guid id, Guid? expectedVersion, IocSpecification specification, CancellationToken cancellationToken)
    {
        var ioc = await db.Iocs.FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (ioc is null)
        {
            return StoreResult<Ioc>.NotFound();
        }

        if (!db.ExpectVersion(ioc, expectedVersion))
        {
            return StoreResult<Ioc>.PreconditionFailed();
        }

        ioc.Update(specification, timeProvider.GetUtcNow().UtcDateTime);
        if (await FindDuplicateAsync(ioc, cancellationToken) is { } existing)
        {
            return StoreResult<Ioc>.Conflict(existing);
        }

        return await SaveAsync(ioc, cancellationToken);
    }

    public async Task<StoreOutcome> DeleteAsync(Guid id, Guid? expectedVersion, CancellationToken cancellationToken)
    {
        var ioc = await db.Iocs.FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (ioc is null)
        {
            return StoreOutcome.NotFound;
        }

        if (!db.ExpectVersion(ioc, expectedVersion))
        {
            return StoreOutcome.PreconditionFailed;
        }

        db.Iocs.Remove(ioc);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return StoreOutcome.Succeeded;
        }
        catch (DbUpdateConcurrencyException)
        {
            return StoreOutcome.PreconditionFailed;
        }
    }

    private async Task<StoreResult<Ioc>> SaveAsync(Ioc ioc, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return StoreResult<Ioc>.Success(ioc);
        }
        catch (DbUpdateConcurrencyException)
        {
            return StoreResult<Ioc>.PreconditionFailed();
        }
        catch (DbUpdateException)
        {
            // A concurrent request stored the same value between the duplicate check and this insert.
            if (await FindDuplicateAsync(ioc, cancellationToken) is { } existing)
            {
                return StoreResult<Ioc>.Conflict(existing);
            }

            throw;
        }
    }

    private Task<Guid?> FindDuplicateAsync(Ioc ioc, CancellationToken cancellationToken) =>
        db.Iocs.AsNoTracking()
            .Where(i => i.AlertDefinitionId == ioc.AlertDefinitionId && i.Type == ioc.Type && i.Action == ioc.Action
                && i.ValueHash == ioc.ValueHash && i.Id != ioc.Id)
            .Select(i => (Guid?)i.Id)
            .FirstOrDefaultAsync(cancellationToken);

    private static Task<Page<Ioc>> ToPageAsync(IQueryable<Ioc> iocs, PageRequest page, CancellationToken cancellationToken) =>
        iocs.OrderBy(i => i.CreatedAt).ThenBy(i => i.Id).ToPageAsync(page, cancellationToken);

    private readonly record struct IocIdentity(IocType Type, IocAction Action, byte[] ValueHash)
    {
        public bool Equals(IocIdentity other) =>
            Type == other.Type && Action == other.Action && ValueHash.AsSpan().SequenceEqual(other.ValueHash);

        public override int GetHashCode() => HashCode.Combine(Type, Action, BitConverter.ToInt32(ValueHash));
    }
}
