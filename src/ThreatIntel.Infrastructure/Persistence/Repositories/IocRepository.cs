using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Persistence;

namespace ThreatIntel.Infrastructure.Persistence.Repositories;

internal sealed class IocRepository(ThreatIntelDbContext db, TimeProvider timeProvider) : IIocRepository
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
        var iocs = db.Iocs.AsNoTracking();
        if (search.Type is { } type)
        {
            iocs = iocs.Where(i => i.Type == type);
        }

        if (search.Action is { } action)
        {
            iocs = iocs.Where(i => i.Action == action);
        }

        if (search.ValueKeys is { } keys)
        {
            // The hashes alone first: the databases use the (Type, ValueHash) index for a list of equalities on one
            // column, but not for the (Action, ValueHash) pairs, which made a domain look-up scan every domain IOC.
            iocs = iocs.Where(HasAnyHash(keys)).Where(MatchesAnyKey(keys));
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

    /// <summary>
    /// <c>(Action = a1 AND ValueHash = h1) OR ...</c>, with each key read through a closure so that EF Core sends
    /// the values as parameters and reuses one query plan for every look-up of the same shape.
    /// </summary>
    private static Expression<Func<Ioc, bool>> MatchesAnyKey(IReadOnlyCollection<IocLookupKey> keys)
    {
        var ioc = Expression.Parameter(typeof(Ioc), "ioc");
        Expression body = Expression.Constant(false);
        foreach (var key in keys)
        {
            var captured = Expression.Constant(new CapturedKey(key.Action, key.ValueHash));
            var sameAction = Expression.Equal(
                Expression.Property(ioc, nameof(Ioc.Action)), Expression.Field(captured, nameof(CapturedKey.Action)));
            var sameHash = Expression.Equal(
                Expression.Property(ioc, nameof(Ioc.ValueHash)), Expression.Field(captured, nameof(CapturedKey.ValueHash)));
            body = Expression.OrElse(body, Expression.AndAlso(sameAction, sameHash));
        }

        return Expression.Lambda<Func<Ioc, bool>>(body, ioc);
    }

    /// <summary><c>ValueHash = h1 OR ValueHash = h2 ...</c>, parameterised like <see cref="MatchesAnyKey"/>.</summary>
    private static Expression<Func<Ioc, bool>> HasAnyHash(IReadOnlyCollection<IocLookupKey> keys)
    {
        var ioc = Expression.Parameter(typeof(Ioc), "ioc");
        Expression body = Expression.Constant(false);
        foreach (var key in keys)
        {
            var captured = Expression.Constant(new CapturedKey(key.Action, key.ValueHash));
            body = Expression.OrElse(body, Expression.Equal(
                Expression.Property(ioc, nameof(Ioc.ValueHash)), Expression.Field(captured, nameof(CapturedKey.ValueHash))));
        }

        return Expression.Lambda<Func<Ioc, bool>>(body, ioc);
    }

    private sealed class CapturedKey(IocAction action, byte[] valueHash)
    {
        public readonly IocAction Action = action;
        public readonly byte[] ValueHash = valueHash;
    }

    private readonly record struct IocIdentity(IocType Type, IocAction Action, byte[] ValueHash)
    {
        public bool Equals(IocIdentity other) =>
            Type == other.Type && Action == other.Action && ValueHash.AsSpan().SequenceEqual(other.ValueHash);

        public override int GetHashCode() => HashCode.Combine(Type, Action, BitConverter.ToInt32(ValueHash));
    }
}
