using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace ThreatIntel.Infrastructure.Feeds;

/// <summary>
/// Inserts, updates and deletes rows of one entity's table with one prepared statement executed per row, in the
/// context's current transaction, bypassing the change tracker (which is far too slow for a million rows). Table and
/// column names, value conversions and parameter types all come from the EF Core model, so the statements stay in step
/// with the entity configuration on every provider.
/// </summary>
internal sealed class BulkTable<TEntity>
    where TEntity : class
{
    private readonly DbContext db;
    private readonly ISqlGenerationHelper sql;
    private readonly StoreObjectIdentifier table;
    private readonly IProperty key;

    public BulkTable(DbContext db)
    {
        this.db = db;
        sql = db.GetService<ISqlGenerationHelper>();
        var entityType = db.Model.FindEntityType(typeof(TEntity))
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not in the model.");
        table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        key = entityType.FindPrimaryKey()!.Properties.Single();
        Properties = [.. entityType.GetProperties()];
    }

    public IReadOnlyList<IProperty> Properties { get; }

    public IProperty Property(string name) => Properties.Single(p => p.Name == name);

    /// <summary>Inserts every entity; <paramref name="overrides"/> replaces the values of the properties it names.</summary>
    public Task<int> InsertAsync(
        IEnumerable<TEntity> entities, IReadOnlyDictionary<string, object?> overrides, CancellationToken cancellationToken)
    {
        var columns = string.Join(", ", Properties.Select(Column));
        var parameters = string.Join(", ", Properties.Select((_, i) => ParameterName(i)));
        var getters = Properties.Select(p => p.GetGetter()).ToArray();
        return ExecuteAsync(
            $"INSERT INTO {Table} ({columns}) VALUES ({parameters})",
            Properties,
            entities.Select(entity => Properties
                .Select((p, i) => overrides.TryGetValue(p.Name, out var value) ? value : getters[i].GetClrValueUsingContainingEntity(entity))
                .ToArray()),
            cancellationToken);
    }

    /// <summary>Sets <paramref name="properties"/> of the rows whose key is each row's first value.</summary>
    /// <param name="rows">The key, then one value per property in <paramref name="properties"/>.</param>
    public Task<int> UpdateAsync(IReadOnlyList<string> properties, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        var updated = properties.Select(Property).ToArray();
        var assignments = string.Join(", ", updated.Select((p, i) => $"{Column(p)} = {ParameterName(i + 1)}"));
        return ExecuteAsync(
            $"UPDATE {Table} SET {assignments} WHERE {Column(key)} = {ParameterName(0)}",
            [key, .. updated],
            rows,
            cancellationToken);
    }

    public Task<int> DeleteAsync(IEnumerable<Guid> keys, CancellationToken cancellationToken) =>
        ExecuteAsync(
            $"DELETE FROM {Table} WHERE {Column(key)} = {ParameterName(0)}",
            [key],
            keys.Select(id => new object?[] { id }),
            cancellationToken);

    private string Table => sql.DelimitIdentifier(table.Name, table.Schema);

    private string Column(IProperty property) => sql.DelimitIdentifier(property.GetColumnName(table)!);

    private string ParameterName(int index) => sql.GenerateParameterNamePlaceholder($"p{index}");

    private async Task<int> ExecuteAsync(
        string commandText, IReadOnlyList<IProperty> parameterProperties, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Bulk writes run inside the push's transaction.");
        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = commandText;
        var mappings = parameterProperties.Select(p => (RelationalTypeMapping)p.GetRelationalTypeMapping()).ToArray();
        var affected = 0;
        var prepared = false;
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            command.Parameters.Clear();
            for (var i = 0; i < mappings.Length; i++)
            {
                command.Parameters.Add(mappings[i].CreateParameter(command, sql.GenerateParameterName($"p{i}"), row[i], parameterProperties[i].IsNullable));
            }

            if (!prepared)
            {
                await command.PrepareAsync(cancellationToken);
                prepared = true;
            }

            affected += await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return affected;
    }
}
