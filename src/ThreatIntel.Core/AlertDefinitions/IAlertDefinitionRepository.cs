using ThreatIntel.Core.Persistence;

namespace ThreatIntel.Core.AlertDefinitions;

public interface IAlertDefinitionRepository
{
    Task<Page<AlertDefinitionWithCount>> ListAsync(AlertDefinitionQuery query, CancellationToken cancellationToken);

    Task<AlertDefinitionWithCount?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The definitions among <paramref name="ids"/> that exist, by id (without IOC counts).</summary>
    Task<IReadOnlyDictionary<Guid, AlertDefinition>> FindManyAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken);

    /// <summary>Stores the definition and the IOCs it holds in one transaction; a taken name is a conflict.</summary>
    Task<StoreResult<AlertDefinitionWithCount>> AddAsync(AlertDefinition definition, CancellationToken cancellationToken);

    Task<StoreResult<AlertDefinitionWithCount>> UpdateMetadataAsync(
        Guid id, Guid? expectedVersion, AlertDefinitionMetadata metadata, CancellationToken cancellationToken);

    /// <summary>Deletes the definition and, by cascade, its IOCs.</summary>
    Task<StoreOutcome> DeleteAsync(Guid id, Guid? expectedVersion, CancellationToken cancellationToken);
}
