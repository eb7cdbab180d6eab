using Microsoft.EntityFrameworkCore;
using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Alerts;
using ThreatIntel.Core.ApiKeys;
using ThreatIntel.Core.Auditing;
using ThreatIntel.Core.Feeds;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Webhooks;
using ThreatIntel.Infrastructure.Matching;

namespace ThreatIntel.Infrastructure.Persistence;

public sealed class ThreatIntelDbContext(DbContextOptions<ThreatIntelDbContext> options) : DbContext(options)
{
    private bool? isSqlite;

    /// <summary>
    /// Whether this context runs on SQLite. Kept because <c>Database.IsSqlite()</c> reads the provider's assembly name
    /// by reflection on every call, which showed in the profile of look-ups; a (pooled) context never changes provider.
    /// </summary>
    internal bool IsSqlite => isSqlite ??= Database.IsSqlite();

    public DbSet<AlertDefinition> AlertDefinitions => Set<AlertDefinition>();

    public DbSet<Ioc> Iocs => Set<Ioc>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();

    public DbSet<Alert> Alerts => Set<Alert>();

    public DbSet<Feed> Feeds => Set<Feed>();

    public DbSet<AlertChange> AlertChanges => Set<AlertChange>();

    public DbSet<Webhook> Webhooks => Set<Webhook>();

    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    internal DbSet<MatchingState> MatchingState => Set<MatchingState>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ThreatIntelDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every time is stored as UTC; the converter restores DateTimeKind.Utc so JSON carries the 'Z'.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }
}
