using System.Data.Common;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ThreatIntel.Infrastructure.Persistence;

/// <summary>
/// Reads an entity from a row of its table the way EF Core's materializer would for a no-tracking query: every mapped
/// property from its column, in <see cref="Columns"/> order, through the value converter its mapping has. For the
/// statements a repository prepares and runs itself (<see cref="BulkTable{TEntity}"/> writes the same way).
/// </summary>
internal sealed class EntityRowReader<TEntity>
    where TEntity : class
{
    private readonly Column[] _columns;

    public EntityRowReader(IModel model)
    {
        var entityType = model.FindEntityType(typeof(TEntity))
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        _columns = [.. entityType.GetProperties().Select(property => new Column(
            property.GetColumnName(table)!,
            property.PropertyInfo ?? throw new InvalidOperationException($"{typeof(TEntity).Name}.{property.Name} is not a CLR property."),
            property.GetRelationalTypeMapping().Converter,
            property.GetRelationalTypeMapping().Converter?.ProviderClrType ?? property.ClrType))];
    }

    /// <summary>The column names, in the order <see cref="Read"/> expects them in the row.</summary>
    public IReadOnlyList<string> Columns => [.. _columns.Select(c => c.Name)];

    public TEntity Read(DbDataReader reader)
    {
        var entity = (TEntity)Activator.CreateInstance(typeof(TEntity), nonPublic: true)!;
        for (var i = 0; i < _columns.Length; i++)
        {
            var column = _columns[i];
            var stored = reader.IsDBNull(i) ? null : ReadProviderValue(reader, i, Nullable.GetUnderlyingType(column.ProviderType) ?? column.ProviderType);
            column.Property.SetValue(entity, stored is null || column.Converter is null ? stored : column.Converter.ConvertFromProvider(stored));
        }

        return entity;
    }

    private static object ReadProviderValue(DbDataReader reader, int ordinal, Type type) => type switch
    {
        _ when type == typeof(string) => reader.GetString(ordinal),
        _ when type == typeof(byte[]) => reader.GetFieldValue<byte[]>(ordinal),
        _ when type == typeof(Guid) => reader.GetGuid(ordinal),
        _ when type == typeof(DateTime) => reader.GetDateTime(ordinal),
        _ when type == typeof(bool) => reader.GetBoolean(ordinal),
        _ when type == typeof(int) => reader.GetInt32(ordinal),
        _ when type == typeof(long) => reader.GetInt64(ordinal),
        _ => Convert.ChangeType(reader.GetValue(ordinal), type, System.Globalization.CultureInfo.InvariantCulture),
    };

    private sealed record Column(string Name, PropertyInfo Property, Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? Converter, Type ProviderType);
}
