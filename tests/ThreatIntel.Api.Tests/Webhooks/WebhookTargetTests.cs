using System.Net;
using System.Net.Http.Json;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.Webhooks;

/// <summary>Without an allow-list, a webhook aimed at the service's own network is refused when it is saved.</summary>
public sealed class WebhookTargetTests(StrictWebhookApiFactory factory) : IClassFixture<StrictWebhookApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("http://10.0.0.5/hooks", "10.0.0.5 is a private address")]
    [InlineData("http://169.254.169.254/latest/meta-data", "169.254.169.254 is a link-local address")]
    [InlineData("http://[::1]:8080/hooks", "::1 is a loopback address")]
    [InlineData("http://127.0.0.1:8080/hooks", "127.0.0.1 is a loopback address")]
    [InlineData("http://localhost/", "a loopback address")]
    [InlineData("https://loopback-name.test/hooks", "'loopback-name.test' resolves to 127.0.0.1, a loopback address")]
    [InlineData("https://private-name.test/hooks", "'private-name.test' resolves to 10.0.0.5, a private address")]
    [InlineData("https://unknown-name.test/hooks", "'unknown-name.test' could not be resolved")]
    [InlineData("ftp://files.example.com/hooks", "scheme must be https or http")]
    [InlineData("https://user:secret@203.0.113.10/hooks", "user info")]
    public async Task A_webhook_to_a_refused_target_is_a_400_naming_url_and_nothing_is_stored(string url, string reason)
    {
        factory.Resolver.Map("loopback-name.test", IPAddress.Loopback);
        factory.Resolver.Map("private-name.test", IPAddress.Parse("10.0.0.5"));
        var before = await CountAsync();

        var errors = await (await _client.PostAsJsonAsync(WebhookClient.Webhooks, new { name = TestData.Name("hook"), url }))
            .ReadValidationErrorsAsync("url");

        Assert.Contains(reason, Assert.Single(errors["url"]), StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task The_refusal_says_how_to_allow_the_network()
    {
        var errors = await (await _client.PostAsJsonAsync(WebhookClient.Webhooks, new { name = TestData.Name("hook"), url = "http://10.0.0.5/" }))
            .ReadValidationErrorsAsync("url");

        Assert.Equal(
            "10.0.0.5 is a private address; add its network to Webhooks:AllowedNetworks to allow it.",
            Assert.Single(errors["url"]));
    }

    [Fact]
    public async Task A_public_target_is_accepted_and_an_update_to_a_private_one_is_refused()
    {
        var webhook = await _client.CreateWebhookAsync(new { name = TestData.Name("hook"), url = "https://203.0.113.10/hooks", enabled = false });

        var errors = await (await _client.PutAsJsonAsync(WebhookClient.Webhook(webhook.Id), new { name = webhook.Name, url = "http://192.168.1.20/hooks" }))
            .ReadValidationErrorsAsync("url");

        Assert.Contains("192.168.1.20 is a private address", Assert.Single(errors["url"]), StringComparison.Ordinal);
        Assert.Equal("https://203.0.113.10/hooks", (await _client.GetFromJsonAsync<WebhookDto>(WebhookClient.Webhook(webhook.Id)))!.Url);
    }

    private async Task<int> CountAsync() => (await _client.GetPageAsync<WebhookDto>($"{WebhookClient.Webhooks}?pageSize=1")).TotalCount;
}
