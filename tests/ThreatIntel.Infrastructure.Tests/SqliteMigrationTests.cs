using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Infrastructure.Persistence;

namespace ThreatIntel.Infrastructure.Tests;

/// <summary>The real SQLite migrations, applied with <c>Database.Migrate()</c> to a file of this class's own.</summary>
public sealed class SqliteMigrationTests(SqliteMigrationTests.MigratedDatabase fixture)
    : IClassFixture<SqliteMigrationTests.MigratedDatabase>
{
    // SQLITE_CONSTRAINT_UNIQUE, the extended result code of a unique index violation.
    private const int SqliteConstraintUnique = 2067;

    private readonly SqliteTestDatabase _database = fixture.Database;

    [Fact]
    public void SqliteMigrations_AreUpToDateWithTheModel()
    {
        using var context = _database.CreateContext();

        Assert.Equal(
            DatabaseConnection.SqliteMigrationsAssembly,
            context.GetService<IMigrationsAssembly>().Assembly.GetName().Name);
        Assert.False(
            context.Database.HasPendingModelChanges(),
            "The model has changed since the last SQLite migration; add one to ThreatIntel.Migrations.Sqlite.");
    }

    [Fact]
    public void Migrate_AppliesEveryMigration_AndCreatesBothTables()
    {
        using var context = _database.CreateContext();

        Assert.NotEmpty(context.Database.GetMigrations());
        Assert.Equal(context.Database.GetMigrations(), context.Database.GetAppliedMigrations());
        Assert.Empty(context.Database.GetPendingMigrations());

        var tables = _database.QueryRows("SELECT name FROM sqlite_master WHERE type = 'table'")
            .Select(row => (string)row["name"]!);
        Assert.Contains("AlertDefinitions", tables);
        Assert.Contains("Iocs", tables);
    }

    [Fact]
    public void IocsForeignKey_ReferencesAlertDefinitions_WithOnDeleteCascade()
    {
        var foreignKey = Assert.Single(_database.QueryRows("PRAGMA foreign_key_list(Iocs)"));

        Assert.Equal("AlertDefinitions", foreignKey["table"]);
        Assert.Equal("AlertDefinitionId", foreignKey["from"]);
        Assert.Equal("Id", foreignKey["to"]);
        Assert.Equal("CASCADE", foreignKey["on_delete"]);
    }

    [Fact]
    public void Iocs_HaveAUniqueIndexOnDefinitionTypeActionAndValueHash_AndALookUpIndexOnTypeAndValueHash()
    {
        var indexes = _database.QueryRows("PRAGMA index_list(Iocs)")
            .ToDictionary(row => (string)row["name"]!, row => (long)row["unique"]!);

        Assert.Equal(1, indexes["UX_Iocs_AlertDefinitionId_Type_Action_ValueHash"]);
        Assert.Equal(
            ["AlertDefinitionId", "Type", "Action", "ValueHash"],
            IndexColumns("UX_Iocs_AlertDefinitionId_Type_Action_ValueHash"));

        Assert.Equal(0, indexes["IX_Iocs_Type_ValueHash"]);
        Assert.Equal(["Type", "ValueHash"], IndexColumns("IX_Iocs_Type_ValueHash"));
    }

    [Fact]
    public void AlertDefinitions_HaveAUniqueIndexOnTheNormalizedName()
    {
        var index = Assert.Single(
            _database.QueryRows("PRAGMA index_list(AlertDefinitions)"),
            row => (string)row["name"]! == "IX_AlertDefinitions_NormalizedName");

        Assert.Equal(1L, index["unique"]);
        Assert.Equal(["NormalizedName"], IndexColumns("IX_AlertDefinitions_NormalizedName"));
    }

    [Fact]
    public async Task DatabaseInitializer_SwitchesTheFileToWriteAheadLogging()
    {
        // EF Core already creates new files in WAL mode; a file that came from elsewhere (the sqlite3 shell, a restore)
        // has SQLite's default rollback journal, and that is the file the initializer has to switch.
        Assert.Equal("delete", _database.QueryScalar("PRAGMA journal_mode = DELETE"));

        await _database.Services.InitializeDatabaseAsync(CancellationToken.None);

        // The mode is kept in the file, so a new connection sees it too.
        SqliteConnection.ClearAllPools();
        Assert.Equal("wal", _database.QueryScalar("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task DeletingADefinitionWithSql_DeletesItsIocs_ThroughTheForeignKey()
    {
        var definition = TestData.Definition(TestData.UniqueName("Cascade"));
        definition.AddIoc(TestData.Ioc(IocType.DomainName, IocAction.Equals, "cascade-1.example"), DateTime.UtcNow);
        definition.AddIoc(TestData.Ioc(IocType.DomainName, IocAction.Equals, "cascade-2.example"), DateTime.UtcNow);
        await using (var scope = _database.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ThreatIntelDbContext>();
            db.AlertDefinitions.Add(definition);
            await db.SaveChangesAsync();
        }

        await using (var scope = _database.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ThreatIntelDbContext>();
            Assert.Equal(2, await db.Iocs.CountAsync(i => i.AlertDefinitionId == definition.Id));

            // Plain SQL with no IOC loaded: only the database can remove them.
            var deleted = await db.Database.ExecuteSqlAsync(
                $"DELETE FROM AlertDefinitions WHERE NormalizedName = {definition.NormalizedName}");
            Assert.Equal(1, deleted);
        }

        await using (var scope = _database.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ThreatIntelDbContext>();
            Assert.Equal(0, await db.Iocs.CountAsync(i => i.AlertDefinitionId == definition.Id));
        }
    }

    [Fact]
    public async Task InsertingTheSameDefinitionTypeActionAndValueHashTwice_ThrowsDbUpdateException()
    {
        var definition = TestData.Definition(TestData.UniqueName("Duplicates"));
        definition.AddIoc(TestData.Ioc(IocType.FileName, IocAction.Equals, "mimikatz.exe"), DateTime.UtcNow);
        await using (var scope = _database.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ThreatIntelDbContext>();
            db.AlertDefinitions.Add(definition);
            await db.SaveChangesAsync();
        }

        // File names compare ignoring case, so the upper-cased name has the same value hash: the index must refuse it,
        // as it would a request that raced past the repository's duplicate check.
        await using (var scope = _database.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ThreatIntelDbContext>();
            db.Iocs.Add(Ioc.Create(
                definition, TestData.Ioc(IocType.FileName, IocAction.Equals, "MIMIKATZ.EXE"), DateTime.UtcNow));

            var exception = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            var sqliteException = Assert.IsType<SqliteException>(exception.InnerException);
            Assert.Equal(SqliteConstraintUnique, sqliteException.SqliteExtendedErrorCode);
        }

        // The same value under another action is a different IOC.
        await using (var scope = _database.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ThreatIntelDbContext>();
            db.Iocs.Add(Ioc.Create(
                definition, TestData.Ioc(IocType.FileName, IocAction.Contains, "mimikatz.exe"), DateTime.UtcNow));
            await db.SaveChangesAsync();
            Assert.Equal(2, await db.Iocs.CountAsync(i => i.AlertDefinitionId == definition.Id));
        }
    }

    [Fact]
    public async Task ValueHash_IsStoredAsA32ByteBlob()
    {
        var definition = TestData.Definition(TestData.UniqueName("Hash storage"));
        definition.AddIoc(TestData.Ioc(IocType.IpAddress, IocAction.Equals, "192.0.2.10"), DateTime.UtcNow);
        await using (var scope = _database.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ThreatIntelDbContext>();
            db.AlertDefinitions.Add(definition);
            await db.SaveChangesAsync();
        }

        var row = Assert.Single(_database.QueryRows(
            $"SELECT typeof(ValueHash) AS kind, length(ValueHash) AS bytes FROM Iocs WHERE Value = '192.0.2.10'"));
        Assert.Equal("blob", row["kind"]);
        Assert.Equal(32L, row["bytes"]);
    }

    private List<string> IndexColumns(string indexName) =>
        _database.QueryRows($"PRAGMA index_info({indexName})")
            .OrderBy(row => (long)row["seqno"]!)
            .Select(row => (string)row["name"]!)
            .ToList();

    /// <summary>A fresh file with the SQLite migrations applied by <c>Database.Migrate()</c>.</summary>
    public sealed class MigratedDatabase : IDisposable
    {
        public MigratedDatabase()
        {
            using var context = Database.CreateContext();
            context.Database.Migrate();
        }

        public SqliteTestDatabase Database { get; } = new();

        public void Dispose() => Database.Dispose();
    }
}
