using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.Feeds;

/// <summary>The service with small body limits, the feed limit above the ordinary one as it is by default.</summary>
public sealed class FeedBodyLimitApiFactory : ThreatIntelApiFactory
{
    public const int MaxBodyBytes = 8 * 1024;
    public const int MaxFeedBodyBytes = 64 * 1024;

    protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings =>
    [
        new("RequestLimits:MaxBodyBytes", MaxBodyBytes.ToString(CultureInfo.InvariantCulture)),
        new("RequestLimits:MaxFeedBodyBytes", MaxFeedBodyBytes.ToString(CultureInfo.InvariantCulture)),
    ];
}

/// <summary>A feed may be larger than an ordinary body, up to its own limit; past it the push is a 413 that writes nothing.</summary>
public sealed class FeedBodyLimitTests(FeedBodyLimitApiFactory factory) : IClassFixture<FeedBodyLimitApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task A_feed_larger_than_an_ordinary_body_but_within_the_feed_limit_is_applied()
    {
        var feed = "large-" + TestData.Token();
        var (csv, rows) = Csv(targetBytes: 3 * FeedBodyLimitApiFactory.MaxBodyBytes);

        var pushed = await _client.SyncFeedAsync(feed, FeedMedia.Csv, csv);

        Assert.Equal(rows, pushed.IocsCreated);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_feed_over_the_feed_limit_is_a_413_problem_and_writes_nothing(bool chunked)
    {
        var feed = "too-large-" + TestData.Token();
        var (csv, _) = Csv(targetBytes: FeedBodyLimitApiFactory.MaxFeedBodyBytes + 1024);
        var before = (await _client.CountDefinitionsAsync(), await _client.CountIocsAsync());
        HttpContent content = chunked
            ? new StreamContent(new NonSeekableStream(Encoding.UTF8.GetBytes(csv)))
            : new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(FeedMedia.Csv);

        var response = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Put, FeedRoutes.Feed(feed)) { Content = content });

        var problem = await response.ReadProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains(FeedBodyLimitApiFactory.MaxFeedBodyBytes.ToString(CultureInfo.InvariantCulture), problem.Detail, StringComparison.Ordinal);
        Assert.Equal(before, (await _client.CountDefinitionsAsync(), await _client.CountIocsAsync()));
        await (await _client.GetFeedAsync(feed)).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    private static (string Csv, int Rows) Csv(int targetBytes)
    {
        var csv = new StringBuilder("definition,type,value\n");
        var name = TestData.Name();
        var rows = 0;
        while (csv.Length < targetBytes)
        {
            csv.Append(name).Append(",FileSha256,").Append(TestData.Sha256()).Append('\n');
            rows++;
        }

        return (csv.ToString(), rows);
    }

    /// <summary>A body whose length the client cannot tell, so that it is sent chunked.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
