using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Auditing;
using ThreatIntel.Core.Feeds;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Matching;
using ThreatIntel.Core.Persistence;
using ThreatIntel.Infrastructure.Matching;
using ThreatIntel.Infrastructure.Persistence;

namespace ThreatIntel.Infrastructure.Feeds;

/// <summary>
/// Applies feed pushes. The feed's current content is read and compared with the push first (no lock held); the
/// difference is then written in one transaction that starts by moving the feed's version on, so a push planned
/// against content another instance has changed since fails instead of interleaving. The rows go through
/// <see cref="BulkTable{TEntity}"/>; the push is audited as one entry and the matching change stamp is written in the
/// same transaction, so every instance's index switches to the new content once, after the commit.
/// </summary>
internal sealed class FeedRepository(
    ThreatIntelDbContext db,
    ICurrentActor actor,
    TimeProvider timeProvider,
    FeedPushLocks locks,
    IMatchingChangeNotifier matchingNotifier) : IFeedRepository
{
    private const int MaxSummaryErrors = 20;

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public async Task<FeedPushResult> PushAsync(
        string feed, ParsedFeed pushed, FeedPushOptions options, CancellationToken cancellationToken)
    {
        using var pushLock = await locks.AcquireAsync(feed, cancellationToken);
        db.ChangeTracker.Clear();

        var record = await db.Feeds.AsNoTracking().SingleOrDefaultAsync(f => f.Name == feed, cancellationToken);
        if ((options.RequireExisting && record is null) || (options.ExpectedVersion is { } expected && record?.Version != expected))
        {
            throw new FeedVersionMismatchException(record is null
                ? $"There is no feed named '{feed}' to match If-Match; push without If-Match to create it."
                : $"Feed '{feed}' was pushed since its ETag was read. Read it again and retry.");
        }

        var definitions = pushed.Definitions;
        var conflicts = await NamesOwnedElsewhereAsync(feed, definitions, cancellationToken);
        if (conflicts.Count > 0)
        {
            foreach (var (index, owner) in conflicts)
            {
                pushed.AddError(
                    new FeedRowError(
                        $"definition '{definitions[index].Metadata.Name}'",
                        definitions[index].Metadata.Name,
                        owner is null
                            ? "A hand-made alert definition has this name; feeds never change hand-made definitions."
                            : $"The alert definition with this name belongs to feed '{owner}'."),
                    int.MaxValue);
            }

            var conflicting = conflicts.Select(c => c.Index).ToHashSet();
            definitions = [.. definitions.Where((_, i) => !conflicting.Contains(i))];
        }

        var storedDefinitions = record is null
            ? []
            : await db.AlertDefinitions.AsNoTracking().Where(d => d.Source == feed).ToListAsync(cancellationToken);
        var storedIocs = record is null ? [] : await LoadStoredIocsAsync(feed, cancellationToken);
        var plan = FeedPlan.Create(storedDefinitions, storedIocs, definitions, options.Mode);
        storedIocs.Clear();

        var refused = pushed.ErrorCount > 0 && (!options.SkipInvalid || pushed.IsUnreadable);
        var result = new FeedPushResult(
            feed, plan.Counts, pushed.Errors, pushed.ErrorCount, refused, Applied: !refused && !options.DryRun, record?.Version);
        if (!result.Applied)
        {
            return result;
        }

        return result with { Version = await ApplyAsync(feed, record, plan, result, cancellationToken) };
    }

    public async Task<IReadOnlyList<FeedSummary>> ListAsync(CancellationToken cancellationToken)
    {
        var feeds = await db.Feeds.AsNoTracking().OrderBy(f => f.Name).ToListAsync(cancellationToken);
        var definitionCounts = await db.AlertDefinitions.AsNoTracking()
            .Where(d => d.Source != null)
            .GroupBy(d => d.Source!)
            .Select(g => new { Feed = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Feed, g => g.Count, cancellationToken);
        var iocCounts = await db.Iocs.AsNoTracking()
            .Where(i => i.Source != null)
            .GroupBy(i => i.Source!)
            .Select(g => new { Feed = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Feed, g => g.Count, cancellationToken);
        return [.. feeds.Select(f => Summary(f, definitionCounts.GetValueOrDefault(f.Name), iocCounts.GetValueOrDefault(f.Name)))];
    }

    public async Task<FeedSummary?> FindAsync(string feed, CancellationToken cancellationToken)
    {
        var record = await db.Feeds.AsNoTracking().SingleOrDefaultAsync(f => f.Name == feed, cancellationToken);
        if (record is null)
        {
            return null;
        }

        var definitionCount = await db.AlertDefinitions.CountAsync(d => d.Source == feed, cancellationToken);
        var iocCount = await db.Iocs.CountAsync(i => i.Source == feed, cancellationToken);
        return Summary(record, definitionCount, iocCount);
    }

    public async IAsyncEnumerable<FeedDefinition> ExportAsync(
        string feed, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var definitions = await db.AlertDefinitions.AsNoTracking()
            .Where(d => d.Source == feed)
            .OrderBy(d => d.NormalizedName)
            .ToListAsync(cancellationToken);
        foreach (var definition in definitions)
        {
            var exported = new FeedDefinition(definition.Metadata()) { CreatedAt = definition.CreatedAt, UpdatedAt = definition.UpdatedAt };
            var iocs = db.Iocs.AsNoTracking()
                .Where(i => i.AlertDefinitionId == definition.Id)
                .OrderBy(i => i.Type).ThenBy(i => i.Action).ThenBy(i => i.Value)
                .Select(i => new { i.Type, i.Action, i.Value, i.ValueHash, i.Description, i.Enabled, i.ExpiresAt })
                .AsAsyncEnumerable();
            await foreach (var ioc in iocs.WithCancellation(cancellationToken))
            {
                exported.Iocs.Add(new FeedIoc(
                    IocIdentity.FromHash(ioc.Type, ioc.Action, ioc.ValueHash), ioc.Value, ioc.Description, ioc.Enabled, ioc.ExpiresAt));
            }

            yield return exported;
        }
    }

    public async Task<StoreOutcome> DeleteAsync(string feed, Guid? expectedVersion, CancellationToken cancellationToken)
    {
        using var pushLock = await locks.AcquireAsync(feed, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var record = await db.Feeds.SingleOrDefaultAsync(f => f.Name == feed, cancellationToken);
        if (record is null)
        {
            return StoreOutcome.NotFound;
        }

        if (expectedVersion is { } expected && record.Version != expected)
        {
            return StoreOutcome.PreconditionFailed;
        }

        db.Feeds.Remove(record);
        await db.SaveChangesAsync(cancellationToken);
        var iocsRemoved = await db.Iocs.Where(i => i.Source == feed).ExecuteDeleteAsync(cancellationToken);
        var definitionsRemoved = await db.AlertDefinitions.Where(d => d.Source == feed).ExecuteDeleteAsync(cancellationToken);
        await StampMatchingChangeAsync(cancellationToken);
        db.AuditLog.Add(new AuditEntry
        {
            Timestamp = timeProvider.GetUtcNow().UtcDateTime,
            Actor = actor.Name,
            Action = AuditAction.Deleted,
            EntityType = nameof(Feed),
            EntityId = record.Id,
            Changes = JsonSerializer.Serialize(new { feed, definitionsRemoved, iocsRemoved }, JsonOptions),
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        matchingNotifier.ContentChanged();
        return StoreOutcome.Succeeded;
    }

    /// <returns>The feed's new version.</returns>
    private async Task<Guid> ApplyAsync(string feed, Feed? record, FeedPlan plan, FeedPushResult result, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var changes = result.Changes;
        var summary = JsonSerializer.Serialize(
            new
            {
                feed,
                changes.DefinitionsCreated,
                changes.DefinitionsUpdated,
                changes.DefinitionsRemoved,
                changes.DefinitionsUnchanged,
                changes.IocsCreated,
                changes.IocsUpdated,
                changes.IocsUnchanged,
                changes.IocsRemoved,
                result.RejectedCount,
                Rejected = result.Rejected.Take(MaxSummaryErrors),
            },
            JsonOptions);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // The feed's row is written first: it takes the write lock and fails if another push moved the version on.
        var isNew = record is null;
        record ??= Feed.Create(feed, now, actor.Name);
        if (isNew)
        {
            db.Feeds.Add(record);
        }
        else
        {
            db.Feeds.Attach(record);
        }

        record.RecordPush(now, actor.Name, summary);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            throw new FeedPushConflictException(
                $"Another push to feed '{feed}' was applied while this one was being prepared; push again. ({ex.GetType().Name})");
        }

        db.ChangeTracker.Clear();
        if (!plan.Counts.IsEmpty)
        {
            await using (await LargePageCacheAsync(cancellationToken))
            {
                await WriteAsync(feed, plan, now, cancellationToken);
            }

            await StampMatchingChangeAsync(cancellationToken);
        }

        db.AuditLog.Add(new AuditEntry
        {
            Timestamp = now,
            Actor = actor.Name,
            Action = isNew ? AuditAction.Created : AuditAction.Updated,
            EntityType = nameof(Feed),
            EntityId = record.Id,
            Changes = summary,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (!plan.Counts.IsEmpty)
        {
            matchingNotifier.ContentChanged();
        }

        return record.Version;
    }

    private async Task WriteAsync(string feed, FeedPlan plan, DateTime now, CancellationToken cancellationToken)
    {
        var stamps = new Dictionary<string, object?>
        {
            [nameof(AlertDefinition.CreatedBy)] = actor.Name,
            [nameof(AlertDefinition.UpdatedBy)] = actor.Name,
        };
        var definitionTable = new BulkTable<AlertDefinition>(db);
        var iocTable = new BulkTable<Ioc>(db);

        // Removals first, so that a definition renamed only in case, or an IOC re-added, never meets its old row.
        await iocTable.DeleteAsync(plan.IocsToRemove, cancellationToken);
        var removedDefinitionIds = plan.DefinitionsToRemove.Select(d => d.Id).ToList();
        if (removedDefinitionIds.Count > 0)
        {
            await db.Iocs.Where(i => removedDefinitionIds.Contains(i.AlertDefinitionId)).ExecuteDeleteAsync(cancellationToken);
            await definitionTable.DeleteAsync(removedDefinitionIds, cancellationToken);
        }

        var created = plan.DefinitionsToCreate
            .Select(pushed => (Pushed: pushed, Stored: AlertDefinition.Create(pushed.Metadata, now, feed)))
            .ToList();
        await definitionTable.InsertAsync(created.Select(d => d.Stored), stamps, cancellationToken);

        foreach (var (stored, metadata) in plan.DefinitionsToUpdate)
        {
            stored.UpdateMetadata(metadata, now);
        }

        await definitionTable.UpdateAsync(
            DefinitionMetadataColumns,
            plan.DefinitionsToUpdate.Select(u => DefinitionMetadataRow(definitionTable, u.Stored)),
            cancellationToken);

        var newIocs = created.SelectMany(d => d.Pushed.Iocs.Select(ioc => Ioc.Create(d.Stored, Specification(ioc), now, ioc.Identity.ValueHash())))
            .Concat(plan.IocsToCreate.Select(c => Ioc.Create(c.Definition, Specification(c.Ioc), now, c.Ioc.Identity.ValueHash())));
        await iocTable.InsertAsync(newIocs, stamps, cancellationToken);

        await iocTable.UpdateAsync(
            [nameof(Ioc.Description), nameof(Ioc.Enabled), nameof(Ioc.ExpiresAt), nameof(Ioc.UpdatedAt), nameof(Ioc.UpdatedBy), nameof(Ioc.Version)],
            plan.IocsToUpdate.Select(u => new object?[] { u.IocId, u.Ioc.Description, u.Ioc.Enabled, u.Ioc.ExpiresAt, now, actor.Name, Guid.NewGuid() }),
            cancellationToken);
    }

    private static readonly string[] DefinitionMetadataColumns =
    [
        nameof(AlertDefinition.Name), nameof(AlertDefinition.NormalizedName), nameof(AlertDefinition.Description),
        nameof(AlertDefinition.Severity), nameof(AlertDefinition.Category), nameof(AlertDefinition.MitreTechniques),
        nameof(AlertDefinition.RecommendedActions), nameof(AlertDefinition.Tags), nameof(AlertDefinition.Enabled),
        nameof(AlertDefinition.UpdatedAt), nameof(AlertDefinition.UpdatedBy), nameof(AlertDefinition.Version),
    ];

    private object?[] DefinitionMetadataRow(BulkTable<AlertDefinition> table, AlertDefinition definition) =>
        [
            definition.Id,
            .. DefinitionMetadataColumns.Select(name => name == nameof(AlertDefinition.UpdatedBy)
                ? actor.Name
                : table.Property(name).GetGetter().GetClrValueUsingContainingEntity(definition)),
        ];

    private static IocSpecification Specification(FeedIoc ioc) =>
        new(ioc.Type, ioc.Action, ioc.Value, ioc.Description, ioc.Enabled, ioc.ExpiresAt);

    private async Task<List<StoredFeedIoc>> LoadStoredIocsAsync(string feed, CancellationToken cancellationToken)
    {
        var stored = new List<StoredFeedIoc>();
        var rows = db.Iocs.AsNoTracking()
            .Where(i => i.Source == feed)
            .Select(i => new { i.Id, i.AlertDefinitionId, i.Type, i.Action, i.ValueHash, i.Description, i.Enabled, i.ExpiresAt })
            .AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            stored.Add(new StoredFeedIoc(
                row.Id, row.AlertDefinitionId, IocIdentity.FromHash(row.Type, row.Action, row.ValueHash), row.Description, row.Enabled, row.ExpiresAt));
        }

        return stored;
    }

    /// <summary>The pushed definitions (by index) whose name a definition outside the feed already has, with its owner.</summary>
    private async Task<List<(int Index, string? Owner)>> NamesOwnedElsewhereAsync(
        string feed, List<FeedDefinition> definitions, CancellationToken cancellationToken)
    {
        var names = definitions.Select(d => AlertDefinition.NormalizeName(d.Metadata.Name)).ToList();
        var owners = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var chunk in names.Chunk(1000))
        {
            var found = await db.AlertDefinitions.AsNoTracking()
                .Where(d => (d.Source == null || d.Source != feed) && chunk.Contains(d.NormalizedName))
                .Select(d => new { d.NormalizedName, d.Source })
                .ToListAsync(cancellationToken);
            foreach (var owner in found)
            {
                owners[owner.NormalizedName] = owner.Source;
            }
        }

        return [.. names.Select((name, index) => (name, index))
            .Where(n => owners.ContainsKey(n.name))
            .Select(n => (n.index, owners[n.name]))];
    }

    /// <summary>
    /// IOC keys are hashes, so a large push inserts at random places of the (type, value hash) indexes; with SQLite's
    /// default 2 MB page cache nearly every insert reads pages back from disk. The push's connection gets a larger cache
    /// while it writes, and the pooled connection goes back with the default.
    /// </summary>
    private async Task<IAsyncDisposable> LargePageCacheAsync(CancellationToken cancellationToken)
    {
        if (!db.IsSqlite)
        {
            return NoCacheChange.Instance;
        }

        await db.Database.ExecuteSqlRawAsync($"PRAGMA cache_size = -{PushPageCacheKib}", cancellationToken);
        return new DefaultPageCache(db);
    }

    private const int PushPageCacheKib = 256 * 1024;

    private sealed class NoCacheChange : IAsyncDisposable
    {
        public static readonly NoCacheChange Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class DefaultPageCache(ThreatIntelDbContext db) : IAsyncDisposable
    {
        // SQLite's compiled-in default, -2000 (about 2 MB).
        public async ValueTask DisposeAsync() => await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -2000");
    }

    private Task<int> StampMatchingChangeAsync(CancellationToken cancellationToken) =>
        db.MatchingState
            .Where(s => s.Id == MatchingState.SingletonId)
            .ExecuteUpdateAsync(s => s.SetProperty(state => state.ChangeStamp, Guid.NewGuid()), cancellationToken);

    private static FeedSummary Summary(Feed feed, int definitionCount, int iocCount) =>
        new(feed.Name, definitionCount, iocCount, feed.CreatedAt, feed.CreatedBy, feed.LastPushAt, feed.LastPushBy, feed.LastPushSummary, feed.Version);
}
