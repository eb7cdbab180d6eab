using System.Net;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.Feeds;

/// <summary>
/// Two pipelines pushing one feed at once: each push completes (200) or is told to push again (409), and the feed
/// always ends up holding exactly one of the pushed contents, never a mix.
/// </summary>
public sealed class FeedConcurrencyTests(ThreatIntelApiFactory factory) : IClassFixture<ThreatIntelApiFactory>
{
    private const int Rounds = 4;

    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Concurrent_syncs_to_one_feed_on_one_instance_never_interleave()
    {
        var feed = "race-" + TestData.Token();
        var (shared, onlyFirst, onlySecond) = (TestData.Name("shared"), TestData.Name("first"), TestData.Name("second"));

        for (var round = 0; round < Rounds; round++)
        {
            var (first, firstRows) = Content(shared, onlyFirst);
            var (second, secondRows) = Content(shared, onlySecond);

            var responses = await Task.WhenAll(
                _client.PushFeedAsync(HttpMethod.Put, feed, FeedMedia.Csv, first),
                _client.PushFeedAsync(HttpMethod.Put, feed, FeedMedia.Csv, second));

            await AssertOneContentWonAsync(feed, responses, firstRows, secondRows);
        }
    }

    [Fact]
    public async Task Concurrent_syncs_to_one_feed_from_two_instances_sharing_the_database_never_interleave()
    {
        var feed = "replicas-" + TestData.Token();
        var (shared, onlyFirst, onlySecond) = (TestData.Name("shared"), TestData.Name("first"), TestData.Name("second"));
        await using var replica = new SharedDatabaseApiFactory(factory.DatabasePath);
        using var replicaClient = replica.CreateClient();

        for (var round = 0; round < Rounds; round++)
        {
            var (first, firstRows) = Content(shared, onlyFirst);
            var (second, secondRows) = Content(shared, onlySecond);

            var responses = await Task.WhenAll(
                _client.PushFeedAsync(HttpMethod.Put, feed, FeedMedia.Csv, first),
                replicaClient.PushFeedAsync(HttpMethod.Put, feed, FeedMedia.Csv, second));

            await AssertOneContentWonAsync(feed, responses, firstRows, secondRows);
        }
    }

    private async Task AssertOneContentWonAsync(string feed, HttpResponseMessage[] responses, string[] firstRows, string[] secondRows)
    {
        foreach (var response in responses)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(
                response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict,
                $"A concurrent push got {(int)response.StatusCode}: {body}");
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                await response.ReadProblemAsync(HttpStatusCode.Conflict);
            }
        }

        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
        var rows = (await _client.ReadFeedContentAsync(feed)).IocRows();
        Assert.True(
            rows.SequenceEqual(firstRows) || rows.SequenceEqual(secondRows),
            $"The feed holds a mix of the two pushes:\n{string.Join('\n', rows)}");
        var summary = await _client.ReadFeedAsync(feed);
        Assert.Equal(rows.Length, summary.IocCount);
        Assert.Equal(2, summary.DefinitionCount);
    }

    /// <summary>
    /// 300 fresh IOCs in a definition both pushes share and 50 in one of each push's own, so that an interleaved
    /// write would leave IOCs of both in the shared definition or both own definitions side by side.
    /// </summary>
    private static (string Csv, string[] Rows) Content(string shared, string own)
    {
        var rows = Enumerable.Range(0, 300).Select(_ => (shared, "FileMd5", "Equals", TestData.Md5()))
            .Concat(Enumerable.Range(0, 50).Select(_ => (own, "FileSha1", "Equals", TestData.Sha1())))
            .ToArray();
        var csv = "definition,type,value\n" + string.Concat(rows.Select(r => $"{r.Item1},{r.Item2},{r.Item4}\n"));
        return (csv, FeedTestClient.ExpectedRows(rows));
    }
}
