using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ThreatIntel.Api.Tests.Support;
using ThreatIntel.Core.Matching;

namespace ThreatIntel.Api.Tests.Matching;

/// <summary>
/// The service with the change-stamp poll an hour apart and every index build taking a little while, as it does with
/// real data: only a write that waits for the index it changed can make the next event see it.
/// </summary>
public sealed class SlowIndexApiFactory : ThreatIntelApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings =>
        [new("Matching:RefreshIntervalSeconds", "3600")];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            var real = services.Single(service => service.ServiceType == typeof(IMatchableIocSource));
            services.Remove(real);
            services.AddScoped<IMatchableIocSource>(provider =>
                new SlowSource((IMatchableIocSource)ActivatorUtilities.CreateInstance(provider, real.ImplementationType!)));
        });
    }

    private sealed class SlowSource(IMatchableIocSource source) : IMatchableIocSource
    {
        public Task<Guid> GetChangeStampAsync(CancellationToken cancellationToken) => source.GetChangeStampAsync(cancellationToken);

        public async Task<IReadOnlyList<MatchableIoc>> LoadAsync(CancellationToken cancellationToken)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
            return await source.LoadAsync(cancellationToken);
        }
    }
}

/// <summary>
/// A SOC tool that writes detection content and submits an event right after the write answered sees the event matched
/// by what it wrote: no retry, no wait on its side.
/// </summary>
public sealed class WritesVisibleToMatchingTests(SlowIndexApiFactory factory) : IClassFixture<SlowIndexApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task An_added_ioc_matches_the_next_event_and_a_deleted_one_matches_none_after_it()
    {
        var definition = await _client.CreateDefinitionAsync();
        var sha1 = TestData.Sha1();

        var ioc = await _client.AddIocAsync(definition.Id, new { type = "FileSha1", value = sha1 });
        Assert.Equal(1, await MatchedAsync("FileSha1", sha1));

        await (await _client.DeleteAsync(Routes.Ioc(ioc.Id), ifMatch: null)).ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        Assert.Equal(0, await MatchedAsync("FileSha1", sha1));
    }

    [Fact]
    public async Task A_disabled_definition_stops_matching_as_soon_as_the_update_answered()
    {
        var domain = TestData.Domain();
        var definition = await _client.CreateDefinitionAsync(iocs: [new { type = "DomainName", value = domain }]);
        Assert.Equal(1, await MatchedAsync("DomainName", $"www.{domain}"));

        var (_, etag) = await _client.GetDefinitionAsync(definition.Id);
        var update = await _client.SendJsonAsync(
            HttpMethod.Put, Routes.Definition(definition.Id), new { name = definition.Name, severity = "High", enabled = false }, etag);
        await update.ShouldHaveStatusAsync(HttpStatusCode.OK);

        Assert.Equal(0, await MatchedAsync("DomainName", $"www.{domain}"));
    }

    [Fact]
    public async Task A_pushed_feed_matches_the_next_event_and_a_deleted_feed_matches_none()
    {
        var feed = $"feed-{TestData.Token()}";
        var address = "198.51.100.77";
        var push = await _client.SendRawAsync(
            HttpMethod.Put, $"/api/v1/feeds/{feed}", $"definition,type,value\nC2 servers,IpAddress,{address}\n", "text/csv");
        await push.ShouldHaveStatusAsync(HttpStatusCode.OK);
        Assert.Equal(1, await MatchedAsync("IpAddress", address));

        await (await _client.DeleteAsync($"/api/v1/feeds/{feed}", ifMatch: null)).ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        Assert.Equal(0, await MatchedAsync("IpAddress", address));
    }

    private async Task<int> MatchedAsync(string type, string value)
    {
        var response = await _client.PostAsJsonAsync(
            "/api/v1/events/evaluate?dryRun=true", new { events = new[] { new { observables = new[] { new { type, value } } } } });
        var result = await response.ReadAsync<JsonElement>(HttpStatusCode.OK);
        return result.GetProperty("matched").GetInt32();
    }
}
