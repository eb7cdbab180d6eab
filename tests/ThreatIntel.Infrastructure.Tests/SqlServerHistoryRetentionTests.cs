using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using ThreatIntel.Infrastructure.Persistence;
using ThreatIntel.Infrastructure.Retention;

namespace ThreatIntel.Infrastructure.Tests;

/// <summary>
/// The retention purge's statements as SQL Server gets them, proven without a server: opening the connection and
/// running the commands are suppressed, and the T-SQL EF Core generates is checked.
/// </summary>
public sealed class SqlServerHistoryRetentionTests
{
    [Fact]
    public async Task The_purge_translates_to_batched_deletes_for_sql_server()
    {
        var commands = new CapturedCommands();
        var options = OfflineSqlServer.Options();
        options.AddInterceptors(commands);
        await using var context = new ThreatIntelDbContext(options.Options);

        var cutoff = new DateTime(2026, 11, 27, 0, 0, 0, DateTimeKind.Utc);
        await new HistoryRetention(context).PurgeAsync(cutoff, cutoff, batchSize: 500, CancellationToken.None);

        Assert.Equal(2, commands.Texts.Count);
        Assert.StartsWith("DELETE", commands.Texts[0].TrimStart(), StringComparison.Ordinal);
        Assert.Contains("[WebhookDeliveries]", commands.Texts[0], StringComparison.Ordinal);
        Assert.Contains("TOP(", commands.Texts[0], StringComparison.Ordinal);
        Assert.Contains("[AlertChanges]", commands.Texts[1], StringComparison.Ordinal);
        Assert.Contains("NOT EXISTS", commands.Texts[1], StringComparison.Ordinal);
        Assert.Contains("TOP(", commands.Texts[1], StringComparison.Ordinal);
    }

    /// <summary>Records every command and runs none (each reports no row deleted), and never opens the connection.</summary>
    private sealed class CapturedCommands : DbCommandInterceptor, IDbConnectionInterceptor
    {
        public List<string> Texts { get; } = [];

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Texts.Add(command.CommandText);
            return ValueTask.FromResult(InterceptionResult<int>.SuppressWithResult(0));
        }

        public ValueTask<InterceptionResult> ConnectionOpeningAsync(
            DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(InterceptionResult.Suppress());
    }
}
