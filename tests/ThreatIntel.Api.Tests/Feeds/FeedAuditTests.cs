using System.Net;
using System.Text.Json;
using ThreatIntel.Api.Tests.Support;
using ThreatIntel.Core.ApiKeys;

namespace ThreatIntel.Api.Tests.Feeds;

/// <summary>A push is audited once, as a feed entry by the pushing key, and stamps what it writes with that key's name.</summary>
public sealed class FeedAuditTests(ThreatIntelApiFactory factory) : IClassFixture<ThreatIntelApiFactory>
{
    private readonly HttpClient _admin = factory.CreateClient();

    [Fact]
    public async Task A_push_is_audited_as_one_feed_entry_by_the_pushing_key_with_what_it_changed()
    {
        var (pipeline, keyName) = await PipelineAsync();
        var feed = "audited-" + TestData.Token();
        var name = TestData.Name();
        var (definitionEntries, iocEntries) = (await _admin.CountAuditAsync("AlertDefinition"), await _admin.CountAuditAsync("Ioc"));

        await pipeline.SyncFeedAsync(feed, FeedMedia.Csv, $"definition,type,value\n{name},FileMd5,{TestData.Md5()}\n{name},FileSha1,{TestData.Sha1()}\n");
        await pipeline.SyncFeedAsync(feed, FeedMedia.Csv, $"definition,type,value\n{name},FileMd5,{TestData.Md5()}\n", "?skipInvalid=true");

        var entries = await _admin.FeedAuditAsync($"actor={Uri.EscapeDataString(keyName)}");
        Assert.Equal(["Updated", "Created"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.All(entries, e => Assert.Equal(("Feed", keyName), (e.GetProperty("entityType").GetString(), e.GetProperty("actor").GetString())));
        Assert.Equal(entries[0].GetProperty("entityId").GetGuid(), entries[1].GetProperty("entityId").GetGuid());
        var created = entries[1].GetProperty("changes");
        Assert.Equal(feed, created.GetProperty("feed").GetString());
        Assert.Equal((1, 2), (created.GetProperty("definitionsCreated").GetInt32(), created.GetProperty("iocsCreated").GetInt32()));
        var updated = entries[0].GetProperty("changes");
        Assert.Equal((1, 2), (updated.GetProperty("iocsCreated").GetInt32(), updated.GetProperty("iocsRemoved").GetInt32()));

        // The push is one entry, not one per definition or IOC it wrote.
        Assert.Equal(
            (definitionEntries, iocEntries),
            (await _admin.CountAuditAsync("AlertDefinition"), await _admin.CountAuditAsync("Ioc")));
    }

    [Fact]
    public async Task What_a_push_creates_or_updates_names_the_pushing_key_as_its_author()
    {
        var (pipeline, keyName) = await PipelineAsync();
        var feed = "authored-" + TestData.Token();
        var name = TestData.Name();
        var (kept, changed) = (TestData.Md5(), TestData.Md5());
        await _admin.SyncFeedAsync(feed, FeedMedia.Csv, $"definition,type,value,severity\n{name},FileMd5,{kept},Low\n{name},FileMd5,{changed},Low\n");

        var byAdmin = Assert.Single(await _admin.ReadFeedContentAsync(feed));
        Assert.Equal((ThreatIntelApiFactory.AdminKeyName, ThreatIntelApiFactory.AdminKeyName), (byAdmin.Definition.CreatedBy, byAdmin.Definition.UpdatedBy));
        Assert.All(byAdmin.Iocs, i => Assert.Equal((ThreatIntelApiFactory.AdminKeyName, ThreatIntelApiFactory.AdminKeyName), (i.CreatedBy, i.UpdatedBy)));

        await pipeline.SyncFeedAsync(
            feed, FeedMedia.Csv, $"definition,type,value,severity,description\n{name},FileMd5,{kept},High,\n{name},FileMd5,{changed},High,now described\n{name},FileSha256,{TestData.Sha256()},High,\n");

        var byPipeline = Assert.Single(await _admin.ReadFeedContentAsync(feed));
        Assert.Equal((ThreatIntelApiFactory.AdminKeyName, keyName), (byPipeline.Definition.CreatedBy, byPipeline.Definition.UpdatedBy));
        Assert.Equal((ThreatIntelApiFactory.AdminKeyName, ThreatIntelApiFactory.AdminKeyName), AuthorsOf(byPipeline, kept));
        Assert.Equal((ThreatIntelApiFactory.AdminKeyName, keyName), AuthorsOf(byPipeline, changed));
        Assert.Equal((keyName, keyName), AuthorsOf(byPipeline, byPipeline.Iocs.Single(i => i.Type == "FileSha256").Value));
        var summary = await _admin.ReadFeedAsync(feed);
        Assert.Equal((ThreatIntelApiFactory.AdminKeyName, keyName), (summary.CreatedBy, summary.LastPushBy));
    }

    [Fact]
    public async Task Refused_and_dry_run_pushes_leave_no_audit_entry_and_no_trace_on_the_feed()
    {
        var feed = "unaudited-" + TestData.Token();
        await _admin.SyncFeedAsync(feed, FeedMedia.Csv, $"definition,type,value\n{TestData.Name()},FileMd5,{TestData.Md5()}\n");
        var summary = await _admin.ReadFeedAsync(feed);
        var entries = await _admin.CountAuditAsync();

        await _admin.SyncFeedAsync(feed, FeedMedia.Csv, $"definition,type,value\n{TestData.Name()},FileMd5,{TestData.Md5()}\n", "?dryRun=true");
        await (await _admin.PushFeedAsync(HttpMethod.Put, feed, FeedMedia.Csv, $"definition,type,value\n{TestData.Name()},FileMd5,zz\n")).ReadRejectedAsync();
        await (await _admin.PushFeedAsync(HttpMethod.Put, feed, FeedMedia.Json, "{")).ShouldHaveStatusAsync(HttpStatusCode.BadRequest);

        Assert.Equal(entries, await _admin.CountAuditAsync());
        Assert.Equal(JsonSerializer.Serialize(summary), JsonSerializer.Serialize(await _admin.ReadFeedAsync(feed)));
    }

    [Fact]
    public async Task Deleting_a_feed_is_audited_by_the_deleting_key()
    {
        var (pipeline, keyName) = await PipelineAsync(ApiKeyScopes.FeedsWrite);
        var feed = "audited-delete-" + TestData.Token();
        await _admin.SyncFeedAsync(feed, FeedMedia.Csv, $"definition,type,value\n{TestData.Name()},FileMd5,{TestData.Md5()}\n");

        await (await pipeline.DeleteAsync(FeedRoutes.Feed(feed))).ShouldHaveStatusAsync(HttpStatusCode.NoContent);

        var entry = Assert.Single(await _admin.FeedAuditAsync($"actor={Uri.EscapeDataString(keyName)}"));
        Assert.Equal("Deleted", entry.GetProperty("action").GetString());
        Assert.Equal(feed, entry.GetProperty("changes").GetProperty("feed").GetString());
    }

    private static (string CreatedBy, string UpdatedBy) AuthorsOf(StoredFeedDefinition definition, string value)
    {
        var ioc = Assert.Single(definition.Iocs, i => i.Value == value);
        return (ioc.CreatedBy!, ioc.UpdatedBy!);
    }

    /// <summary>A client with a key of its own, as a CI pipeline would have.</summary>
    private async Task<(HttpClient Client, string KeyName)> PipelineAsync(params string[] scopes)
    {
        var name = TestData.Name("ci-pipeline");
        var key = await _admin.CreateApiKeyAsync(scopes.Length > 0 ? scopes : [ApiKeyScopes.FeedsWrite, ApiKeyScopes.DefinitionsRead], name);
        return (factory.CreateClientWithKey(key.Key), name);
    }
}
