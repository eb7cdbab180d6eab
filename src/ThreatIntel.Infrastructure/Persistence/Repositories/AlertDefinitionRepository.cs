using Microsoft.EntityFrameworkCore;
using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Persistence;

namespace ThreatIntel.Infrastructure.Persistence.Repositories;

internal sealed class AlertDefinitionRepository(ThreatIntelDbContext db, TimeProvider timeProvider) : IAlertDefinitionRepository
{
    public async Task<Page<AlertDefinitionWithCount>> ListAsync(AlertDefinitionQuery query, CancellationToken cancellationToken)
    {
        var definitions = db.AlertDefinitions.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var pattern = $"%{LikePattern.Escape(query.Search.Trim())}%";
            definitions = definitions.Where(d => EF.Functions.Like(d.Name, pattern, LikePattern.EscapeCharacter)
                || EF.Functions.Like(d.Description!, pattern, LikePattern.EscapeCharacter));
        }

        if (query.Severities is { Count: > 0 } severities)
        {
            definitions = definitions.Where(d => severities.Contains(d.Severity));
        }

        if (query.Enabled is { } enabled)
        {
            definitions = definitions.Where(d => d.Enabled == enabled);
        }

        if (!string.IsNullOrWhiteSpace(query.Source))
        {
            definitions = definitions.Where(d => d.Source == query.Source);
        }

        return await Order(definitions, query.SortBy, query.Descending)
            .Select(d => new AlertDefinitionWithCount(d, d.Iocs.Count))
            .ToPageAsync(query.Page, cancellationToken);
    }

    public Task<AlertDefinitionWithCount?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.AlertDefinitions.AsNoTracking()
            .Where(d => d.Id == id)
            .Select(d => new AlertDefinitionWithCount(d, d.Iocs.Count))
            .FirstOrDefaultAsync(cancellationToken);

    public async Task<IReadOnlyDictionary<Guid, AlertDefinition>> FindManyAsync(
        IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken) =>
        await db.AlertDefinitions.AsNoTracking()
            .Where(d => ids.Contains(d.Id))
            .ToDictionaryAsync(d => d.Id, cancellationToken);

    public async Task<StoreResult<AlertDefinitionWithCount>> AddAsync(
        AlertDefinition definition, CancellationToken cancellationToken)
    {
        if (await FindIdByNameAsync(definition.NormalizedName, except: null, cancellationToken) is { } takenBy)
        {
            return StoreResult<AlertDefinitionWithCount>.Conflict(takenBy);
        }

        db.AlertDefinitions.Add(definition);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another request took the name between the check and the insert.
            if (await FindIdByNameAsync(definition.NormalizedName, except: null, cancellationToken) is { } racedBy)
            {
                return StoreResult<AlertDefinitionWithCount>.Conflict(racedBy);
            }

            throw;
        }

        return StoreResult<AlertDefinitionWithCount>.Success(new AlertDefinitionWithCount(definition, definition.Iocs.Count));
    }

    public async Task<StoreResult<AlertDefinitionWithCount>> UpdateMetadataAsync(
        Guid id, Guid? expectedVersion, AlertDefinitionMetadata metadata, CancellationToken cancellationToken)
    {
        var definition = await db.AlertDefinitions.FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (definition is null)
        {
            return StoreResult<AlertDefinitionWithCount>.NotFound();
        }

        if (!db.ExpectVersion(definition, expectedVersion))
        {
            return StoreResult<AlertDefinitionWithCount>.PreconditionFailed();
        }

        var normalizedName = AlertDefinition.NormalizeName(metadata.Name);
        if (await FindIdByNameAsync(normalizedName, except: id, cancellationToken) is { } takenBy)
        {
            return StoreResult<AlertDefinitionWithCount>.Conflict(takenBy);
        }

        definition.UpdateMetadata(metadata, timeProvider.GetUtcNow().UtcDateTime);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return StoreResult<AlertDefinitionWithCount>.PreconditionFailed();
        }
        catch (DbUpdateException)
        {
            if (await FindIdByNameAsync(normalizedName, except: id, cancellationToken) is { } racedBy)
            {
                return StoreResult<AlertDefinitionWithCount>.Conflict(racedBy);
            }

            throw;
        }

        var iocCount = await db.Iocs.CountAsync(i => i.AlertDefinitionId == id, cancellationToken);
        return StoreResult<AlertDefinitionWithCount>.Success(new AlertDefinitionWithCount(definition, iocCount));
    }

    public async Task<StoreOutcome> DeleteAsync(Guid id, Guid? expectedVersion, CancellationToken cancellationToken)
    {
        var definition = await db.AlertDefinitions.FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (definition is null)
        {
            return StoreOutcome.NotFound;
        }

        if (!db.ExpectVersion(definition, expectedVersion))
        {
            return StoreOutcome.PreconditionFailed;
        }

        // The audit interceptor loads the IOCs so that each deletion is recorded; the database's cascade backs it up.
        db.AlertDefinitions.Remove(definition);
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

    private Task<Guid?> FindIdByNameAsync(string normalizedName, Guid? except, CancellationToken cancellationToken) =>
        db.AlertDefinitions.AsNoTracking()
            .Where(d => d.NormalizedName == normalizedName && d.Id != except)
            .Select(d => (Guid?)d.Id)
            .FirstOrDefaultAsync(cancellationToken);

    private static IOrderedQueryable<AlertDefinition> Order(
        IQueryable<AlertDefinition> definitions, AlertDefinitionSortField sortBy, bool descending)
    {
        var ordered = (sortBy, descending) switch
        {
            (AlertDefinitionSortField.Severity, false) => definitions.OrderBy(d => d.Severity).ThenBy(d => d.NormalizedName),
            (AlertDefinitionSortField.Severity, true) => definitions.OrderByDescending(d => d.Severity).ThenBy(d => d.NormalizedName),
            (AlertDefinitionSortField.UpdatedAt, false) => definitions.OrderBy(d => d.UpdatedAt),
            (AlertDefinitionSortField.UpdatedAt, true) => definitions.OrderByDescending(d => d.UpdatedAt),
            (_, false) => definitions.OrderBy(d => d.NormalizedName),
            (_, true) => definitions.OrderByDescending(d => d.NormalizedName),
        };

        // The id breaks ties so that paging is stable.
        return ordered.ThenBy(d => d.Id);
    }
}
