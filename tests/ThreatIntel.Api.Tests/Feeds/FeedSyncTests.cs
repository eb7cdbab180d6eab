using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.Feeds;

/// <summary>
/// Sync (PUT) leaves a feed holding exactly what was pushed and reports what it changed; merge (POST) only adds and
/// updates; neither ever touches a definition the feed does not own.
/// </summary>
public class FeedSyncTests(ThreatIntelApiFactory factory) : IClassFixture<ThreatIntelApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Sync_creates_then_reports_changes_and_removals_and_a_repush_changes_nothing()
    {
        var feed = "ci-" + TestData.Token();
        var first = $"""
            definition,type,value,action,severity,description,expiresAt
            {feed} C2,IpAddress,203.0.113.7,,High,,
            {feed} C2,DomainName,evil-{feed}.example,,High,,
            {feed} hashes,FileSha256,{TestData.Sha256()},,Critical,loader,
            """;

        var created = await PushAsync(HttpMethod.Put, feed, "text/csv", first);
        Assert.Equal(2, created.GetProperty("definitionsCreated").GetInt32());
        Assert.Equal(3, created.GetProperty("iocsCreated").GetInt32());
        var ids = (await _client.GetPageAsync<IocDto>($"/api/v1/iocs?type=IpAddress&value=203.0.113.7")).Items.Select(i => i.Id).ToList();

        var again = await PushAsync(HttpMethod.Put, feed, "text/csv", first);
        Assert.Equal(0, again.GetProperty("iocsCreated").GetInt32() + again.GetProperty("iocsUpdated").GetInt32() + again.GetProperty("iocsRemoved").GetInt32());
        Assert.Equal(3, again.GetProperty("iocsUnchanged").GetInt32());
        Assert.Equal(ids, (await _client.GetPageAsync<IocDto>($"/api/v1/iocs?type=IpAddress&value=203.0.113.7")).Items.Select(i => i.Id).ToList());

        var second = $"""
            definition,type,value,action,severity,description,expiresAt
            {feed} C2,IpAddress,203.0.113.7,,High,now described,
            {feed} C2,IpAddress,198.51.100.0/24,,High,,
            """;
        var changed = await PushAsync(HttpMethod.Put, feed, "text/csv", second);
        Assert.Equal(1, changed.GetProperty("iocsUpdated").GetInt32());
        Assert.Equal(1, changed.GetProperty("iocsCreated").GetInt32());
        Assert.Equal(2, changed.GetProperty("iocsRemoved").GetInt32());
        Assert.Equal(1, changed.GetProperty("definitionsRemoved").GetInt32());

        var summary = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/feeds/{feed}");
        Assert.Equal(1, summary.GetProperty("definitionCount").GetInt32());
        Assert.Equal(2, summary.GetProperty("iocCount").GetInt32());
    }

    [Fact]
    public async Task Sync_counts_each_kind_of_change_and_keeps_the_ids_of_what_stays()
    {
        var feed = "sync-" + TestData.Token();
        var (kept, retired, added) = (TestData.Name("kept"), TestData.Name("retired"), TestData.Name("added"));
        var (same, described, dropped, fresh) = (TestData.Md5(), TestData.Md5(), TestData.Md5(), TestData.Md5());
        var retiredIoc = TestData.Domain();
        await _client.SyncFeedAsync(feed, FeedMedia.Json, FeedTestClient.JsonFeed(
            new { name = kept, severity = "Low", iocs = new[] { Md5(same), Md5(described), Md5(dropped) } },
            new { name = retired, iocs = new[] { new { type = "DomainName", value = retiredIoc } } }));
        var before = await _client.ReadFeedContentAsync(feed);
        var keptBefore = Assert.Single(before, d => d.Definition.Name == kept);

        var pushed = await _client.SyncFeedAsync(feed, FeedMedia.Json, FeedTestClient.JsonFeed(
            new
            {
                name = kept,
                severity = "High",
                iocs = new object[] { Md5(same), new { type = "FileMd5", value = described, description = "now described" }, Md5(fresh) },
            },
            new { name = added, iocs = new[] { Md5(TestData.Md5()), new { type = "IpAddress", value = "192.0.2.0/24" } } }));

        Assert.Equal(
            new FeedPushDto(feed, false, true, 1, 1, 1, 0, 3, 1, 1, 2, 0, []) with { Rejected = pushed.Rejected },
            pushed);
        Assert.Empty(pushed.Rejected);
        var after = await _client.ReadFeedContentAsync(feed);
        Assert.Equal([added, kept], after.Select(d => d.Definition.Name).Order(StringComparer.Ordinal));
        var keptAfter = Assert.Single(after, d => d.Definition.Name == kept);
        Assert.Equal((keptBefore.Definition.Id, "High"), (keptAfter.Definition.Id, keptAfter.Definition.Severity));
        var unchangedBefore = Assert.Single(keptBefore.Iocs, i => i.Value == same);
        Assert.Equal(unchangedBefore, Assert.Single(keptAfter.Iocs, i => i.Value == same));
        var describedBefore = Assert.Single(keptBefore.Iocs, i => i.Value == described);
        var describedAfter = Assert.Single(keptAfter.Iocs, i => i.Value == described);
        Assert.Equal((describedBefore.Id, describedBefore.CreatedAt, "now described"), (describedAfter.Id, describedAfter.CreatedAt, describedAfter.Description));
        Assert.True(describedAfter.UpdatedAt >= describedBefore.UpdatedAt);
        Assert.Equal(new[] { described, fresh, same }.Order(StringComparer.Ordinal), keptAfter.Iocs.Select(i => i.Value).Order(StringComparer.Ordinal));
        Assert.Empty((await _client.LookupAsync("FileMd5", dropped)).Items);
        Assert.Empty((await _client.LookupAsync("DomainName", retiredIoc, "EndsWith")).Items);
        var summary = await _client.ReadFeedAsync(feed);
        Assert.Equal((2, 5), (summary.DefinitionCount, summary.IocCount));
        Assert.Equal(3, summary.LastPush!.Value.GetProperty("iocsCreated").GetInt32());
    }

    [Fact]
    public async Task Pushing_the_same_content_again_reports_no_change_and_writes_nothing()
    {
        var feed = "idempotent-" + TestData.Token();
        var body = FeedTestClient.JsonFeed(
            new
            {
                name = TestData.Name(),
                description = "described",
                severity = "High",
                tags = new[] { "a", "b" },
                mitreTechniques = new[] { "T1059" },
                iocs = new object[]
                {
                    Md5(TestData.Md5()),
                    new { type = "DomainName", value = TestData.Domain(), description = "C2", expiresAt = new DateTime(2031, 5, 6, 7, 8, 9, DateTimeKind.Utc) },
                    new { type = "Url", value = "http://example.org/gate.php", action = "StartsWith", enabled = false },
                },
            },
            new { name = TestData.Name(), iocs = Array.Empty<object>() });
        var first = await _client.SyncFeedAsync(feed, FeedMedia.Json, body);
        Assert.Equal((2, 3), (first.DefinitionsCreated, first.IocsCreated));
        var before = (await _client.ReadFeedContentAsync(feed)).Fingerprint();
        var etags = await ETagsAsync(feed);
        var (definitionEntries, iocEntries, feedEntries) = await AuditCountsAsync();

        var again = await _client.SyncFeedAsync(feed, FeedMedia.Json, body);

        Assert.Equal(new FeedPushDto(feed, false, true, 0, 0, 0, 2, 0, 0, 3, 0, 0, []) with { Rejected = again.Rejected }, again);
        Assert.Equal(before, (await _client.ReadFeedContentAsync(feed)).Fingerprint());
        Assert.Equal(etags, await ETagsAsync(feed));
        var (definitionEntriesAfter, iocEntriesAfter, feedEntriesAfter) = await AuditCountsAsync();
        Assert.Equal((definitionEntries, iocEntries), (definitionEntriesAfter, iocEntriesAfter));

        // At most the push itself is recorded, as a feed-level entry that changed nothing.
        Assert.InRange(feedEntriesAfter - feedEntries, 0, 1);
        if (feedEntriesAfter > feedEntries)
        {
            var entry = (await _client.FeedAuditAsync()).First();
            Assert.Equal(ThreatIntelApiFactory.AdminKeyName, entry.GetProperty("actor").GetString());
            var changes = entry.GetProperty("changes");
            Assert.All(
                ["definitionsCreated", "definitionsUpdated", "definitionsRemoved", "iocsCreated", "iocsUpdated", "iocsRemoved"],
                name => Assert.Equal(0, changes.GetProperty(name).GetInt32()));
        }
    }

    [Fact]
    public async Task A_sync_never_touches_hand_made_definitions_it_does_not_mention()
    {
        var handMade = await _client.CreateDefinitionAsync(iocs: [new { type = "FileSha1", value = TestData.Sha1() }]);
        var (definitionBefore, etagBefore) = await _client.GetDefinitionAsync(handMade.Id);
        var iocsBefore = await _client.ListIocsAsync(handMade.Id);
        var feed = "hands-off-" + TestData.Token();

        await _client.SyncFeedAsync(feed, FeedMedia.Csv, $"definition,type,value\n{TestData.Name()},FileMd5,{TestData.Md5()}\n");
        await _client.SyncFeedAsync(feed, FeedMedia.Csv, $"definition,type,value\n{TestData.Name()},FileMd5,{TestData.Md5()}\n");
        await _client.SyncFeedAsync(feed, FeedMedia.Csv, "definition,type,value\n");

        var (definitionAfter, etagAfter) = await _client.GetDefinitionAsync(handMade.Id);
        Assert.Equal(etagBefore, etagAfter);
        Assert.Equal(JsonSerializer.Serialize(definitionBefore), JsonSerializer.Serialize(definitionAfter));
        Assert.Null(definitionAfter.Source);
        Assert.Equal(iocsBefore, await _client.ListIocsAsync(handMade.Id));
        Assert.Empty(await _client.ReadFeedContentAsync(feed));
    }

    [Fact]
    public async Task A_pushed_definition_named_like_a_hand_made_one_is_a_rejected_row_and_the_hand_made_one_stays_as_it_was()
    {
        var handMade = await _client.CreateDefinitionAsync(iocs: [new { type = "FileSha1", value = TestData.Sha1() }]);
        var (_, etagBefore) = await _client.GetDefinitionAsync(handMade.Id);
        var iocsBefore = await _client.ListIocsAsync(handMade.Id);
        var feed = "clash-" + TestData.Token();
        var other = TestData.Name();
        var clashing = handMade.Name.ToUpperInvariant();
        var body = FeedTestClient.JsonFeed(
            new { name = clashing, severity = "Low", iocs = new[] { Md5(TestData.Md5()) } },
            new { name = other, iocs = new[] { Md5(TestData.Md5()) } });

        var refused = await (await _client.PushFeedAsync(HttpMethod.Put, feed, FeedMedia.Json, body)).ReadRejectedAsync();

        var row = Assert.Single(refused.Rejected);
        Assert.Equal(($"definition '{clashing}'", clashing), (row.Location, row.Value));
        Assert.Contains("hand-made", row.Reason, StringComparison.Ordinal);
        await (await _client.GetFeedAsync(feed)).ReadProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty(await _client.ReadFeedContentAsync(feed));

        var applied = await _client.SyncFeedAsync(feed, FeedMedia.Json, body, "?skipInvalid=true");

        Assert.Equal((1, 1, 1), (applied.DefinitionsCreated, applied.IocsCreated, applied.RejectedCount));
        Assert.Equal([other], (await _client.ReadFeedContentAsync(feed)).Select(d => d.Definition.Name));
        var (after, etagAfter) = await _client.GetDefinitionAsync(handMade.Id);
        Assert.Equal((etagBefore, handMade.Name, "High", null), (etagAfter, after.Name, after.Severity, after.Source));
        Assert.Equal(iocsBefore, await _client.ListIocsAsync(handMade.Id));
    }

    [Fact]
    public async Task A_pushed_definition_named_like_one_of_another_feed_is_a_rejected_row_naming_that_feed()
    {
        var owner = "owner-" + TestData.Token();
        var name = TestData.Name();
        await _client.SyncFeedAsync(owner, FeedMedia.Csv, $"definition,type,value\n{name},FileMd5,{TestData.Md5()}\n");
        var ownerBefore = (await _client.ReadFeedContentAsync(owner)).Fingerprint();
        var intruder = "intruder-" + TestData.Token();

        var refused = await (await _client.PushFeedAsync(
            HttpMethod.Put, intruder, FeedMedia.Csv, $"definition,type,value\n{name},FileMd5,{TestData.Md5()}\n")).ReadRejectedAsync();

        Assert.Contains(owner, Assert.Single(refused.Rejected).Reason, StringComparison.Ordinal);
        Assert.Equal(ownerBefore, (await _client.ReadFeedContentAsync(owner)).Fingerprint());
    }

    [Fact]
    public async Task Merge_creates_and_updates_but_never_removes_and_a_later_sync_owns_what_it_merged()
    {
        var feed = "merge-" + TestData.Token();
        var (a, b, c) = (TestData.Name("a"), TestData.Name("b"), TestData.Name("c"));
        var (a1, a2, a3, b1, c1) = (TestData.Md5(), TestData.Md5(), TestData.Md5(), TestData.Md5(), TestData.Md5());
        await _client.SyncFeedAsync(feed, FeedMedia.Json, FeedTestClient.JsonFeed(
            new { name = a, iocs = new[] { Md5(a1), Md5(a2) } },
            new { name = b, iocs = new[] { Md5(b1) } }));

        var merged = await _client.MergeFeedAsync(feed, FeedMedia.Json, FeedTestClient.JsonFeed(
            new { name = a, iocs = new object[] { new { type = "FileMd5", value = a1, description = "merged" }, Md5(a3) } },
            new { name = c, iocs = new[] { Md5(c1) } }));

        Assert.Equal((1, 0, 0), (merged.DefinitionsCreated, merged.DefinitionsUpdated, merged.DefinitionsRemoved));
        Assert.Equal((2, 1, 0), (merged.IocsCreated, merged.IocsUpdated, merged.IocsRemoved));
        Assert.Equal((2, 2), (merged.DefinitionsUnchanged, merged.IocsUnchanged));
        Assert.Equal(
            FeedTestClient.ExpectedRows(
                (a, "FileMd5", "Equals", a1), (a, "FileMd5", "Equals", a2), (a, "FileMd5", "Equals", a3),
                (b, "FileMd5", "Equals", b1), (c, "FileMd5", "Equals", c1)),
            (await _client.ReadFeedContentAsync(feed)).IocRows());

        var again = await _client.MergeFeedAsync(feed, FeedMedia.Json, FeedTestClient.JsonFeed(new { name = c, iocs = new[] { Md5(c1) } }));
        Assert.Equal(0, again.Changes);

        var synced = await _client.SyncFeedAsync(feed, FeedMedia.Json, FeedTestClient.JsonFeed(new { name = c, iocs = new[] { Md5(c1) } }));
        Assert.Equal((2, 4, 1), (synced.DefinitionsRemoved, synced.IocsRemoved, synced.IocsUnchanged));
        Assert.Equal(FeedTestClient.ExpectedRows((c, "FileMd5", "Equals", c1)), (await _client.ReadFeedContentAsync(feed)).IocRows());
    }

    [Fact]
    public async Task A_definition_renamed_only_in_case_is_updated_in_place_and_a_changed_action_replaces_the_ioc()
    {
        var feed = "rename-" + TestData.Token();
        var name = TestData.Name("lower");
        var domain = TestData.Domain();
        await _client.SyncFeedAsync(feed, FeedMedia.Csv, $"definition,type,value,action\n{name},DomainName,{domain},EndsWith\n");
        var before = Assert.Single(await _client.ReadFeedContentAsync(feed));

        var pushed = await _client.SyncFeedAsync(feed, FeedMedia.Csv, $"definition,type,value,action\n{name.ToUpperInvariant()},DomainName,{domain},Equals\n");

        Assert.Equal((0, 1, 0), (pushed.DefinitionsCreated, pushed.DefinitionsUpdated, pushed.DefinitionsRemoved));
        Assert.Equal((1, 1, 0), (pushed.IocsCreated, pushed.IocsRemoved, pushed.IocsUnchanged));
        var after = Assert.Single(await _client.ReadFeedContentAsync(feed));
        Assert.Equal((before.Definition.Id, name.ToUpperInvariant()), (after.Definition.Id, after.Definition.Name));
        Assert.Equal(("Equals", domain), (Assert.Single(after.Iocs).Action, after.Iocs[0].Value));
        Assert.NotEqual(before.Iocs[0].Id, after.Iocs[0].Id);
    }

    [Fact]
    public async Task An_empty_push_empties_the_feed_but_keeps_it_listed()
    {
        var feed = "emptied-" + TestData.Token();
        await _client.SyncFeedAsync(feed, FeedMedia.Json, FeedTestClient.JsonFeed(new { name = TestData.Name(), iocs = new[] { Md5(TestData.Md5()) } }));

        var emptied = await _client.SyncFeedAsync(feed, FeedMedia.Json, FeedTestClient.JsonFeed());

        Assert.Equal((1, 1), (emptied.DefinitionsRemoved, emptied.IocsRemoved));
        var summary = await _client.ReadFeedAsync(feed);
        Assert.Equal((0, 0), (summary.DefinitionCount, summary.IocCount));
        foreach (var (format, mediaType) in new[] { ("json", FeedMedia.Json), ("csv", FeedMedia.Csv), ("stix", FeedMedia.Stix) })
        {
            var export = await _client.GetAsync(FeedRoutes.Export(feed, format));
            await export.ShouldHaveStatusAsync(HttpStatusCode.OK);
            var again = await _client.SyncFeedAsync(feed, mediaType, await export.Content.ReadAsByteArrayAsync());
            Assert.Equal((0, 0), (again.Changes, again.RejectedCount));
        }
    }

    private static object Md5(string value) => new { type = "FileMd5", value };

    private async Task<string[]> ETagsAsync(string feed)
    {
        var etags = new List<string>();
        foreach (var definition in await _client.ReadFeedContentAsync(feed))
        {
            etags.Add((await _client.GetDefinitionAsync(definition.Definition.Id)).ETag);
            foreach (var ioc in definition.Iocs)
            {
                etags.Add((await _client.GetIocAsync(ioc.Id)).ETag);
            }
        }

        return [.. etags];
    }

    private async Task<(int Definitions, int Iocs, int Feeds)> AuditCountsAsync() =>
        (await _client.CountAuditAsync("AlertDefinition"), await _client.CountAuditAsync("Ioc"), await _client.CountAuditAsync("Feed"));

    private async Task<JsonElement> PushAsync(HttpMethod method, string feed, string contentType, string body, string query = "")
    {
        using var request = new HttpRequestMessage(method, $"/api/v1/feeds/{feed}{query}")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, contentType),
        };
        using var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<JsonElement>(text);
    }
}
