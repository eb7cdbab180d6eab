using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ThreatIntel.Infrastructure.Persistence;

/// <summary>The provider and the connection string resolved once from configuration.</summary>
public sealed record DatabaseConnection(DatabaseProvider Provider, string ConnectionString)
{
    // Each provider's migrations live in their own assembly (the EF Core "two migration assemblies" pattern).
    public const string SqliteMigrationsAssembly = "ThreatIntel.Migrations.Sqlite";
    public const string SqlServerMigrationsAssembly = "ThreatIntel.Migrations.SqlServer";

    public static DatabaseConnection Resolve(DatabaseProvider provider, string? connectionString, string contentRootPath) =>
        provider switch
        {
            DatabaseProvider.SqlServer when string.IsNullOrWhiteSpace(connectionString) => throw new InvalidOperationException(
                $"Database:Provider is SqlServer but ConnectionStrings:{DatabaseOptions.ConnectionStringName} is not set."),
            DatabaseProvider.SqlServer => new DatabaseConnection(provider, connectionString!),
            DatabaseProvider.Sqlite => new DatabaseConnection(provider, ResolveSqliteFile(
                string.IsNullOrWhiteSpace(connectionString) ? DatabaseOptions.DefaultSqliteConnectionString : connectionString,
                contentRootPath)),
            _ => throw new InvalidOperationException($"Unknown Database:Provider '{provider}'."),
        };

    public void Configure(DbContextOptionsBuilder builder)
    {
        if (Provider == DatabaseProvider.SqlServer)
        {
            builder.UseSqlServer(ConnectionString, sql => sql.MigrationsAssembly(SqlServerMigrationsAssembly));
        }
        else
        {
            SqliteLibrary.EnsureConfigured();
            builder.UseSqlite(ConnectionString, sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly));
        }
    }

    private static string ResolveSqliteFile(string connectionString, string contentRootPath)
    {
        var sqlite = new SqliteConnectionStringBuilder(connectionString);
        if (sqlite.Mode == SqliteOpenMode.Memory || sqlite.DataSource is "" or ":memory:")
        {
            return sqlite.ToString();
        }

        sqlite.DataSource = Path.GetFullPath(sqlite.DataSource, contentRootPath);
        if (Path.GetDirectoryName(sqlite.DataSource) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        return sqlite.ToString();
    }
}
