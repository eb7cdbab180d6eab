using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using ThreatIntel.Infrastructure.Persistence;

namespace ThreatIntel.Migrations.Sqlite;

/// <summary>Lets <c>dotnet ef</c> build the SQLite model without starting the service.</summary>
public sealed class SqliteDesignTimeDbContextFactory : IDesignTimeDbContextFactory<ThreatIntelDbContext>
{
    public ThreatIntelDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<ThreatIntelDbContext>();
        DatabaseConnection.Resolve(DatabaseProvider.Sqlite, "Data Source=design-time.db", Path.GetTempPath()).Configure(options);
        return new ThreatIntelDbContext(options.Options);
    }
}
