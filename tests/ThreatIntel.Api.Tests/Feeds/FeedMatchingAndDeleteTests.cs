using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.Feeds;

/// <summary>Events match what a feed holds right after a push, and stop matching what a sync or a delete removed.</summary>
public sealed class FeedMatchingAndDeleteTests(ThreatIntelApiFactory factory) : IClassFixture<ThreatIntelApiFactory>
{
    private const string Evaluate = "/api/v1/events/evaluate?dryRun=true";

    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Events_match_what_a_push_added_and_stop_matching_what_a_later_sync_removed()
    {
        var feed = "matching-" + TestData.Token();
        var definition = TestData.Name("C2 list");
        var (domain, md5) = (TestData.Domain(), TestData.Md5());
        var query = $"?definition={Uri.EscapeDataString(definition)}&severity=Critical";
        await _client.SyncFeedAsync(feed, FeedMedia.PlainList, $"# C2\n{domain}\n{md5};dropper\n", query);

        var match = await WaitForMatchesAsync(new { type = "DomainName", value = $"cdn.{domain.ToUpperInvariant()}" }, expected: 1);
        Assert.Equal(
            (definition, "Critical", "DomainName", "EndsWith", domain),
            (match[0].GetProperty("alertDefinitionName").GetString(), match[0].GetProperty("severity").GetString(),
             match[0].GetProperty("iocType").GetString(), match[0].GetProperty("iocAction").GetString(), match[0].GetProperty("iocValue").GetString()));
        await WaitForMatchesAsync(new { type = "FileMd5", value = md5 }, expected: 1);

        await _client.SyncFeedAsync(feed, FeedMedia.PlainList, $"{domain}\n", query);

        await WaitForMatchesAsync(new { type = "FileMd5", value = md5 }, expected: 0);
        await WaitForMatchesAsync(new { type = "DomainName", value = domain }, expected: 1);
    }

    [Fact]
    public async Task A_refused_or_dry_run_push_never_reaches_matching()
    {
        var feed = "not-matching-" + TestData.Token();
        var sha256 = TestData.Sha256();
        var csv = $"definition,type,value\n{TestData.Name()},FileSha256,{sha256}\n";
        var marker = TestData.Md5();
        await _client.SyncFeedAsync(feed, FeedMedia.Csv, $"definition,type,value\n{TestData.Name()},FileMd5,{marker}\n", "?dryRun=true");
        await (await _client.PushFeedAsync(HttpMethod.Put, feed, FeedMedia.Csv, csv + $"{TestData.Name()},FileMd5,bad\n")).ReadRejectedAsync();

        // A later push of something else shows when the index has caught up with everything before it.
        var later = TestData.Sha1();
        await _client.SyncFeedAsync("later-" + TestData.Token(), FeedMedia.Csv, $"definition,type,value\n{TestData.Name()},FileSha1,{later}\n");
        await WaitForMatchesAsync(new { type = "FileSha1", value = later }, expected: 1);

        Assert.Empty(await MatchesAsync(new { type = "FileSha256", value = sha256 }));
        Assert.Empty(await MatchesAsync(new { type = "FileMd5", value = marker }));
    }

    [Fact]
    public async Task Deleting_a_feed_removes_its_definitions_and_iocs_then_it_is_gone()
    {
        var feed = "deleted-" + TestData.Token();
        var handMade = await _client.CreateDefinitionAsync(iocs: [new { type = "FileSha1", value = TestData.Sha1() }]);
        var md5 = TestData.Md5();
        var pushed = await _client.SyncFeedAsync(feed, FeedMedia.Json, FeedTestClient.JsonFeed(
            new { name = TestData.Name(), iocs = new object[] { new { type = "FileMd5", value = md5 }, new { type = "IpAddress", value = TestData.IPv4() } } },
            new { name = TestData.Name(), iocs = new object[] { new { type = "DomainName", value = TestData.Domain() } } }));
        Assert.Equal((2, 3), (pushed.DefinitionsCreated, pushed.IocsCreated));
        await WaitForMatchesAsync(new { type = "FileMd5", value = md5 }, expected: 1);
        var (definitions, iocs) = (await _client.CountDefinitionsAsync(), await _client.CountIocsAsync());
        var (_, handMadeETag) = await _client.GetDefinitionAsync(handMade.Id);

        var deleted = await _client.DeleteAsync(FeedRoutes.Feed(feed));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await _client.GetFeedAsync(feed)).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await _client.GetAsync(FeedRoutes.Export(feed, "json"))).ShouldHaveStatusAsync(HttpStatusCode.NotFound);
        Assert.Empty(await _client.ReadFeedContentAsync(feed));
        Assert.Empty((await _client.LookupAsync("FileMd5", md5)).Items);
        Assert.Equal((definitions - 2, iocs - 3), (await _client.CountDefinitionsAsync(), await _client.CountIocsAsync()));
        Assert.Equal(handMadeETag, (await _client.GetDefinitionAsync(handMade.Id)).ETag);
        Assert.DoesNotContain((await _client.GetPageAsync<FeedDto>($"{FeedRoutes.Feeds}?pageSize=1000")).Items, f => f.Name == feed);
        await WaitForMatchesAsync(new { type = "FileMd5", value = md5 }, expected: 0);

        await (await _client.DeleteAsync(FeedRoutes.Feed(feed))).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_deleted_feed_can_be_pushed_again_from_scratch()
    {
        var feed = "reborn-" + TestData.Token();
        var csv = $"definition,type,value\n{TestData.Name()},FileMd5,{TestData.Md5()}\n";
        await _client.SyncFeedAsync(feed, FeedMedia.Csv, csv);
        await (await _client.DeleteAsync(FeedRoutes.Feed(feed))).ShouldHaveStatusAsync(HttpStatusCode.NoContent);

        var again = await _client.SyncFeedAsync(feed, FeedMedia.Csv, csv);

        Assert.Equal((1, 1), (again.DefinitionsCreated, again.IocsCreated));
        Assert.Equal((1, 1), ((await _client.ReadFeedAsync(feed)).DefinitionCount, (await _client.ReadFeedAsync(feed)).IocCount));
    }

    private async Task<JsonElement[]> MatchesAsync(object observable)
    {
        var response = await _client.PostAsJsonAsync(Evaluate, new { events = new[] { new { observables = new[] { observable } } } });
        var result = await response.ReadAsync<JsonElement>(HttpStatusCode.OK);
        return [.. result.GetProperty("results").EnumerateArray().SelectMany(r => r.GetProperty("matches").EnumerateArray())];
    }

    /// <summary>The index is rebuilt just after a change commits; this waits (up to 5 s) for it to give the expected matches.</summary>
    private async Task<JsonElement[]> WaitForMatchesAsync(object observable, int expected)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var matches = await MatchesAsync(observable);
            if (matches.Length == expected)
            {
                return matches;
            }

            Assert.True(
                deadline.Elapsed < TimeSpan.FromSeconds(5),
                $"{JsonSerializer.Serialize(observable)} still has {matches.Length} match(es) instead of {expected} after 5 s.");
            await Task.Delay(25);
        }
    }
}
