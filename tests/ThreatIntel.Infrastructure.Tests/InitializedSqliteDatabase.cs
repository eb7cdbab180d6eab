using ThreatIntel.Infrastructure.Persistence;

namespace ThreatIntel.Infrastructure.Tests;

/// <summary>
/// A class fixture: an empty file brought up by the service's own start-up path
/// (<see cref="DatabaseInitializer.InitializeDatabaseAsync"/>), as the repositories find it in production.
/// </summary>
public sealed class InitializedSqliteDatabase : IAsyncLifetime, IDisposable
{
    public SqliteTestDatabase Database { get; } = new();

    public Task InitializeAsync() => Database.Services.InitializeDatabaseAsync(CancellationToken.None);

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => Database.Dispose();
}
