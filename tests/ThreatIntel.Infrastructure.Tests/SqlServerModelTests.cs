using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using ThreatIntel.Core;
using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Infrastructure.Persistence;

namespace ThreatIntel.Infrastructure.Tests;

/// <summary>
/// The SQL Server schema, proven without a server: the model and the migrations are rendered to T-SQL offline
/// (<see cref="OfflineSqlServer"/>).
/// </summary>
public sealed partial class SqlServerModelTests : IDisposable
{
    // SQL Server refuses to insert a row whose non-clustered index key is longer than this.
    private const int SqlServerNonClusteredKeyLimitBytes = 1700;

    // ... and for the clustered index, which the primary key is by default.
    private const int SqlServerClusteredKeyLimitBytes = 900;

    private readonly ThreatIntelDbContext _context;
    private readonly IModel _model;

    public SqlServerModelTests()
    {
        var options = OfflineSqlServer.Options();
        _context = new ThreatIntelDbContext(options.Options);

        // The design-time model keeps every annotation (column types, index names) that the runtime model drops.
        _model = _context.GetService<IDesignTimeModel>().Model;
    }

    public void Dispose() => _context.Dispose();

    [Fact]
    public void Context_IsConfiguredForSqlServer_WithTheSqlServerMigrationsAssembly()
    {
        Assert.True(_context.Database.IsSqlServer());
        Assert.Equal(
            DatabaseConnection.SqlServerMigrationsAssembly,
            _context.GetService<IMigrationsAssembly>().Assembly.GetName().Name);
        Assert.NotEmpty(_context.Database.GetMigrations());
    }

    [Fact]
    public void DeletingAnAlertDefinition_CascadesToItsIocs_InTheDatabase()
    {
        var foreignKey = Assert.Single(Entity<Ioc>().GetForeignKeys());

        Assert.Equal(typeof(AlertDefinition), foreignKey.PrincipalEntityType.ClrType);
        Assert.Equal([nameof(Ioc.AlertDefinitionId)], foreignKey.Properties.Select(p => p.Name));
        Assert.Equal([nameof(AlertDefinition.Id)], foreignKey.PrincipalKey.Properties.Select(p => p.Name));
        Assert.True(foreignKey.IsRequired);
        Assert.Equal(DeleteBehavior.Cascade, foreignKey.DeleteBehavior);

        var constraint = Assert.Single(foreignKey.GetMappedConstraints());
        Assert.Equal(ReferentialAction.Cascade, constraint.OnDeleteAction);

        // An index leads with the foreign key, so the cascade and a definition's IOC listing seek instead of scanning.
        Assert.Contains(Entity<Ioc>().GetIndexes(), index => index.Properties[0] == foreignKey.Properties[0]);
    }

    [Fact]
    public void Iocs_AreUniquePerDefinitionTypeActionAndValueHash()
    {
        var index = FindIndex<Ioc>(
            nameof(Ioc.AlertDefinitionId), nameof(Ioc.Type), nameof(Ioc.Action), nameof(Ioc.ValueHash));

        Assert.True(index.IsUnique);
        Assert.Equal("UX_Iocs_AlertDefinitionId_Type_Action_ValueHash", index.GetDatabaseName());

        // Every key column is NOT NULL, so SQL Server needs no filter and no two NULL rows can slip past the index.
        Assert.Null(index.GetFilter());
        Assert.All(index.Properties, property => Assert.False(property.IsNullable));
    }

    [Fact]
    public void ValueLookUps_HaveAnIndexOnTypeAndValueHash()
    {
        var index = FindIndex<Ioc>(nameof(Ioc.Type), nameof(Ioc.ValueHash));

        Assert.False(index.IsUnique);
        Assert.Equal("IX_Iocs_Type_ValueHash", index.GetDatabaseName());
    }

    [Fact]
    public void AlertDefinitionNames_AreUniqueThroughTheNormalizedName()
    {
        var index = FindIndex<AlertDefinition>(nameof(AlertDefinition.NormalizedName));

        Assert.True(index.IsUnique);
        Assert.Null(index.GetFilter());
        Assert.False(index.Properties[0].IsNullable);
    }

    [Theory]
    [InlineData(nameof(AlertDefinition.Name), "nvarchar(200)", FieldLimits.DefinitionNameMaxLength)]
    [InlineData(nameof(AlertDefinition.NormalizedName), "nvarchar(200)", FieldLimits.DefinitionNameMaxLength)]
    [InlineData(nameof(AlertDefinition.Description), "nvarchar(4000)", FieldLimits.DefinitionDescriptionMaxLength)]
    [InlineData(nameof(AlertDefinition.Category), "nvarchar(100)", FieldLimits.CategoryMaxLength)]
    [InlineData(nameof(AlertDefinition.RecommendedActions), "nvarchar(4000)", FieldLimits.RecommendedActionsMaxLength)]
    [InlineData(nameof(AlertDefinition.Source), "nvarchar(100)", FieldLimits.SourceMaxLength)]
    [InlineData(nameof(AlertDefinition.CreatedBy), "nvarchar(100)", FieldLimits.ActorMaxLength)]
    [InlineData(nameof(AlertDefinition.UpdatedBy), "nvarchar(100)", FieldLimits.ActorMaxLength)]
    public void AlertDefinitionTextColumns_HoldWhatTheApiAccepts(string propertyName, string columnType, int maxLength)
    {
        var property = Entity<AlertDefinition>().GetProperty(propertyName);

        Assert.Equal(maxLength, property.GetMaxLength());
        Assert.Equal($"nvarchar({maxLength})", property.GetColumnType());
        Assert.Equal(columnType, property.GetColumnType());
    }

    [Theory]
    [InlineData(nameof(Ioc.Value), "nvarchar(2048)", FieldLimits.IocValueMaxLength)]
    [InlineData(nameof(Ioc.Description), "nvarchar(1000)", FieldLimits.IocDescriptionMaxLength)]
    [InlineData(nameof(Ioc.Source), "nvarchar(100)", FieldLimits.SourceMaxLength)]
    [InlineData(nameof(Ioc.Type), "nvarchar(32)", FieldLimits.EnumMaxLength)]
    [InlineData(nameof(Ioc.Action), "nvarchar(32)", FieldLimits.EnumMaxLength)]
    public void IocTextColumns_HoldWhatTheApiAccepts(string propertyName, string columnType, int maxLength)
    {
        var property = Entity<Ioc>().GetProperty(propertyName);

        Assert.Equal(maxLength, property.GetMaxLength());
        Assert.Equal($"nvarchar({maxLength})", property.GetColumnType());
        Assert.Equal(columnType, property.GetColumnType());
    }

    [Fact]
    public void IocTypeAndAction_AreStoredAsTheirNames_AndEveryNameFits()
    {
        foreach (var (propertyName, names) in new[]
                 {
                     (nameof(Ioc.Type), Enum.GetNames<IocType>()),
                     (nameof(Ioc.Action), Enum.GetNames<IocAction>()),
                 })
        {
            var property = Entity<Ioc>().GetProperty(propertyName);
            Assert.Equal(typeof(string), property.GetProviderClrType());
            Assert.All(names, name => Assert.InRange(name.Length, 1, property.GetMaxLength()!.Value));
        }
    }

    [Fact]
    public void ValueHash_IsAFixedLengthSha256()
    {
        var property = Entity<Ioc>().GetProperty(nameof(Ioc.ValueHash));

        Assert.Equal(FieldLimits.ValueHashLength, property.GetMaxLength());
        Assert.True(property.IsFixedLength());
        Assert.False(property.IsNullable);
        Assert.Equal($"binary({FieldLimits.ValueHashLength})", property.GetColumnType());
        Assert.Equal(
            FieldLimits.ValueHashLength,
            IocValueKey.Compute(IocType.DomainName, IocAction.Equals, "example.com").Length);
    }

    [Fact]
    public void IdsAndVersions_AreUniqueidentifiers_TimesAreDatetime2_SeverityIsInt()
    {
        var definition = Entity<AlertDefinition>();
        var ioc = Entity<Ioc>();

        Assert.All(
            new[]
            {
                definition.GetProperty(nameof(AlertDefinition.Id)),
                definition.GetProperty(nameof(AlertDefinition.Version)),
                ioc.GetProperty(nameof(Ioc.Id)),
                ioc.GetProperty(nameof(Ioc.AlertDefinitionId)),
                ioc.GetProperty(nameof(Ioc.Version)),
            },
            property => Assert.Equal("uniqueidentifier", property.GetColumnType()));
        Assert.All(
            new[]
            {
                definition.GetProperty(nameof(AlertDefinition.CreatedAt)),
                definition.GetProperty(nameof(AlertDefinition.UpdatedAt)),
                ioc.GetProperty(nameof(Ioc.CreatedAt)),
                ioc.GetProperty(nameof(Ioc.UpdatedAt)),
                ioc.GetProperty(nameof(Ioc.ExpiresAt)),
            },
            property => Assert.Equal("datetime2", property.GetColumnType()));

        // A number, so that ordering by severity runs Informational < Low < ... < Critical.
        Assert.Equal("int", definition.GetProperty(nameof(AlertDefinition.Severity)).GetColumnType());
    }

    [Fact]
    public void Ids_AreGeneratedByTheApplication_NotByIdentityOrDefaults()
    {
        Assert.All(
            new[] { Entity<AlertDefinition>().FindPrimaryKey()!, Entity<Ioc>().FindPrimaryKey()! },
            key =>
            {
                var id = Assert.Single(key.Properties);
                Assert.Equal(ValueGenerated.Never, id.ValueGenerated);
            });
    }

    [Fact]
    public void EveryIndexKey_FitsSqlServersKeySizeLimit()
    {
        foreach (var entityType in _model.GetEntityTypes())
        {
            foreach (var index in entityType.GetIndexes())
            {
                var bytes = index.Properties.Sum(KeyBytes);
                Assert.True(
                    bytes <= SqlServerNonClusteredKeyLimitBytes,
                    $"{index.GetDatabaseName()} has a key of up to {bytes} bytes; SQL Server allows {SqlServerNonClusteredKeyLimitBytes}.");
            }

            var primaryKey = entityType.FindPrimaryKey()!;
            Assert.InRange(primaryKey.Properties.Sum(KeyBytes), 1, SqlServerClusteredKeyLimitBytes);
        }
    }

    [Fact]
    public void IocValues_AreIndexedThroughTheirHash_BecauseTheValueItselfIsTooLongForAnIndexKey()
    {
        var ioc = Entity<Ioc>();
        var value = ioc.GetProperty(nameof(Ioc.Value));

        // 2048 nvarchar characters take 4096 bytes: a unique index on the value would reject long values at insert.
        Assert.True(KeyBytes(value) > SqlServerNonClusteredKeyLimitBytes);
        Assert.DoesNotContain(ioc.GetIndexes(), index => index.Properties.Contains(value));

        var unique = FindIndex<Ioc>(
            nameof(Ioc.AlertDefinitionId), nameof(Ioc.Type), nameof(Ioc.Action), nameof(Ioc.ValueHash));
        Assert.Equal(16 + (2 * 32) + (2 * 32) + 32, unique.Properties.Sum(KeyBytes));
    }

    [Fact]
    public void CreateScript_HasTheCascadeForeignKeyAndUniqueIndexes()
    {
        var script = _context.Database.GenerateCreateScript();

        Assert.Contains(
            "CONSTRAINT [FK_Iocs_AlertDefinitions_AlertDefinitionId] FOREIGN KEY ([AlertDefinitionId]) "
            + "REFERENCES [AlertDefinitions] ([Id]) ON DELETE CASCADE",
            script);
        Assert.Contains(
            "CREATE UNIQUE INDEX [UX_Iocs_AlertDefinitionId_Type_Action_ValueHash] ON [Iocs] "
            + "([AlertDefinitionId], [Type], [Action], [ValueHash]);",
            script);
        Assert.Contains("CREATE INDEX [IX_Iocs_Type_ValueHash] ON [Iocs] ([Type], [ValueHash]);", script);
        Assert.Contains(
            "CREATE UNIQUE INDEX [IX_AlertDefinitions_NormalizedName] ON [AlertDefinitions] ([NormalizedName]);", script);
        Assert.Contains("[Value] nvarchar(2048) NOT NULL,", script);
        Assert.Contains("[ValueHash] binary(32) NOT NULL,", script);
    }

    [Fact]
    public void SqlServerMigrations_AreUpToDateWithTheModel()
    {
        Assert.False(
            _context.Database.HasPendingModelChanges(),
            "The model has changed since the last SQL Server migration; add one to ThreatIntel.Migrations.SqlServer.");
    }

    [Fact]
    public void SqlServerMigrationScript_CreatesTheSameSchemaAsTheModel()
    {
        var migrationScript = _context.GetService<IMigrator>().GenerateScript();

        // Every table, constraint and index the model asks for is created, word for word, by the migrations.
        var createStatements = Statements(_context.Database.GenerateCreateScript());
        Assert.Contains(createStatements, s => s.StartsWith("CREATE TABLE [AlertDefinitions]", StringComparison.Ordinal));
        Assert.Contains(createStatements, s => s.StartsWith("CREATE TABLE [Iocs]", StringComparison.Ordinal));
        Assert.Contains(createStatements, s => s.StartsWith("CREATE UNIQUE INDEX", StringComparison.Ordinal));
        Assert.All(createStatements, statement => Assert.Contains(statement, migrationScript));

        Assert.Contains("ON DELETE CASCADE", migrationScript);
        Assert.Contains("CREATE UNIQUE INDEX [UX_Iocs_AlertDefinitionId_Type_Action_ValueHash]", migrationScript);
        Assert.Contains("CREATE UNIQUE INDEX [IX_AlertDefinitions_NormalizedName]", migrationScript);
    }

    [Fact]
    public void IdempotentSqlServerMigrationScript_GuardsEveryMigrationWithTheHistoryTable()
    {
        var script = _context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        foreach (var migration in _context.Database.GetMigrations())
        {
            Assert.Contains(
                $"IF NOT EXISTS (\n    SELECT * FROM [__EFMigrationsHistory]\n    WHERE [MigrationId] = N'{migration}'\n)",
                script.ReplaceLineEndings("\n"));
        }

        Assert.Contains("CREATE TABLE [Iocs]", script);
        Assert.Contains("ON DELETE CASCADE", script);
        Assert.Contains("CREATE UNIQUE INDEX [UX_Iocs_AlertDefinitionId_Type_Action_ValueHash]", script);
        Assert.Contains("CREATE UNIQUE INDEX [IX_AlertDefinitions_NormalizedName]", script);
    }

    private IEntityType Entity<T>() => _model.FindEntityType(typeof(T))!;

    private IIndex FindIndex<T>(params string[] propertyNames) =>
        Assert.Single(
            Entity<T>().GetIndexes(),
            index => index.Properties.Select(p => p.Name).SequenceEqual(propertyNames));

    /// <summary>The most bytes SQL Server stores for one value of the property's column in an index key.</summary>
    private static int KeyBytes(IProperty property)
    {
        var columnType = property.GetColumnType();
        var sized = SizedColumnType().Match(columnType);
        if (sized.Success)
        {
            Assert.NotEqual("max", sized.Groups["length"].Value);
            var length = int.Parse(sized.Groups["length"].Value, System.Globalization.CultureInfo.InvariantCulture);
            return sized.Groups["kind"].Value is "nvarchar" or "nchar" ? 2 * length : length;
        }

        return columnType switch
        {
            "uniqueidentifier" => 16,
            "datetime2" => 8,
            "bigint" => 8,
            "int" => 4,
            "bit" => 1,
            _ => throw new NotSupportedException($"Add the key size of '{columnType}' ({property.Name}) to this test."),
        };
    }

    /// <summary>The T-SQL statements of a script, without batch separators and trailing semicolons.</summary>
    private static List<string> Statements(string script) =>
        BatchSeparator().Split(script.ReplaceLineEndings("\n"))
            .Select(batch => batch.Trim().TrimEnd(';'))
            .Where(statement => statement.Length > 0)
            .ToList();

    [GeneratedRegex(@"^GO$", RegexOptions.Multiline)]
    private static partial Regex BatchSeparator();

    [GeneratedRegex(@"^(?<kind>n?varchar|n?char|varbinary|binary)\((?<length>\d+|max)\)$")]
    private static partial Regex SizedColumnType();
}
