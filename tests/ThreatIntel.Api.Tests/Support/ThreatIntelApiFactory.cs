using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog.Core;
using Serilog.Events;

namespace ThreatIntel.Api.Tests.Support;

/// <summary>
/// Hosts the real service in memory on a fresh SQLite file that the real migrations create; one per test class.
/// </summary>
public class ThreatIntelApiFactory : WebApplicationFactory<Program>
{
    /// <summary>The admin key the service is started with; every client this factory makes sends it.</summary>
    public const string AdminKey = "ti_test-admin-key-0123456789abcdef";

    /// <summary>The name of that key, recorded as the actor of every change the tests make with it.</summary>
    public const string AdminKeyName = "bootstrap-admin";

    /// <summary>A request budget no test reaches unless it means to.</summary>
    private const string GenerousBudget = "1000000";

    private readonly bool _ownsDatabase;
    private readonly CapturedLogEvents _logEvents = new();

    public ThreatIntelApiFactory()
        : this(Path.Combine(Path.GetTempPath(), $"threatintel-api-tests-{Guid.NewGuid():N}.db"), ownsDatabase: true)
    {
    }

    /// <summary>A service on <paramref name="databasePath"/>; only the owner deletes the file when it is disposed.</summary>
    protected ThreatIntelApiFactory(string databasePath, bool ownsDatabase)
    {
        DatabasePath = databasePath;
        _ownsDatabase = ownsDatabase;
    }

    /// <summary>The SQLite file the service uses, so that another instance can share it.</summary>
    public string DatabasePath { get; }

    /// <summary>What the service logged at Warning or above, as its operators would see it.</summary>
    public IReadOnlyCollection<LogEvent> LogEvents => _logEvents.Events;

    /// <summary>Configuration a derived factory adds on top of the test database and quiet logging.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> ExtraSettings => [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:MigrateOnStartup", "true");
        builder.UseSetting("ConnectionStrings:ThreatIntel", $"Data Source={DatabasePath}");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        builder.UseSetting("Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime", "Warning");
        builder.UseSetting("Auth:BootstrapAdminKey", AdminKey);
        builder.UseSetting("Matching:RefreshIntervalSeconds", "0.5");
        foreach (var budget in new[] { "Reads", "Writes", "Feeds", "Events" })
        {
            builder.UseSetting($"RateLimiting:{budget}:PermitLimit", GenerousBudget);
        }

        foreach (var (key, value) in ExtraSettings)
        {
            builder.UseSetting(key, value);
        }

        // The service reads sinks from its services (ReadFrom.Services), so this one sees every event it writes.
        builder.ConfigureServices(services => services.AddSingleton<ILogEventSink>(_logEvents));
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);

        // Migrations run before the host starts, so a missing file means the settings above did not win and the
        // tests would be writing to the developer's database under the content root.
        if (!File.Exists(DatabasePath))
        {
            host.Dispose();
            throw new InvalidOperationException($"The service did not create the test database {DatabasePath}.");
        }

        return host;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();

        // Pooled connections keep the file open; release them before deleting it.
        SqliteConnection.ClearAllPools();
        if (_ownsDatabase)
        {
            foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
            {
                File.Delete(DatabasePath + suffix);
            }
        }

        GC.SuppressFinalize(this);
    }
}

internal sealed class CapturedLogEvents : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyCollection<LogEvent> Events => [.. _events];

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);
}

/// <summary>The service with small body limits, so that 413 responses can be provoked cheaply.</summary>
public sealed class SmallBodyLimitApiFactory : ThreatIntelApiFactory
{
    public const int MaxBodyBytes = 8 * 1024;
    public const int MaxBulkBodyBytes = 64 * 1024;

    protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings =>
    [
        new("RequestLimits:MaxBodyBytes", MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("RequestLimits:MaxBulkBodyBytes", MaxBulkBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];
}

/// <summary>
/// Another instance of the service on the database of a running one, as when several replicas share a database,
/// configured with <paramref name="bootstrapAdminKey"/> (none when null); it leaves the file to its owner.
/// </summary>
public sealed class SharedDatabaseApiFactory(string databasePath, string? bootstrapAdminKey = ThreatIntelApiFactory.AdminKey)
    : ThreatIntelApiFactory(databasePath, ownsDatabase: false)
{
    protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings =>
        [new("Auth:BootstrapAdminKey", bootstrapAdminKey ?? string.Empty)];
}
