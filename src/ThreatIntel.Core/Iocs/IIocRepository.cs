using ThreatIntel.Core.Persistence;

namespace ThreatIntel.Core.Iocs;

public interface IIocRepository
{
    /// <summary>The IOCs of a definition, or null when the definition does not exist.</summary>
    Task<Page<Ioc>?> ListForDefinitionAsync(Guid alertDefinitionId, IocQuery query, CancellationToken cancellationToken);

    Task<Page<Ioc>> SearchAsync(IocSearch search, CancellationToken cancellationToken);

    Task<Ioc?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Adds one IOC; the same type, action and value in the definition is a conflict.</summary>
    Task<StoreResult<Ioc>> AddAsync(Guid alertDefinitionId, IocSpecification specification, CancellationToken cancellationToken);

    /// <summary>
    /// Adds the entries that are new in one transaction; duplicates (of stored IOCs or of an earlier entry) are
    /// reported with the id they duplicate.
    /// </summary>
    Task<StoreResult<IReadOnlyList<IocBatchOutcome>>> AddBatchAsync(
        Guid alertDefinitionId, IReadOnlyList<IocBatchEntry> entries, CancellationToken cancellationToken);

    Task<StoreResult<Ioc>> UpdateAsync(
        Guid id, Guid? expectedVersion, IocSpecification specification, CancellationToken cancellationToken);

    Task<StoreOutcome> DeleteAsync(Guid id, Guid? expectedVersion, CancellationToken cancellationToken);
}
