using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Persistence;

namespace ThreatIntel.Infrastructure.Persistence.Repositories;

/// <summary>
/// The value look-up of <see cref="IocLookupQuery"/> on SQLite, with its statements prepared once per connection
/// instead of once per request. Microsoft.Data.Sqlite keeps a prepared statement only as long as its command, and EF
/// Core makes a command per query, so SQLite parsed and planned the look-up on every request: a quarter of its CPU.
/// Here a few connections stay open, each with the look-up prepared, and a look-up borrows one. Every statement reads
/// the latest committed data (WAL), as a fresh connection would.
/// <para>
/// The statement has no <c>LIMIT</c>/<c>OFFSET</c>: with one, SQLite sorts into a temporary b-tree it builds for each
/// execution (~40 µs even when prepared, against ~8 µs for the plain sort), so the page is cut from the sorted rows
/// here, and counting the rows past it replaces the separate count. A value is held by a handful of IOCs, and a
/// count or an offset would step through all of them anyway.
/// </para>
/// </summary>
internal sealed class SqliteIocLookup(DatabaseConnection database) : IDisposable
{
    // Enough for every thread-pool thread of a busy small host to have one; more are closed when given back.
    private static readonly int MaxIdleSessions = Math.Max(8, Environment.ProcessorCount * 4);

    private readonly ConcurrentBag<Session> _idle = [];
    private Statements? _statements;
    private bool _disposed;

    /// <summary>
    /// One page of the IOCs of <paramref name="type"/> stored under any of 1 to <see cref="IocLookupQuery.MaxKeys"/>
    /// keys, with the count of all of them. Synchronous: SQLite runs in-process, and its asynchronous calls complete
    /// synchronously anyway.
    /// </summary>
    public Page<Ioc> ReadPage(ThreatIntelDbContext db, IocType type, IReadOnlyList<IocLookupKey> keys, PageRequest page)
    {
        IocLookupQuery.CheckKeyCount(keys);
        var statements = _statements ??= Statements.For(db);
        var session = _idle.TryTake(out var idle) ? idle : Session.Open(database.ConnectionString, statements);
        try
        {
            session.Bind(statements, type, keys);
            var items = new List<Ioc>();
            var totalCount = 0;
            using (var reader = session.Lookup.ExecuteReader())
            {
                while (reader.Read())
                {
                    if (totalCount >= page.Skip && items.Count < page.PageSize)
                    {
                        items.Add(statements.Rows.Read(reader));
                    }

                    totalCount++;
                }
            }

            GiveBack(session);
            return new Page<Ioc>(items, page.Page, page.PageSize, totalCount);
        }
        catch
        {
            // Not given back: whatever failed may have left the connection or its statements in a state of their own.
            session.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var session))
        {
            session.Dispose();
        }
    }

    private void GiveBack(Session session)
    {
        if (_disposed || _idle.Count >= MaxIdleSessions)
        {
            session.Dispose();
            return;
        }

        _idle.Add(session);
    }

    /// <summary>The statements' text and how to read and bind their values, from the EF Core model.</summary>
    private sealed class Statements
    {
        private const string Where =
            "WHERE {type} = $type AND {hash} IN ($h1, $h2, $h3, $h4, $h5) AND (({action} = $a1 AND {hash} = $h1) OR ({action} = $a2 AND {hash} = $h2) "
            + "OR ({action} = $a3 AND {hash} = $h3) OR ({action} = $a4 AND {hash} = $h4) OR ({action} = $a5 AND {hash} = $h5))";

        private Statements(EntityRowReader<Ioc> rows, string sql, Func<object, object?> typeToStore, Func<object, object?> actionToStore)
        {
            Rows = rows;
            Sql = sql;
            TypeToStore = typeToStore;
            ActionToStore = actionToStore;
        }

        public EntityRowReader<Ioc> Rows { get; }

        /// <summary>Every IOC under the keys, in the order pages are cut from: creation, then id.</summary>
        public string Sql { get; }

        public Func<object, object?> TypeToStore { get; }

        public Func<object, object?> ActionToStore { get; }

        public static Statements For(ThreatIntelDbContext db)
        {
            var sql = db.GetService<ISqlGenerationHelper>();
            var entityType = db.Model.FindEntityType(typeof(Ioc))!;
            var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
            string Column(string property) => sql.DelimitIdentifier(entityType.FindProperty(property)!.GetColumnName(table)!);
            Func<object, object?> ToStore(string property) =>
                entityType.FindProperty(property)!.GetRelationalTypeMapping().Converter is { } converter ? converter.ConvertToProvider : value => value;

            var rows = new EntityRowReader<Ioc>(db.Model);
            var where = Where.Replace("{type}", Column(nameof(Ioc.Type)), StringComparison.Ordinal)
                .Replace("{hash}", Column(nameof(Ioc.ValueHash)), StringComparison.Ordinal)
                .Replace("{action}", Column(nameof(Ioc.Action)), StringComparison.Ordinal);
            return new Statements(
                rows,
                $"SELECT {string.Join(", ", rows.Columns.Select(c => sql.DelimitIdentifier(c)))} "
                + $"FROM {sql.DelimitIdentifier(table.Name, table.Schema)} {where} "
                + $"ORDER BY {Column(nameof(Ioc.CreatedAt))}, {Column(nameof(Ioc.Id))}",
                ToStore(nameof(Ioc.Type)),
                ToStore(nameof(Ioc.Action)));
        }
    }

    /// <summary>One open connection and the prepared look-up; used by one look-up at a time.</summary>
    private sealed class Session : IDisposable
    {
        private readonly SqliteConnection _connection;

        private Session(SqliteConnection connection, SqliteCommand lookup)
        {
            _connection = connection;
            Lookup = lookup;
        }

        public SqliteCommand Lookup { get; }

        public static Session Open(string connectionString, Statements statements)
        {
            var connection = new SqliteConnection(connectionString);
            try
            {
                connection.Open();
                var lookup = connection.CreateCommand();
                lookup.CommandText = statements.Sql;
                lookup.Parameters.Add("$type", SqliteType.Text).Value = string.Empty;
                for (var i = 1; i <= IocLookupQuery.MaxKeys; i++)
                {
                    lookup.Parameters.Add($"$a{i}", SqliteType.Text).Value = string.Empty;
                    lookup.Parameters.Add($"$h{i}", SqliteType.Blob).Value = Array.Empty<byte>();
                }

                lookup.Prepare();
                return new Session(connection, lookup);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        public void Bind(Statements statements, IocType type, IReadOnlyList<IocLookupKey> keys)
        {
            Lookup.Parameters["$type"].Value = statements.TypeToStore(type);
            for (var i = 0; i < IocLookupQuery.MaxKeys; i++)
            {
                var key = IocLookupQuery.PaddedKey(keys, i);
                Lookup.Parameters[$"$a{i + 1}"].Value = statements.ActionToStore(key.Action);
                Lookup.Parameters[$"$h{i + 1}"].Value = key.ValueHash;
            }
        }

        public void Dispose()
        {
            Lookup.Dispose();
            _connection.Dispose();
        }
    }
}
