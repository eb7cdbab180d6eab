using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using ThreatIntel.Infrastructure.Persistence;

namespace ThreatIntel.Migrations.SqlServer;

/// <summary>Lets <c>dotnet ef</c> build the SQL Server model; no server is contacted to add a migration.</summary>
public sealed class SqlServerDesignTimeDbContextFactory : IDesignTimeDbContextFactory<ThreatIntelDbContext>
{
    public ThreatIntelDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<ThreatIntelDbContext>();
        DatabaseConnection.Resolve(DatabaseProvider.SqlServer, "Server=localhost;Database=ThreatIntel;Integrated Security=true;TrustServerCertificate=true", Path.GetTempPath()).Configure(options);
        return new ThreatIntelDbContext(options.Options);
    }
}
