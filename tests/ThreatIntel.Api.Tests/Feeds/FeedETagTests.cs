using System.Net;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.Feeds;

/// <summary>
/// Feeds take part in optimistic concurrency like every other resource: <c>GET</c> and every push answer with the feed's
/// <c>ETag</c>, and a push or delete sent with a stale <c>If-Match</c> is refused with 412 and writes nothing.
/// </summary>
public sealed class FeedETagTests(ThreatIntelApiFactory factory) : IClassFixture<ThreatIntelApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task A_push_with_the_current_etag_applies_and_one_with_a_stale_etag_is_refused_without_writing()
    {
        var feed = "etag-" + TestData.Token();
        await _client.SyncFeedAsync(feed, "text/csv", $"definition,type,value\n{feed} C2,IpAddress,203.0.113.10\n");
        var read = await _client.GetFeedAsync(feed);
        await read.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var current = read.ETag();

        var pushed = await _client.PushFeedAsync(HttpMethod.Put, feed, FeedMedia.Csv, $"definition,type,value\n{feed} C2,IpAddress,203.0.113.11\n", ifMatch: current);
        await pushed.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var next = pushed.ETag();
        Assert.NotEqual(current, next);
        Assert.Equal(next, (await _client.GetFeedAsync(feed)).ETag());

        foreach (var method in new[] { HttpMethod.Put, HttpMethod.Post })
        {
            var stale = await _client.PushFeedAsync(method, feed, FeedMedia.Csv, $"definition,type,value\n{feed} C2,IpAddress,203.0.113.12\n", ifMatch: current);
            var problem = await stale.ReadProblemAsync(HttpStatusCode.PreconditionFailed);
            Assert.Contains(feed, problem.Detail, StringComparison.Ordinal);
        }

        var content = await _client.ReadFeedContentAsync(feed);
        Assert.Equal([$"{feed} C2 | IpAddress | Equals | 203.0.113.11"], content.IocRows());
    }

    [Fact]
    public async Task A_delete_with_a_stale_etag_is_refused_and_one_with_the_current_etag_removes_the_feed()
    {
        var feed = "etag-" + TestData.Token();
        await _client.SyncFeedAsync(feed, "text/csv", $"definition,type,value\n{feed} C2,IpAddress,203.0.113.20\n");
        var stale = (await _client.GetFeedAsync(feed)).ETag();
        await _client.SyncFeedAsync(feed, "text/csv", $"definition,type,value\n{feed} C2,IpAddress,203.0.113.21\n");

        await (await _client.DeleteAsync(FeedRoutes.Feed(feed), stale)).ReadProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await _client.GetFeedAsync(feed)).ShouldHaveStatusAsync(HttpStatusCode.OK);

        var current = (await _client.GetFeedAsync(feed)).ETag();
        await (await _client.DeleteAsync(FeedRoutes.Feed(feed), current)).ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        await (await _client.GetFeedAsync(feed)).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("\"0123456789abcdef0123456789abcdef\"")]
    [InlineData("*")]
    public async Task An_if_match_push_to_a_feed_that_does_not_exist_is_refused_and_creates_nothing(string ifMatch)
    {
        var feed = "etag-" + TestData.Token();

        var response = await _client.PushFeedAsync(HttpMethod.Put, feed, FeedMedia.Csv, $"definition,type,value\n{feed} C2,IpAddress,203.0.113.30\n", ifMatch: ifMatch);

        await response.ReadProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await _client.GetFeedAsync(feed)).ReadProblemAsync(HttpStatusCode.NotFound);
    }
}
