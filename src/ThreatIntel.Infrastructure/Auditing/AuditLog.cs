using Microsoft.EntityFrameworkCore;
using ThreatIntel.Core.Auditing;
using ThreatIntel.Core.Persistence;
using ThreatIntel.Infrastructure.Persistence;

namespace ThreatIntel.Infrastructure.Auditing;

internal sealed class AuditLog(ThreatIntelDbContext db) : IAuditLog
{
    public async Task<Page<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var entries = db.AuditLog.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.EntityType))
        {
            entries = entries.Where(e => e.EntityType == query.EntityType);
        }

        if (query.EntityId is { } entityId)
        {
            entries = entries.Where(e => e.EntityId == entityId);
        }

        if (!string.IsNullOrWhiteSpace(query.Actor))
        {
            entries = entries.Where(e => e.Actor == query.Actor);
        }

        if (query.Since is { } since)
        {
            entries = entries.Where(e => e.Timestamp >= since);
        }

        return await entries.OrderByDescending(e => e.Id).ToPageAsync(query.Page, cancellationToken);
    }
}
