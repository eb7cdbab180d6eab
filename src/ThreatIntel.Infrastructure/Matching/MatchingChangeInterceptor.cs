using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Matching;

namespace ThreatIntel.Infrastructure.Matching;

/// <summary>
/// Writes a new change stamp in the same transaction as any change to definitions or IOCs (so no instance can see
/// the change without the new stamp), and after the commit tells this instance's index to rebuild at once.
/// </summary>
internal sealed class MatchingChangeInterceptor(IMatchingChangeNotifier notifier) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        StampIfContentChanged(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        StampIfContentChanged(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        NotifyIfStamped(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(
        SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        NotifyIfStamped(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void StampIfContentChanged(DbContext? context)
    {
        if (context is null || context.ChangeTracker.Entries<MatchingState>().Any())
        {
            return;
        }

        var contentChanged = context.ChangeTracker.Entries()
            .Any(entry => entry.Entity is AlertDefinition or Ioc
                && entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted);
        if (contentChanged)
        {
            var state = new MatchingState { ChangeStamp = Guid.NewGuid() };
            context.Attach(state).Property(s => s.ChangeStamp).IsModified = true;
        }
    }

    private void NotifyIfStamped(DbContext? context)
    {
        var stamped = context?.ChangeTracker.Entries<MatchingState>().ToList() ?? [];
        if (stamped.Count == 0)
        {
            return;
        }

        foreach (var entry in stamped)
        {
            entry.State = EntityState.Detached;
        }

        notifier.ContentChanged();
    }
}
