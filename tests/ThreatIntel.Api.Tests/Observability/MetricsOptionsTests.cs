using System.Net;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.Observability;

/// <summary>The <c>Metrics</c> section, and that scraping draws on no rate limit budget; each test starts its own service.</summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsOptionsTests
{
    [Fact]
    public async Task Disabled_metrics_leave_no_endpoint()
    {
        await using var factory = new ConfiguredApiFactory("Metrics:Enabled", "false");
        using var client = factory.CreateClientWithKey(apiKey: null);

        await (await client.GetAsync(PrometheusScrape.Path)).ShouldHaveStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_endpoint_moves_with_the_configured_path()
    {
        await using var factory = new ConfiguredApiFactory("Metrics:Path", "/internal/metrics");
        using var client = factory.CreateClientWithKey(apiKey: null);

        await (await client.GetAsync("/internal/metrics")).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await client.GetAsync(PrometheusScrape.Path)).ShouldHaveStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Scrapes_go_on_while_the_key_sending_them_has_spent_its_read_budget()
    {
        await using var factory = new ConfiguredApiFactory("RateLimiting:Reads:PermitLimit", "1");
        using var client = factory.CreateClient();
        await (await client.GetAsync(Routes.Definitions)).ShouldHaveStatusAsync(HttpStatusCode.OK);

        for (var scrape = 0; scrape < 3; scrape++)
        {
            await (await client.GetAsync(PrometheusScrape.Path)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        }

        await (await client.GetAsync(Routes.Definitions)).ShouldHaveStatusAsync(HttpStatusCode.TooManyRequests);
    }

    private sealed class ConfiguredApiFactory(string key, string value) : ThreatIntelApiFactory
    {
        protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings => [new(key, value)];
    }
}
