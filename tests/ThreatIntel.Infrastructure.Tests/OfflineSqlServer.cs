using Microsoft.EntityFrameworkCore;
using ThreatIntel.Infrastructure.Persistence;

namespace ThreatIntel.Infrastructure.Tests;

/// <summary>
/// Context options for the SQL Server provider without a server: the connection string names a host that does not
/// exist, so a test that tried to connect would fail rather than pass against some server by chance.
/// </summary>
internal static class OfflineSqlServer
{
    public static DbContextOptionsBuilder<ThreatIntelDbContext> Options()
    {
        var options = new DbContextOptionsBuilder<ThreatIntelDbContext>();
        DatabaseConnection.Resolve(
                DatabaseProvider.SqlServer,
                "Server=tcp:sqlserver.invalid,1433;Database=ThreatIntel;User Id=unused;Password=unused;Connect Timeout=1",
                Path.GetTempPath())
            .Configure(options);
        return options;
    }
}
