using Microsoft.EntityFrameworkCore;
using ThreatIntel.Core.Alerts;
using ThreatIntel.Infrastructure.Persistence;

namespace ThreatIntel.Infrastructure.Alerts;

internal sealed class AlertChangeLog(ThreatIntelDbContext db) : IAlertChangeLog
{
    public async Task<long> LatestSequenceAsync(CancellationToken cancellationToken) =>
        await db.AlertChanges.MaxAsync(c => (long?)c.Sequence, cancellationToken) ?? 0;

    public async Task<AlertChangeBatch> ReadAfterAsync(
        long after, AlertChangeFilter filter, int maxChanges, CancellationToken cancellationToken)
    {
        // Sequences commit in order (see AlertChangeOutbox), so once the latest is read every change up to it can be
        // read too: a filtered reader may then skip past the changes it does not want without missing one.
        var latest = await LatestSequenceAsync(cancellationToken);
        if (latest <= after)
        {
            return new AlertChangeBatch([], after);
        }

        var changes = db.AlertChanges.AsNoTracking().Where(c => c.Sequence > after && c.Sequence <= latest);
        if (filter.Severities.Count > 0)
        {
            var severities = filter.Severities.ToList();
            changes = changes.Where(c => severities.Contains(c.Severity));
        }

        if (filter.MinimumSeverity is { } minimum)
        {
            changes = changes.Where(c => c.Severity >= minimum);
        }

        if (filter.AlertDefinitionIds.Count > 0)
        {
            var definitionIds = filter.AlertDefinitionIds.ToList();
            changes = changes.Where(c => definitionIds.Contains(c.AlertDefinitionId));
        }

        if (filter.Kinds.Count > 0)
        {
            var kinds = filter.Kinds.ToList();
            changes = changes.Where(c => kinds.Contains(c.Kind));
        }

        var found = await changes.OrderBy(c => c.Sequence).Take(maxChanges).ToListAsync(cancellationToken);
        return new AlertChangeBatch(found, found.Count == maxChanges ? found[^1].Sequence : latest);
    }
}
