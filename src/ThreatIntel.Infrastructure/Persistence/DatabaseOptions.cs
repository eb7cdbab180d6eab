namespace ThreatIntel.Infrastructure.Persistence;

public enum DatabaseProvider
{
    /// <summary>An embedded database file under the content root; the default.</summary>
    Sqlite,

    SqlServer,
}

/// <summary>The <c>Database</c> configuration section.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";
    public const string ConnectionStringName = "ThreatIntel";
    public const string DefaultSqliteConnectionString = "Data Source=threatintel.db";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Applies pending migrations when the service starts.</summary>
    public bool MigrateOnStartup { get; set; } = true;
}
