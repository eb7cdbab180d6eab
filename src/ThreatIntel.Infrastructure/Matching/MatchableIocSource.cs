using Microsoft.EntityFrameworkCore;
using ThreatIntel.Core.Matching;
using ThreatIntel.Infrastructure.Persistence;

namespace ThreatIntel.Infrastructure.Matching;

internal sealed class MatchableIocSource(ThreatIntelDbContext db) : IMatchableIocSource
{
    public Task<Guid> GetChangeStampAsync(CancellationToken cancellationToken) =>
        db.MatchingState.AsNoTracking()
            .Where(s => s.Id == MatchingState.SingletonId)
            .Select(s => s.ChangeStamp)
            .FirstOrDefaultAsync(cancellationToken);

    public async Task<IReadOnlyList<MatchableIoc>> LoadAsync(CancellationToken cancellationToken) =>
        await db.Iocs.AsNoTracking()
            .Where(i => i.Enabled)
            .Join(db.AlertDefinitions.Where(d => d.Enabled), i => i.AlertDefinitionId, d => d.Id, (i, _) => i)
            .Select(i => new MatchableIoc(i.Id, i.AlertDefinitionId, i.Type, i.Action, i.Value, i.ExpiresAt))
            .ToListAsync(cancellationToken);
}
