using Microsoft.EntityFrameworkCore;
using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Infrastructure.Persistence;

namespace ThreatIntel.Infrastructure.Tests;

/// <summary>
/// Feed pushes insert through SqlBulkCopy on SQL Server, which maps columns by name and takes values as the provider
/// stores them. No server runs here, so these check what would be sent: every column of the table, each value already
/// converted the way EF Core would write it.
/// </summary>
public sealed class SqlServerBulkCopyTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 12, 3, 12, 0, 0, DateTimeKind.Utc);
    private readonly ThreatIntelDbContext _context;

    public SqlServerBulkCopyTests()
    {
        var options = OfflineSqlServer.Options();
        _context = new ThreatIntelDbContext(options.Options);
    }

    public void Dispose() => _context.Dispose();

    [Fact]
    public void Ioc_rows_carry_every_column_with_enums_as_names_and_the_value_hash_as_bytes()
    {
        var definition = TestData.Definition("bulk");
        var ioc = Ioc.Create(definition, TestData.Ioc(IocType.FileSha1, IocAction.Equals, new string('a', 40)), Now);
        var table = new BulkTable<Ioc>(_context);

        using var data = table.ProviderTable([Row(table, ioc)]);

        var columns = data.Columns.Cast<System.Data.DataColumn>().Select(c => c.ColumnName).ToHashSet();
        var expected = _context.Model.FindEntityType(typeof(Ioc))!.GetProperties().Select(p => p.GetColumnName()).ToHashSet();
        Assert.Equal(expected, columns);
        var row = data.Rows[0];
        Assert.Equal("FileSha1", row["Type"]);
        Assert.Equal("Equals", row["Action"]);
        Assert.Equal(ioc.ValueHash, row["ValueHash"]);
        Assert.Equal(ioc.Id, row["Id"]);
        Assert.Equal(DBNull.Value, row["ExpiresAt"]);
        Assert.Equal(Now, row["CreatedAt"]);
    }

    [Fact]
    public void Definition_rows_store_lists_as_json_and_severity_as_its_number()
    {
        var definition = AlertDefinition.Create(
            new AlertDefinitionMetadata("bulk definition", null, Severity.High, null, ["T1059.001"], null, ["emotet"], true), Now, "feed-a");
        var table = new BulkTable<AlertDefinition>(_context);

        using var data = table.ProviderTable([Row(table, definition)]);

        var row = data.Rows[0];
        Assert.Equal("[\"T1059.001\"]", row["MitreTechniques"]);
        Assert.Equal("[\"emotet\"]", row["Tags"]);
        Assert.Equal((int)Severity.High, Convert.ToInt32(row["Severity"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("feed-a", row["Source"]);
        Assert.Equal("BULK DEFINITION", row["NormalizedName"]);
    }

    private static object?[] Row<T>(BulkTable<T> table, T entity)
        where T : class =>
        [.. table.Properties.Select(p => p.GetGetter().GetClrValueUsingContainingEntity(entity))];
}
