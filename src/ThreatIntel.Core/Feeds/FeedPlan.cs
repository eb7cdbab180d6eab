using ThreatIntel.Core.AlertDefinitions;

namespace ThreatIntel.Core.Feeds;

/// <summary>
/// The difference between what a feed holds and what was pushed to it: every write a push needs, and nothing for
/// what is unchanged, so that re-pushing the same content plans no write at all.
/// </summary>
public sealed class FeedPlan
{
    /// <summary>New definitions, each with all of its pushed IOCs.</summary>
    public List<FeedDefinition> DefinitionsToCreate { get; } = [];

    public List<(AlertDefinition Stored, AlertDefinitionMetadata Metadata)> DefinitionsToUpdate { get; } = [];

    /// <summary>Definitions no longer pushed (sync only), removed with all of their IOCs.</summary>
    public List<AlertDefinition> DefinitionsToRemove { get; } = [];

    /// <summary>New IOCs of definitions that already exist.</summary>
    public List<(AlertDefinition Definition, FeedIoc Ioc)> IocsToCreate { get; } = [];

    public List<(Guid IocId, FeedIoc Ioc)> IocsToUpdate { get; } = [];

    /// <summary>IOCs no longer pushed of definitions that stay (sync only).</summary>
    public List<Guid> IocsToRemove { get; } = [];

    public int DefinitionsUnchanged { get; private set; }

    public int IocsUnchanged { get; private set; }

    /// <summary>IOCs that go with <see cref="DefinitionsToRemove"/>.</summary>
    public int IocsOfRemovedDefinitions { get; private set; }

    public FeedChangeCounts Counts => new(
        DefinitionsToCreate.Count,
        DefinitionsToUpdate.Count,
        DefinitionsToRemove.Count,
        DefinitionsUnchanged,
        DefinitionsToCreate.Sum(d => d.Iocs.Count) + IocsToCreate.Count,
        IocsToUpdate.Count,
        IocsUnchanged,
        IocsToRemove.Count + IocsOfRemovedDefinitions);

    /// <summary>
    /// Plans a push. Definitions are paired by name (ignoring case, as names are unique) and IOCs within a definition
    /// by <see cref="IocIdentity"/>; a definition counts as updated only when its metadata changes, an IOC only when
    /// its description, enablement or expiry does.
    /// </summary>
    /// <param name="storedDefinitions">The definitions whose source is the feed.</param>
    /// <param name="storedIocs">The IOCs of those definitions.</param>
    public static FeedPlan Create(
        IEnumerable<AlertDefinition> storedDefinitions,
        IEnumerable<StoredFeedIoc> storedIocs,
        IReadOnlyList<FeedDefinition> pushed,
        FeedPushMode mode)
    {
        var plan = new FeedPlan();
        var definitionsByName = storedDefinitions.ToDictionary(d => d.NormalizedName, StringComparer.Ordinal);
        var iocsByDefinition = new Dictionary<Guid, Dictionary<IocIdentity, StoredFeedIoc>>();
        foreach (var ioc in storedIocs)
        {
            if (!iocsByDefinition.TryGetValue(ioc.DefinitionId, out var iocs))
            {
                iocs = [];
                iocsByDefinition.Add(ioc.DefinitionId, iocs);
            }

            iocs.Add(ioc.Identity, ioc);
        }

        foreach (var definition in pushed)
        {
            if (!definitionsByName.Remove(AlertDefinition.NormalizeName(definition.Metadata.Name), out var stored))
            {
                plan.DefinitionsToCreate.Add(definition);
                continue;
            }

            if (stored.Metadata().HasSameContent(definition.Metadata))
            {
                plan.DefinitionsUnchanged++;
            }
            else
            {
                plan.DefinitionsToUpdate.Add((stored, definition.Metadata));
            }

            var storedIocsOfDefinition = iocsByDefinition.GetValueOrDefault(stored.Id) ?? [];
            foreach (var ioc in definition.Iocs)
            {
                if (!storedIocsOfDefinition.Remove(ioc.Identity, out var storedIoc))
                {
                    plan.IocsToCreate.Add((stored, ioc));
                }
                else if (storedIoc.HasSameContent(ioc))
                {
                    plan.IocsUnchanged++;
                }
                else
                {
                    plan.IocsToUpdate.Add((storedIoc.Id, ioc));
                }
            }

            if (mode == FeedPushMode.Sync)
            {
                plan.IocsToRemove.AddRange(storedIocsOfDefinition.Values.Select(ioc => ioc.Id));
            }
            else
            {
                plan.IocsUnchanged += storedIocsOfDefinition.Count;
            }
        }

        foreach (var leftOver in definitionsByName.Values)
        {
            var iocCount = iocsByDefinition.GetValueOrDefault(leftOver.Id)?.Count ?? 0;
            if (mode == FeedPushMode.Sync)
            {
                plan.DefinitionsToRemove.Add(leftOver);
                plan.IocsOfRemovedDefinitions += iocCount;
            }
            else
            {
                plan.DefinitionsUnchanged++;
                plan.IocsUnchanged += iocCount;
            }
        }

        return plan;
    }
}
