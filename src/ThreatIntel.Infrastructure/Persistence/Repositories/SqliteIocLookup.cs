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
/// Here a few connections stay open, each with the page and count statements prepared, and a look-up borrows one.
/// Every statement reads the latest committed data (WAL), as a fresh connection would.
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
            session.Bind(statements, type, keys, page);
            var items = new List<Ioc>();
            using (var reader = session.Page.ExecuteReader())
            {
                while (reader.Read())
                {
                    items.Add(statements.Rows.Read(reader));
                }
            }

            var totalCount = QueryPaging.KnownTotal(page, items.Count)
                ?? Convert.ToInt32(session.Count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
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

        private Statements(EntityRowReader<Ioc> rows, string pageSql, string countSql, Func<object, object?> typeToStore, Func<object, object?> actionToStore)
        {
            Rows = rows;
            PageSql = pageSql;
            CountSql = countSql;
            TypeToStore = typeToStore;
            ActionToStore = actionToStore;
        }

        public EntityRowReader<Ioc> Rows { get; }

        public string PageSql { get; }

        public string CountSql { get; }

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
            var from = $"FROM {sql.DelimitIdentifier(table.Name, table.Schema)} "
                + Where.Replace("{type}", Column(nameof(Ioc.Type)), StringComparison.Ordinal)
                    .Replace("{hash}", Column(nameof(Ioc.ValueHash)), StringComparison.Ordinal)
                    .Replace("{action}", Column(nameof(Ioc.Action)), StringComparison.Ordinal);
            return new Statements(
                rows,
                $"SELECT {string.Join(", ", rows.Columns.Select(c => sql.DelimitIdentifier(c)))} {from} "
                + $"ORDER BY {Column(nameof(Ioc.CreatedAt))}, {Column(nameof(Ioc.Id))} LIMIT $take OFFSET $skip",
                $"SELECT COUNT(*) {from}",
                ToStore(nameof(Ioc.Type)),
                ToStore(nameof(Ioc.Action)));
        }
    }

    /// <summary>One open connection and its two prepared commands; used by one look-up at a time.</summary>
    private sealed class Session : IDisposable
    {
        private readonly SqliteConnection _connection;

        private Session(SqliteConnection connection, SqliteCommand page, SqliteCommand count)
        {
            _connection = connection;
            Page = page;
            Count = count;
        }

        public SqliteCommand Page { get; }

        public SqliteCommand Count { get; }

        public static Session Open(string connectionString, Statements statements)
        {
            var connection = new SqliteConnection(connectionString);
            try
            {
                connection.Open();
                var page = Prepare(connection, statements.PageSql, withPaging: true);
                var count = Prepare(connection, statements.CountSql, withPaging: false);
                return new Session(connection, page, count);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        public void Bind(Statements statements, IocType type, IReadOnlyList<IocLookupKey> keys, PageRequest page)
        {
            foreach (var command in (SqliteCommand[])[Page, Count])
            {
                command.Parameters["$type"].Value = statements.TypeToStore(type);
                for (var i = 0; i < IocLookupQuery.MaxKeys; i++)
                {
                    var key = IocLookupQuery.PaddedKey(keys, i);
                    command.Parameters[$"$a{i + 1}"].Value = statements.ActionToStore(key.Action);
                    command.Parameters[$"$h{i + 1}"].Value = key.ValueHash;
                }
            }

            Page.Parameters["$take"].Value = page.PageSize;
            Page.Parameters["$skip"].Value = page.Skip;
        }

        public void Dispose()
        {
            Page.Dispose();
            Count.Dispose();
            _connection.Dispose();
        }

        private static SqliteCommand Prepare(SqliteConnection connection, string sql, bool withPaging)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.Add("$type", SqliteType.Text).Value = string.Empty;
            for (var i = 1; i <= IocLookupQuery.MaxKeys; i++)
            {
                command.Parameters.Add($"$a{i}", SqliteType.Text).Value = string.Empty;
                command.Parameters.Add($"$h{i}", SqliteType.Blob).Value = Array.Empty<byte>();
            }

            if (withPaging)
            {
                command.Parameters.Add("$take", SqliteType.Integer).Value = 0;
                command.Parameters.Add("$skip", SqliteType.Integer).Value = 0;
            }

            command.Prepare();
            return command;
        }
    }
}
