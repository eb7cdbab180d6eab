using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.Feeds;

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

    private async Task<JsonElement> PushAsync(HttpMethod method, string feed, string contentType, string body, string query = "")
    {
        using var request = new HttpRequestMessage(method, $"/api/v1/feeds/{feed}{query}")
        {
            Content = new StringContent(body, Encoding.UTF8, contentType),
        };
        using var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<JsonElement>(text);
    }
}
