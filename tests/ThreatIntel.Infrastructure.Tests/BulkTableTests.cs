using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Alerts;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Persistence;
using ThreatIntel.Infrastructure.Persistence;

namespace ThreatIntel.Infrastructure.Tests;

/// <summary>
/// The prepared-statement writes the alert writer uses on SQLite, against a migrated file: updates keep EF Core's
/// optimistic concurrency, and inserts hand back the keys the database assigned.
/// </summary>
public sealed class BulkTableTests : IClassFixture<InitializedSqliteDatabase>
{
    private readonly SqliteTestDatabase _database;

    public BulkTableTests(InitializedSqliteDatabase fixture) => _database = fixture.Database;

    [Fact]
    public async Task An_update_of_a_row_changed_since_it_was_read_throws_and_its_transaction_writes_none_of_the_rows()
    {
        var current = await RaiseAsync("host-current");
        var stale = await RaiseAsync("host-stale");

        await using (var scope = _database.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ThreatIntelDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var update = new BulkTable<Alert>(db).UpdateUnchangedAsync(
                [nameof(Alert.Occurrences)],
                nameof(Alert.Version),
                [[current.Id, 10, current.Version], [stale.Id, 10, Guid.NewGuid()]],
                CancellationToken.None);

            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => update);
        }

        Assert.Equal(1, (await FindAsync(current.Id)).Occurrences);
        Assert.Equal(1, (await FindAsync(stale.Id)).Occurrences);
    }

    [Fact]
    public async Task An_update_of_unchanged_rows_sets_the_named_properties()
    {
        var alert = await RaiseAsync("host-unchanged");
        var newVersion = Guid.NewGuid();

        await using (var scope = _database.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ThreatIntelDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var updated = await new BulkTable<Alert>(db).UpdateUnchangedAsync(
                [nameof(Alert.Occurrences), nameof(Alert.Version)],
                nameof(Alert.Version),
                [[alert.Id, 7, newVersion, alert.Version]],
                CancellationToken.None);
            await transaction.CommitAsync();
            Assert.Equal(1, updated);
        }

        var stored = await FindAsync(alert.Id);
        Assert.Equal((7, newVersion), (stored.Occurrences, stored.Version));
    }

    [Fact]
    public async Task Inserted_rows_carry_the_keys_the_database_assigned_them()
    {
        var alert = await RaiseAsync("host-changes");
        var changes = Enumerable.Range(0, 3)
            .Select(i => AlertChange.Of(alert, AlertChangeKind.Aggregated, DateTime.UtcNow.AddSeconds(i)))
            .ToList();

        await using (var scope = _database.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ThreatIntelDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await new BulkTable<AlertChange>(db).InsertWithGeneratedKeysAsync(changes, CancellationToken.None);
            await transaction.CommitAsync();
        }

        await using (var scope = _database.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ThreatIntelDbContext>();
            var stored = await db.AlertChanges.AsNoTracking().Where(c => c.AlertId == alert.Id && c.Kind == AlertChangeKind.Aggregated)
                .OrderBy(c => c.Sequence).Select(c => new { c.Sequence, c.At }).ToListAsync();
            Assert.Equal(changes.Select(c => c.Sequence), stored.Select(s => s.Sequence));
            Assert.Equal(changes.Select(c => c.At), stored.Select(s => s.At));
            Assert.All(changes, c => Assert.True(c.Sequence > 0));
        }
    }

    private async Task<Alert> RaiseAsync(string deviceId)
    {
        var match = new AlertMatch(
            Guid.NewGuid(), "Definition", Severity.High, Guid.NewGuid(), IocType.FileSha1, IocAction.Equals,
            "92cfceb39d57d914ed8b14d0e37643de0797ae56", "92cfceb39d57d914ed8b14d0e37643de0797ae56", deviceId, null, 1);
        await using var scope = _database.CreateScope();
        var raised = await scope.ServiceProvider.GetRequiredService<IAlertRepository>()
            .RaiseAsync([match], DateTime.UtcNow, CancellationToken.None);
        return await FindAsync(raised.AlertIds[0]);
    }

    private async Task<Alert> FindAsync(Guid id)
    {
        await using var scope = _database.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<IAlertRepository>().FindAsync(id, CancellationToken.None))!;
    }
}
