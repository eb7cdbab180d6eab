using Microsoft.EntityFrameworkCore;
using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Infrastructure.Persistence;

public sealed class ThreatIntelDbContext(DbContextOptions<ThreatIntelDbContext> options) : DbContext(options)
{
    public DbSet<AlertDefinition> AlertDefinitions => Set<AlertDefinition>();

    public DbSet<Ioc> Iocs => Set<Ioc>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ThreatIntelDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every time is stored as UTC; the converter restores DateTimeKind.Utc so JSON carries the 'Z'.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }
}
