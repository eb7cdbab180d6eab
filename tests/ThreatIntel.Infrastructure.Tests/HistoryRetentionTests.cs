using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Alerts;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Persistence;
using ThreatIntel.Core.Webhooks;
using ThreatIntel.Infrastructure.Persistence;

namespace ThreatIntel.Infrastructure.Tests;

/// <summary>
/// The purge of the delivery history against a migrated SQLite file: what is past its retention goes, in batches; what
/// is recent, or still referred to by a delivery that is kept, stays; alerts themselves are never touched.
/// </summary>
public sealed class HistoryRetentionTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 12, 4, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Cutoff = Now.AddDays(-7);

    private readonly SqliteTestDatabase _database = new();

    [Fact]
    public async Task Changes_and_finished_deliveries_past_retention_are_purged_and_everything_else_stays()
    {
        await _database.Services.InitializeDatabaseAsync(CancellationToken.None);
        var alert = Alert.Raise(Match(), Now.AddDays(-30));
        var oldAlone = AlertChange.Of(alert, AlertChangeKind.Raised, Now.AddDays(-30));
        var oldAlone2 = AlertChange.Of(alert, AlertChangeKind.Aggregated, Now.AddDays(-29));
        var oldAlone3 = AlertChange.Of(alert, AlertChangeKind.Aggregated, Now.AddDays(-28));
        var recent = AlertChange.Of(alert, AlertChangeKind.Aggregated, Now.AddHours(-1));
        var oldPending = AlertChange.Of(alert, AlertChangeKind.Aggregated, Now.AddDays(-20));
        var oldDeliveredLongAgo = AlertChange.Of(alert, AlertChangeKind.Aggregated, Now.AddDays(-20));
        var oldDeliveredRecently = AlertChange.Of(alert, AlertChangeKind.Aggregated, Now.AddDays(-20));
        var webhook = Webhook.Create("siem", "https://siem.example/hook", "whsec_test", null, [], enabled: true, Now.AddDays(-40));

        await using (var scope = _database.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ThreatIntelDbContext>();
            db.Alerts.Add(alert);
            db.Webhooks.Add(webhook);
            db.AlertChanges.AddRange(oldAlone, oldAlone2, oldAlone3, recent, oldPending, oldDeliveredLongAgo, oldDeliveredRecently);
            await db.SaveChangesAsync();

            var pending = WebhookDelivery.For(webhook, oldPending);
            var deliveredLongAgo = WebhookDelivery.For(webhook, oldDeliveredLongAgo);
            deliveredLongAgo.RecordRound([new WebhookAttempt(Now.AddDays(-20), 12, 200, null)], delivered: true, retryAfter: null, Now.AddDays(-20));
            var failedRecently = WebhookDelivery.For(webhook, oldDeliveredRecently);
            failedRecently.Abandon("webhook disabled", Now.AddDays(-1));
            db.WebhookDeliveries.AddRange(pending, deliveredLongAgo, failedRecently);
            await db.SaveChangesAsync();
        }

        HistoryPurged purged;
        await using (var scope = _database.CreateScope())
        {
            purged = await scope.ServiceProvider.GetRequiredService<IHistoryRetention>().PurgeAsync(Cutoff, Cutoff, batchSize: 2, CancellationToken.None);
        }

        Assert.Equal(new HistoryPurged(AlertChanges: 4, WebhookDeliveries: 1), purged);
        await using (var scope = _database.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ThreatIntelDbContext>();
            var kept = await db.AlertChanges.AsNoTracking().Select(c => c.Sequence).OrderBy(s => s).ToListAsync();
            Assert.Equal(new[] { recent.Sequence, oldPending.Sequence, oldDeliveredRecently.Sequence }.Order(), kept);
            var keptDeliveries = await db.WebhookDeliveries.AsNoTracking().Select(d => d.AlertChangeSequence).OrderBy(s => s).ToListAsync();
            Assert.Equal(new[] { oldPending.Sequence, oldDeliveredRecently.Sequence }.Order(), keptDeliveries);
            Assert.Equal(1, await db.Alerts.CountAsync(a => a.Id == alert.Id));
        }
    }

    public void Dispose() => _database.Dispose();

    private static AlertMatch Match() => new(
        Guid.NewGuid(), "Definition", Severity.High, Guid.NewGuid(), IocType.FileSha1, IocAction.Equals,
        "92cfceb39d57d914ed8b14d0e37643de0797ae56", "92cfceb39d57d914ed8b14d0e37643de0797ae56", "host-1", null, 1);
}
