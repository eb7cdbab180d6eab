using System.Data;
using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace ThreatIntel.Infrastructure.Persistence;

/// <summary>
/// Inserts, updates and deletes rows of one entity's table in the context's current transaction, bypassing the change
/// tracker (far too slow for a feed's million rows, and for the alert writer, which runs one writer at a time): on
/// SQLite with one statement prepared once and executed per row (SQLite runs in-process, so a row costs no round trip,
/// and the statement is parsed once, not once per row as a batch of generated statements is), on SQL Server inserts go
/// through <see cref="SqlBulkCopy"/>. Table and column names, value conversions and parameter types all come from the
/// EF Core model, so the statements stay in step with the entity configuration on every provider.
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
        var getters = Properties.Select(p => p.GetGetter()).ToArray();
        var overridden = Properties.Select(p => overrides.TryGetValue(p.Name, out var value) ? (true, value) : (false, null)).ToArray();
        var rows = entities.Select(entity =>
        {
            var row = new object?[getters.Length];
            for (var i = 0; i < getters.Length; i++)
            {
                row[i] = overridden[i].Item1 ? overridden[i].Item2 : getters[i].GetClrValueUsingContainingEntity(entity);
            }

            return row;
        });
        if (db.Database.IsSqlServer())
        {
            return BulkCopyAsync(rows, cancellationToken);
        }

        var columns = string.Join(", ", Properties.Select(Column));
        var parameters = string.Join(", ", Properties.Select((_, i) => ParameterName(i)));
        return ExecuteAsync($"INSERT INTO {Table} ({columns}) VALUES ({parameters})", Properties, rows, ExecuteCount, cancellationToken);
    }

    /// <summary>
    /// Inserts every entity but its key, which the database assigns (SQLite's <c>RETURNING</c>), and sets the key on
    /// each entity from what was assigned.
    /// </summary>
    public Task<int> InsertWithGeneratedKeysAsync(IReadOnlyList<TEntity> entities, CancellationToken cancellationToken)
    {
        var inserted = Properties.Where(p => p != key).ToArray();
        var getters = inserted.Select(p => p.GetGetter()).ToArray();
        var keyProperty = key.PropertyInfo
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name}'s key is not a CLR property.");
        var columns = string.Join(", ", inserted.Select(Column));
        var parameters = string.Join(", ", inserted.Select((_, i) => ParameterName(i)));
        var next = 0;
        return ExecuteAsync(
            $"INSERT INTO {Table} ({columns}) VALUES ({parameters}) RETURNING {Column(key)}",
            inserted,
            entities.Select(entity => getters.Select(getter => getter.GetClrValueUsingContainingEntity(entity)).ToArray()),
            command =>
            {
                var assigned = command.ExecuteScalar()!;
                keyProperty.SetValue(
                    entities[next++], Convert.ChangeType(assigned, key.ClrType, System.Globalization.CultureInfo.InvariantCulture));
                return 1;
            },
            cancellationToken);
    }

    /// <summary>
    /// The rows as the <see cref="DataTable"/> batches <see cref="SqlBulkCopy"/> sends: one column per property, named
    /// after its column, holding the value converted to what the provider stores (enum names, JSON for lists).
    /// </summary>
    public DataTable ProviderTable(IEnumerable<object?[]> rows)
    {
        var mappings = Properties.Select(p => p.GetRelationalTypeMapping()).ToArray();
        var table = new DataTable(this.table.Name) { Locale = System.Globalization.CultureInfo.InvariantCulture };
        for (var i = 0; i < Properties.Count; i++)
        {
            var providerType = mappings[i].Converter?.ProviderClrType ?? Properties[i].ClrType;
            table.Columns.Add(Properties[i].GetColumnName(this.table)!, Nullable.GetUnderlyingType(providerType) ?? providerType);
        }

        foreach (var row in rows)
        {
            table.Rows.Add([.. row.Select((value, i) => ToProvider(mappings[i], value) ?? DBNull.Value)]);
        }

        return table;
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
            ExecuteCount,
            cancellationToken);
    }

    /// <summary>
    /// Sets <paramref name="properties"/> of the rows whose key is each row's first value, provided the row's
    /// <paramref name="concurrencyToken"/> still holds each row's last value: optimistic concurrency as EF Core checks
    /// it. A row changed or removed since it was read throws <see cref="DbUpdateConcurrencyException"/>, and the
    /// caller's transaction, rolled back, leaves every row as it was.
    /// </summary>
    /// <param name="rows">The key, one value per property in <paramref name="properties"/>, then the token's expected value.</param>
    public Task<int> UpdateUnchangedAsync(
        IReadOnlyList<string> properties, string concurrencyToken, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        var updated = properties.Select(Property).ToArray();
        var token = Property(concurrencyToken);
        var assignments = string.Join(", ", updated.Select((p, i) => $"{Column(p)} = {ParameterName(i + 1)}"));
        return ExecuteAsync(
            $"UPDATE {Table} SET {assignments} WHERE {Column(key)} = {ParameterName(0)} AND {Column(token)} = {ParameterName(updated.Length + 1)}",
            [key, .. updated, token],
            rows,
            command => command.ExecuteNonQuery() == 1
                ? 1
                : throw new DbUpdateConcurrencyException($"A {typeof(TEntity).Name} was changed or removed since it was read."),
            cancellationToken);
    }

    public Task<int> DeleteAsync(IEnumerable<Guid> keys, CancellationToken cancellationToken) =>
        ExecuteAsync(
            $"DELETE FROM {Table} WHERE {Column(key)} = {ParameterName(0)}",
            [key],
            keys.Select(id => new object?[] { id }),
            ExecuteCount,
            cancellationToken);

    private const int BulkCopyBatchRows = 10_000;

    private async Task<int> BulkCopyAsync(IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        var transaction = (SqlTransaction)(db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Bulk writes run inside the caller's transaction."));
        using var bulkCopy = new SqlBulkCopy(transaction.Connection, SqlBulkCopyOptions.CheckConstraints, transaction)
        {
            DestinationTableName = Table,
            BatchSize = BulkCopyBatchRows,
            BulkCopyTimeout = 0,
        };
        foreach (var property in Properties)
        {
            var column = property.GetColumnName(table)!;
            bulkCopy.ColumnMappings.Add(column, column);
        }

        var copied = 0;
        foreach (var batch in rows.Chunk(BulkCopyBatchRows))
        {
            using var data = ProviderTable(batch);
            await bulkCopy.WriteToServerAsync(data, cancellationToken);
            copied += batch.Length;
        }

        return copied;
    }

    /// <summary>The value as the mapping writes it: through its converter, or an enum without one as its number.</summary>
    private static object? ToProvider(CoreTypeMapping mapping, object? value) => value switch
    {
        null => null,
        _ when mapping.Converter is { } converter => converter.ConvertToProvider(value),
        Enum => Convert.ChangeType(value, Enum.GetUnderlyingType(value.GetType()), System.Globalization.CultureInfo.InvariantCulture),
        _ => value,
    };

    private string Table => sql.DelimitIdentifier(table.Name, table.Schema);

    private string Column(IProperty property) => sql.DelimitIdentifier(property.GetColumnName(table)!);

    private string ParameterName(int index) => sql.GenerateParameterNamePlaceholder($"p{index}");

    /// <summary>
    /// Runs <paramref name="commandText"/> once per row, with one statement and one parameter per column: more rows per
    /// statement would not help, because Microsoft.Data.Sqlite binds parameters by name at every execution, a cost that
    /// grows with the square of the parameter count. The parameters are made once, by the model's type mappings (which
    /// set their provider type), and only their values change from row to row, converted as the mappings convert them.
    /// </summary>
    private async Task<int> ExecuteAsync(
        string commandText,
        IReadOnlyList<IProperty> parameterProperties,
        IEnumerable<object?[]> rows,
        Func<DbCommand, int> executeRow,
        CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Bulk writes run inside the caller's transaction.");
        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = commandText;
        var mappings = parameterProperties.Select(p => p.GetRelationalTypeMapping()).ToArray();
        var affected = 0;
        foreach (var row in rows)
        {
            if (command.Parameters.Count == 0)
            {
                for (var i = 0; i < mappings.Length; i++)
                {
                    command.Parameters.Add(mappings[i].CreateParameter(command, sql.GenerateParameterName($"p{i}"), row[i], parameterProperties[i].IsNullable));
                }

                await command.PrepareAsync(cancellationToken);
            }
            else
            {
                for (var i = 0; i < mappings.Length; i++)
                {
                    command.Parameters[i].Value = ToProvider(mappings[i], row[i]) ?? DBNull.Value;
                }
            }

            // SQLite runs in-process and completes synchronously anyway; the asynchronous call would register the
            // token with every row's execution, which made a million-row push several times slower.
            cancellationToken.ThrowIfCancellationRequested();
            affected += executeRow(command);
        }

        return affected;
    }

    private static int ExecuteCount(DbCommand command) => command.ExecuteNonQuery();
}
