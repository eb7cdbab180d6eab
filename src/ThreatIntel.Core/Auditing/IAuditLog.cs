using ThreatIntel.Core.Persistence;

namespace ThreatIntel.Core.Auditing;

/// <summary>Filters of the audit log; every one is optional.</summary>
public sealed record AuditQuery(string? EntityType, Guid? EntityId, string? Actor, DateTime? Since, PageRequest Page);

public interface IAuditLog
{
    /// <summary>Entries newest first.</summary>
    Task<Page<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken);
}
