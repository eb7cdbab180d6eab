using System.Net;
using System.Text.Json;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.Feeds;

/// <summary>
/// What a pipeline sees when its push is wrong: invalid rows refuse the whole push with their line or index (or are
/// skipped on request), a dry run writes nothing, an unreadable body or a bad feed name is refused outright.
/// </summary>
public sealed class FeedValidationTests(ThreatIntelApiFactory factory) : IClassFixture<ThreatIntelApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Invalid_csv_rows_refuse_the_whole_push_naming_their_lines_and_the_feed_keeps_its_content()
    {
        var feed = "csv-rows-" + TestData.Token();
        var name = TestData.Name();
        await _client.SyncFeedAsync(feed, FeedMedia.Csv, $"definition,type,value\n{name},FileMd5,{TestData.Md5()}\n");
        var before = await SnapshotAsync(feed);
        var csv = $"""
            definition,type,value,action,severity
            {name},FileMd5,{TestData.Md5()},,High
            {name},FileMd5,not-a-hash,,High
            {name},DomainName,{TestData.Domain()},,High
            {name},Sha1,{TestData.Sha1()},,High
            {name},IpAddress,10.0.0.1/8,,High
            """;

        var refused = await (await _client.PushFeedAsync(HttpMethod.Put, feed, FeedMedia.Csv, csv)).ReadRejectedAsync();

        Assert.Equal(
            [("line 3", "not-a-hash"), ("line 5", "Sha1"), ("line 6", "10.0.0.1/8")],
            refused.Rejected.Select(r => (r.Location, r.Value)));
        Assert.Equal([3, 5, 6], refused.Rejected.Select(r => r.Line));
        Assert.All(refused.Rejected, r => Assert.Null(r.Index));
        Assert.Contains("type", refused.Errors["line 5"][0], StringComparison.Ordinal);
        Assert.Equal(feed, refused.Feed);
        Assert.Equal(before, await SnapshotAsync(feed));
    }

    [Fact]
    public async Task Invalid_json_definitions_and_iocs_are_named_by_their_index()
    {
        var feed = "json-rows-" + TestData.Token();
        var first = TestData.Name();
        var body = FeedTestClient.JsonFeed(
            new { name = first, iocs = new object[] { new { type = "FileMd5", value = TestData.Md5() } } },
            new
            {
                name = TestData.Name(),
                iocs = new object[]
                {
                    new { type = "FileMd5", value = TestData.Md5() },
                    new { type = "FileSha256", value = TestData.Md5() },
                    new { type = "Hash", value = "x" },
                },
            },
            new { name = "", iocs = Array.Empty<object>() },
            new { name = TestData.Name(), severity = "Urgent" },
            new { name = first.ToUpperInvariant(), iocs = Array.Empty<object>() });
        var before = await GlobalCountsAsync();

        var refused = await (await _client.PushFeedAsync(HttpMethod.Put, feed, FeedMedia.Json, body)).ReadRejectedAsync();

        Assert.Equal(
            ["definitions[1].iocs[1]", "definitions[1].iocs[2]", "definitions[2]", "definitions[3]", "definitions[4]"],
            refused.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("twice", refused.Errors["definitions[4]"][0], StringComparison.Ordinal);
        Assert.Equal([1, 1, 2, 3, 4], refused.Rejected.Select(r => r.Index).Order());
        Assert.All(refused.Rejected, r => Assert.Null(r.Line));
        Assert.Equal(before, await GlobalCountsAsync());
        await (await _client.GetFeedAsync(feed)).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Skip_invalid_applies_the_valid_rows_and_reports_the_rest_also_in_the_feed_summary()
    {
        var feed = "skip-" + TestData.Token();
        var name = TestData.Name();
        var (good1, good2) = (TestData.Md5(), TestData.Sha1());
        var csv = $"""
            definition,type,value
            {name},FileMd5,{good1}
            {name},FileMd5,zzz
            {name},FileSha1,{good2}
            {name},Nonsense,abc
            """;

        var pushed = await _client.SyncFeedAsync(feed, FeedMedia.Csv, csv, "?skipInvalid=true");

        Assert.True(pushed.Applied);
        Assert.Equal((1, 2, 2), (pushed.DefinitionsCreated, pushed.IocsCreated, pushed.RejectedCount));
        Assert.Equal([("line 3", "zzz"), ("line 5", "Nonsense")], pushed.Rejected.Select(r => (r.Location, r.Value)));
        Assert.Equal(
            FeedTestClient.ExpectedRows((name, "FileMd5", "Equals", good1), (name, "FileSha1", "Equals", good2)),
            (await _client.ReadFeedContentAsync(feed)).IocRows());
        var lastPush = (await _client.ReadFeedAsync(feed)).LastPush!.Value;
        Assert.Equal(2, lastPush.GetProperty("rejectedCount").GetInt32());
        Assert.Equal(["line 3", "line 5"], lastPush.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("location").GetString()));
    }

    [Fact]
    public async Task Past_a_thousand_invalid_rows_the_rest_are_counted_but_not_listed()
    {
        var feed = "many-bad-" + TestData.Token();
        var name = TestData.Name();
        var csv = "definition,type,value\n" + string.Concat(Enumerable.Range(0, 1005).Select(i => $"{name},FileMd5,bad{i}\n"));

        var refused = await (await _client.PushFeedAsync(HttpMethod.Put, feed, FeedMedia.Csv, csv)).ReadRejectedAsync();

        Assert.Equal((1005, FeedTestClient.MaxListedRejections), (refused.RejectedCount, refused.Rejected.Length));
        Assert.Equal(("line 2", "bad0"), (refused.Rejected[0].Location, refused.Rejected[0].Value));
        Assert.Contains("1005", refused.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_of_a_new_feed_returns_the_diff_and_the_feed_never_appears()
    {
        var feed = "dry-new-" + TestData.Token();
        var before = await GlobalCountsAsync();

        var dryRun = await _client.SyncFeedAsync(
            feed, FeedMedia.Csv, $"definition,type,value\n{TestData.Name()},FileMd5,{TestData.Md5()}\n{TestData.Name()},FileSha1,{TestData.Sha1()}\n", "?dryRun=true");

        Assert.Equal((true, false), (dryRun.DryRun, dryRun.Applied));
        Assert.Equal((2, 2), (dryRun.DefinitionsCreated, dryRun.IocsCreated));
        Assert.Equal(before, await GlobalCountsAsync());
        await (await _client.GetFeedAsync(feed)).ReadProblemAsync(HttpStatusCode.NotFound);
        var feeds = await _client.GetPageAsync<FeedDto>($"{FeedRoutes.Feeds}?pageSize=1000");
        Assert.DoesNotContain(feeds.Items, f => f.Name == feed);
    }

    [Fact]
    public async Task A_dry_run_of_a_change_reports_it_and_leaves_the_feed_and_its_last_push_as_they_were()
    {
        var feed = "dry-change-" + TestData.Token();
        var name = TestData.Name();
        var (kept, dropped) = (TestData.Md5(), TestData.Md5());
        await _client.SyncFeedAsync(feed, FeedMedia.Csv, $"definition,type,value\n{name},FileMd5,{kept}\n{name},FileMd5,{dropped}\n");
        var before = await SnapshotAsync(feed);

        var dryRun = await _client.SyncFeedAsync(
            feed, FeedMedia.Csv, $"definition,type,value,severity\n{name},FileMd5,{kept},Critical\n{name},FileSha256,{TestData.Sha256()},Critical\n", "?dryRun=true");

        Assert.Equal((true, false), (dryRun.DryRun, dryRun.Applied));
        Assert.Equal((1, 1, 1, 1), (dryRun.DefinitionsUpdated, dryRun.IocsCreated, dryRun.IocsUnchanged, dryRun.IocsRemoved));
        Assert.Equal(before, await SnapshotAsync(feed));

        var mergeDryRun = await _client.MergeFeedAsync(feed, FeedMedia.Csv, $"definition,type,value\n{TestData.Name()},FileMd5,{TestData.Md5()}\n", "?dryRun=true");
        Assert.Equal((1, 1, 0), (mergeDryRun.DefinitionsCreated, mergeDryRun.IocsCreated, mergeDryRun.DefinitionsRemoved));
        Assert.Equal(before, await SnapshotAsync(feed));
    }

    [Fact]
    public async Task A_dry_run_with_invalid_rows_is_still_refused_with_the_rows_listed()
    {
        var feed = "dry-invalid-" + TestData.Token();

        var refused = await (await _client.PushFeedAsync(
            HttpMethod.Put, feed, FeedMedia.Csv, $"definition,type,value\n{TestData.Name()},FileMd5,nope\n", "?dryRun=true")).ReadRejectedAsync();

        Assert.Equal(("line 2", "nope"), (Assert.Single(refused.Rejected).Location, refused.Rejected[0].Value));
    }

    [Theory]
    [InlineData("type,value\nFileMd5,d41d8cd98f00b204e9800998ecf8427e\n")]
    [InlineData("FileMd5,d41d8cd98f00b204e9800998ecf8427e,whatever\n")]
    [InlineData("")]
    public async Task A_csv_without_the_required_header_is_refused_even_with_skip_invalid_and_removes_nothing(string csv)
    {
        var feed = "header-" + TestData.Token();
        await _client.SyncFeedAsync(feed, FeedMedia.Csv, $"definition,type,value\n{TestData.Name()},FileMd5,{TestData.Md5()}\n");
        var before = await SnapshotAsync(feed);

        var refused = await (await _client.PushFeedAsync(HttpMethod.Put, feed, FeedMedia.Csv, csv, "?skipInvalid=true")).ReadRejectedAsync();

        Assert.Equal("line 1", Assert.Single(refused.Rejected).Location);
        Assert.Equal(before, await SnapshotAsync(feed));
    }

    [Theory]
    [InlineData("")]
    [InlineData("?skipInvalid=true")]
    [InlineData("?definition=%20%20&skipInvalid=true")]
    public async Task A_plain_list_without_a_definition_name_is_refused_and_creates_nothing(string query)
    {
        var feed = "plain-" + TestData.Token();
        var before = await GlobalCountsAsync();

        var refused = await (await _client.PushFeedAsync(HttpMethod.Put, feed, FeedMedia.PlainList, $"{TestData.Domain()}\n", query)).ReadRejectedAsync();

        var row = Assert.Single(refused.Rejected);
        Assert.Equal("query definition", row.Location);
        Assert.Contains("?definition=", row.Reason, StringComparison.Ordinal);
        Assert.Equal(before, await GlobalCountsAsync());
        await (await _client.GetFeedAsync(feed)).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_plain_list_line_whose_type_cannot_be_told_is_a_rejected_row_with_its_line_number()
    {
        var feed = "plain-lines-" + TestData.Token();
        var list = $"# a comment\n{TestData.Domain()}\n\nlocalhost\nhxxp://evil[.]example/x\n";

        var refused = await (await _client.PushFeedAsync(
            HttpMethod.Put, feed, FeedMedia.PlainList, list, $"?definition={Uri.EscapeDataString(TestData.Name())}")).ReadRejectedAsync();

        Assert.Equal([("line 4", "localhost"), ("line 5", "hxxp://evil[.]example/x")], refused.Rejected.Select(r => (r.Location, r.Value)));
    }

    [Theory]
    [InlineData("bad name!")]
    [InlineData("-starts-with-a-dash")]
    [InlineData(".hidden")]
    [InlineData("ünïcode")]
    [InlineData("a/b")]
    public async Task An_invalid_feed_name_is_a_400_naming_feed_for_sync_and_merge(string feed)
    {
        foreach (var method in new[] { HttpMethod.Put, HttpMethod.Post })
        {
            var response = await _client.PushFeedAsync(method, feed, FeedMedia.Csv, $"definition,type,value\n{TestData.Name()},FileMd5,{TestData.Md5()}\n");

            var errors = await response.ReadFieldErrorsAsync(problemMediaType: true, "feed");
            Assert.Contains("100", errors["feed"][0], StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("abuse.ch_urlhaus-v2")]
    [InlineData("9")]
    [InlineData("UPPER.lower_0-9")]
    public async Task Feed_names_of_letters_digits_dots_underscores_and_dashes_work_on_every_route(string prefix)
    {
        var feed = $"{prefix}.{TestData.Token()}";
        var name = TestData.Name();

        await _client.SyncFeedAsync(feed, FeedMedia.Csv, $"definition,type,value\n{name},FileMd5,{TestData.Md5()}\n");

        Assert.Equal(feed, (await _client.ReadFeedAsync(feed)).Name);
        await (await _client.GetAsync(FeedRoutes.Export(feed, "csv"))).ShouldHaveStatusAsync(HttpStatusCode.OK);
        Assert.Equal(feed, Assert.Single(await _client.ReadFeedContentAsync(feed)).Definition.Source);
        await (await _client.DeleteAsync(FeedRoutes.Feed(feed))).ShouldHaveStatusAsync(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Feed_names_are_case_sensitive()
    {
        var feed = "Case-" + TestData.Token();
        await _client.SyncFeedAsync(feed, FeedMedia.Csv, $"definition,type,value\n{TestData.Name()},FileMd5,{TestData.Md5()}\n");

        await (await _client.GetFeedAsync(feed.ToLowerInvariant())).ReadProblemAsync(HttpStatusCode.NotFound);
        var other = await _client.SyncFeedAsync(feed.ToLowerInvariant(), FeedMedia.Csv, "definition,type,value\n");

        Assert.Equal(0, other.DefinitionsRemoved);
        Assert.Equal(1, (await _client.ReadFeedAsync(feed)).IocCount);
    }

    [Fact]
    public async Task A_feed_name_of_101_characters_is_refused_and_one_of_100_accepted()
    {
        var csv = $"definition,type,value\n{TestData.Name()},FileMd5,{TestData.Md5()}\n";
        var prefix = TestData.Token();

        await (await _client.PushFeedAsync(HttpMethod.Put, prefix + new string('x', 101 - prefix.Length), FeedMedia.Csv, csv))
            .ReadFieldErrorsAsync(problemMediaType: true, "feed");
        var accepted = await _client.SyncFeedAsync(prefix + new string('x', 100 - prefix.Length), FeedMedia.Csv, csv);

        Assert.Equal(1, accepted.IocsCreated);
    }

    [Theory]
    [InlineData("application/xml")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("text/html")]
    public async Task An_unsupported_content_type_is_a_415_problem_and_writes_nothing(string contentType)
    {
        var feed = "media-" + TestData.Token();
        var before = await GlobalCountsAsync();

        var response = await _client.PushFeedAsync(HttpMethod.Put, feed, contentType, "<definitions/>");

        var problem = await response.ReadProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains(contentType, problem.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await GlobalCountsAsync());
    }

    [Fact]
    public async Task The_415_problem_of_a_push_names_the_formats_a_feed_takes()
    {
        // The framework's 415 detail says "This endpoint takes application/json", which is wrong for feeds.
        var response = await _client.PushFeedAsync(HttpMethod.Put, "media-" + TestData.Token(), "application/xml", "<definitions/>");

        var problem = await response.ReadProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.All([FeedMedia.Csv, FeedMedia.Json, FeedMedia.Stix, FeedMedia.PlainList], media => Assert.Contains(media, problem.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_push_without_a_content_type_is_a_415_problem()
    {
        var feed = "no-media-" + TestData.Token();

        var response = await _client.PushFeedAsync(HttpMethod.Put, feed, contentType: null, "definition,type,value\n"u8.ToArray());

        await response.ReadProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await (await _client.GetFeedAsync(feed)).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(FeedMedia.Json, "{ \"definitions\": [ { \"name\": \"x\" ")]
    [InlineData(FeedMedia.Json, "[]")]
    [InlineData(FeedMedia.Json, "{ \"items\": [] }")]
    [InlineData(FeedMedia.Stix, "{ \"type\": \"report\", \"objects\": [] }")]
    [InlineData(FeedMedia.Stix, "not json")]
    [InlineData(FeedMedia.Csv, "definition,type,value\n\"unclosed,FileMd5,d41d8cd98f00b204e9800998ecf8427e\n")]
    public async Task A_body_that_cannot_be_read_as_its_format_is_a_400_problem_naming_the_body(string contentType, string body)
    {
        var feed = "malformed-" + TestData.Token();
        await _client.SyncFeedAsync(feed, FeedMedia.Csv, $"definition,type,value\n{TestData.Name()},FileMd5,{TestData.Md5()}\n");
        var before = await SnapshotAsync(feed);

        var response = await _client.PushFeedAsync(HttpMethod.Put, feed, contentType, body, "?skipInvalid=true");

        await response.ReadFieldErrorsAsync(problemMediaType: true, "body");
        Assert.Equal(before, await SnapshotAsync(feed));
    }

    [Fact]
    public async Task The_400s_of_sync_and_merge_carry_a_detail_like_every_other_problem()
    {
        // The contract: every error is a problem with status, title and detail. The feed routes' own 400s (bad feed
        // name, unreadable body) come from ControllerBase.ValidationProblem() and have no detail.
        var csv = $"definition,type,value\n{TestData.Name()},FileMd5,{TestData.Md5()}\n";

        var badName = await _client.PushFeedAsync(HttpMethod.Put, "bad name!", FeedMedia.Csv, csv);
        var unreadable = await _client.PushFeedAsync(HttpMethod.Post, "detail-" + TestData.Token(), FeedMedia.Json, "[]");

        await badName.ReadValidationErrorsAsync("feed");
        await unreadable.ReadValidationErrorsAsync("body");
    }

    [Fact]
    public async Task Unknown_feeds_are_404_problems_for_get_and_delete()
    {
        var feed = "nowhere-" + TestData.Token();

        var get = await (await _client.GetFeedAsync(feed)).ReadProblemAsync(HttpStatusCode.NotFound);
        var delete = await (await _client.DeleteAsync(FeedRoutes.Feed(feed))).ReadProblemAsync(HttpStatusCode.NotFound);

        Assert.Contains(feed, get.Detail, StringComparison.Ordinal);
        Assert.Contains(feed, delete.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_feed_list_pages_by_name_with_items_page_page_size_and_total_count()
    {
        var prefix = "list-" + TestData.Token();
        foreach (var suffix in new[] { "c", "a", "b" })
        {
            await _client.SyncFeedAsync($"{prefix}-{suffix}", FeedMedia.Csv, $"definition,type,value\n{TestData.Name()},FileMd5,{TestData.Md5()}\n");
        }

        var all = await _client.GetPageAsync<FeedDto>($"{FeedRoutes.Feeds}?pageSize=1000");
        var firstTwo = await _client.GetPageAsync<FeedDto>($"{FeedRoutes.Feeds}?page=1&pageSize=2");
        var beyond = await _client.GetPageAsync<FeedDto>($"{FeedRoutes.Feeds}?page=1000&pageSize=2");

        Assert.Equal(all.Items.Select(f => f.Name).Order(StringComparer.Ordinal), all.Items.Select(f => f.Name));
        Assert.Equal([$"{prefix}-a", $"{prefix}-b", $"{prefix}-c"], all.Items.Select(f => f.Name).Where(n => n.StartsWith(prefix, StringComparison.Ordinal)));
        Assert.Equal(all.Items.Length, all.TotalCount);
        Assert.Equal((1, 2, all.TotalCount), (firstTwo.Page, firstTwo.PageSize, firstTwo.TotalCount));
        Assert.Equal(all.Items.Take(2).Select(f => f.Name), firstTwo.Items.Select(f => f.Name));
        Assert.Equal((1000, 0, all.TotalCount), (beyond.Page, beyond.Items.Length, beyond.TotalCount));
        var listed = Assert.Single(all.Items, f => f.Name == $"{prefix}-a");
        Assert.Equal((1, 1, ThreatIntelApiFactory.AdminKeyName, ThreatIntelApiFactory.AdminKeyName), (listed.DefinitionCount, listed.IocCount, listed.CreatedBy, listed.LastPushBy));
        Assert.NotNull(listed.LastPushAt);
        Assert.Equal(1, listed.LastPush!.Value.GetProperty("iocsCreated").GetInt32());
    }

    [Theory]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=1001", "pageSize")]
    [InlineData("page=0", "page")]
    public async Task Invalid_paging_of_the_feed_list_is_a_400_naming_the_parameter(string query, string field)
    {
        // Every other list validates page and pageSize (1 to 1000); GET /feeds answers 200 with "page": 0 or more
        // than 1000 items because ListFeedsParameters has no validator.
        await (await _client.GetAsync($"{FeedRoutes.Feeds}?{query}")).ReadValidationErrorsAsync(field);
    }

    /// <summary>The feed's content with ids and timestamps, its summary, and how much the database holds.</summary>
    private async Task<string> SnapshotAsync(string feed) => JsonSerializer.Serialize(new
    {
        content = (await _client.ReadFeedContentAsync(feed)).Fingerprint(),
        summary = await _client.ReadFeedAsync(feed),
        counts = await GlobalCountsAsync(),
    });

    private async Task<string> GlobalCountsAsync() => JsonSerializer.Serialize(new
    {
        definitions = await _client.CountDefinitionsAsync(),
        iocs = await _client.CountIocsAsync(),
        feeds = (await _client.GetPageAsync<FeedDto>($"{FeedRoutes.Feeds}?pageSize=1")).TotalCount,
        audit = await _client.CountAuditAsync(),
    });
}
