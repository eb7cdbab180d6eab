using Microsoft.Extensions.DependencyInjection;
using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Alerts;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Persistence;
using ThreatIntel.Infrastructure.Persistence;

namespace ThreatIntel.Infrastructure.Tests;

/// <summary>
/// The alert change log against a migrated SQLite file: raising and triaging alerts log their changes, and reads page
/// through them in order, skipping what a filter does not want without losing what it does.
/// </summary>
public sealed class AlertChangeLogTests : IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    [Fact]
    public async Task Raising_aggregating_and_triaging_log_one_change_each_in_commit_order()
    {
        await InitializeAsync();
        var definitionId = Guid.NewGuid();
        var match = Match(definitionId, Severity.High, "host-1");

        var first = await RaiseAsync(match);
        var repeat = await RaiseAsync(match);
        var triaged = await WithScope<IAlertRepository, StoreOutcome>(async alerts =>
            (await alerts.TriageAsync(first.AlertIds[0], null, AlertStatus.InProgress, null, "checking", CancellationToken.None)).Outcome);

        var batch = await ReadAsync(0, AlertChangeFilter.Everything, 100);

        Assert.Equal(StoreOutcome.Succeeded, triaged);
        Assert.Equal((1, 0), (first.Created, first.Aggregated));
        Assert.Equal((0, 1), (repeat.Created, repeat.Aggregated));
        Assert.Equal(
            [AlertChangeKind.Raised, AlertChangeKind.Aggregated, AlertChangeKind.Triaged],
            batch.Changes.Select(c => c.Kind));
        Assert.All(batch.Changes, c => Assert.Equal(first.AlertIds[0], c.AlertId));
        Assert.Equal(batch.Changes.Select(c => c.Sequence).Order(), batch.Changes.Select(c => c.Sequence));
        Assert.Equal(batch.Changes[^1].Sequence, batch.ReadUpTo);
        Assert.Equal(batch.ReadUpTo, await WithScope<IAlertChangeLog, long>(log => log.LatestSequenceAsync(CancellationToken.None)));
        Assert.Contains("\"type\":\"alert.triaged\"", batch.Changes[2].Message, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"InProgress\"", batch.Changes[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_filtered_read_pages_through_the_wanted_changes_and_then_skips_past_the_unwanted_ones()
    {
        await InitializeAsync();
        var definitionId = Guid.NewGuid();
        var severities = new[] { Severity.Low, Severity.High, Severity.Low, Severity.Critical, Severity.High, Severity.Low };
        for (var i = 0; i < severities.Length; i++)
        {
            await RaiseAsync(Match(definitionId, severities[i], $"host-{i}"));
        }

        var atLeastHigh = AlertChangeFilter.Everything with { MinimumSeverity = Severity.High };

        var page1 = await ReadAsync(0, atLeastHigh, 2);
        var page2 = await ReadAsync(page1.ReadUpTo, atLeastHigh, 2);
        var page3 = await ReadAsync(page2.ReadUpTo, atLeastHigh, 2);

        Assert.Equal([Severity.High, Severity.Critical], page1.Changes.Select(c => c.Severity));
        Assert.Equal(page1.Changes[^1].Sequence, page1.ReadUpTo);
        Assert.Equal([Severity.High], page2.Changes.Select(c => c.Severity));
        Assert.Equal(6, page2.ReadUpTo);
        Assert.Empty(page3.Changes);
        Assert.Equal(6, page3.ReadUpTo);
    }

    [Fact]
    public async Task Severity_definition_and_kind_filters_combine()
    {
        await InitializeAsync();
        var mine = Guid.NewGuid();
        var other = Guid.NewGuid();
        await RaiseAsync(Match(mine, Severity.Low, "a"));
        await RaiseAsync(Match(other, Severity.Medium, "b"));
        var medium = Match(mine, Severity.Medium, "c");
        await RaiseAsync(medium);
        await RaiseAsync(medium);

        var filter = new AlertChangeFilter(
            new HashSet<Severity> { Severity.Medium }, null, new HashSet<Guid> { mine }, new HashSet<AlertChangeKind> { AlertChangeKind.Raised });
        var batch = await ReadAsync(0, filter, 100);

        var change = Assert.Single(batch.Changes);
        Assert.Equal((mine, Severity.Medium, AlertChangeKind.Raised), (change.AlertDefinitionId, change.Severity, change.Kind));
        Assert.Equal(4, batch.ReadUpTo);
    }

    public void Dispose() => _database.Dispose();

    private static AlertMatch Match(Guid definitionId, Severity severity, string deviceId) => new(
        definitionId, "Definition", severity, Guid.NewGuid(), IocType.FileSha1, IocAction.Equals,
        "92cfceb39d57d914ed8b14d0e37643de0797ae56", "92cfceb39d57d914ed8b14d0e37643de0797ae56", deviceId, null, 1);

    private Task InitializeAsync() => _database.Services.InitializeDatabaseAsync(CancellationToken.None);

    private Task<RaisedAlerts> RaiseAsync(AlertMatch match) =>
        WithScope<IAlertRepository, RaisedAlerts>(alerts => alerts.RaiseAsync([match], DateTime.UtcNow, CancellationToken.None));

    private Task<AlertChangeBatch> ReadAsync(long after, AlertChangeFilter filter, int max) =>
        WithScope<IAlertChangeLog, AlertChangeBatch>(log => log.ReadAfterAsync(after, filter, max, CancellationToken.None));

    private async Task<TResult> WithScope<TService, TResult>(Func<TService, Task<TResult>> action)
        where TService : notnull
    {
        await using var scope = _database.CreateScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }
}
