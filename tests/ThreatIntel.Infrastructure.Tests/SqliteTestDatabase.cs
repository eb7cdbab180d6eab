using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ThreatIntel.Infrastructure.Persistence;

namespace ThreatIntel.Infrastructure.Tests;

/// <summary>
/// A SQLite database file of its own in the temp directory, wired up the way the service wires it
/// (<see cref="DependencyInjection.AddThreatIntelPersistence"/> with <c>ConnectionStrings:ThreatIntel</c>), and
/// deleted, with its WAL side files, when disposed.
/// </summary>
public sealed class SqliteTestDatabase : IDisposable
{
    private readonly ServiceProvider _services;

    public SqliteTestDatabase()
    {
        FilePath = Path.Combine(Path.GetTempPath(), $"threatintel-tests-{Guid.NewGuid():N}.db");
        ConnectionString = $"Data Source={FilePath}";

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"ConnectionStrings:{DatabaseOptions.ConnectionStringName}"] = ConnectionString,
            })
            .Build();
        _services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddThreatIntelPersistence(Path.GetTempPath())
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    public string FilePath { get; }

    public string ConnectionString { get; }

    /// <summary>The service's root provider, as the host would pass it to the database initializer.</summary>
    public IServiceProvider Services => _services;

    /// <summary>A scope with a fresh <see cref="ThreatIntelDbContext"/>, so nothing is answered from a change tracker.</summary>
    public AsyncServiceScope CreateScope() => _services.CreateAsyncScope();

    /// <summary>A context outside the service's container, for applying migrations directly.</summary>
    public ThreatIntelDbContext CreateContext()
    {
        var options = new DbContextOptionsBuilder<ThreatIntelDbContext>();
        DatabaseConnection.Resolve(DatabaseProvider.Sqlite, ConnectionString, Path.GetTempPath()).Configure(options);
        return new ThreatIntelDbContext(options.Options);
    }

    /// <summary>Runs one scalar query on a plain connection, as a DBA at the sqlite3 prompt would.</summary>
    public object? QueryScalar(string sql)
    {
        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>Runs a query on a plain connection and returns every row as column name → value.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> QueryRows(string sql)
    {
        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<IReadOnlyDictionary<string, object?>>();
        while (reader.Read())
        {
            var row = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public void Dispose()
    {
        _services.Dispose();

        // Pooled connections keep the file open; release them so that the file can be deleted.
        SqliteConnection.ClearAllPools();
        foreach (var path in new[] { FilePath, FilePath + "-wal", FilePath + "-shm" })
        {
            File.Delete(path);
        }
    }
}
