using System.Net;
using System.Net.Http.Json;
using ThreatIntel.Api.Tests.Support;
using ThreatIntel.Core.ApiKeys;

namespace ThreatIntel.Api.Tests.Webhooks;

/// <summary>Managing webhooks: the secret is shown once, versions guard updates, fields are validated, admins only.</summary>
public sealed class WebhookCrudTests(WebhookApiFactory factory) : IClassFixture<WebhookApiFactory>
{
    private const string GivenSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Create_returns_the_settings_a_location_and_the_secret_once()
    {
        var definitionId = Guid.NewGuid();
        var response = await _client.PostAsJsonAsync(WebhookClient.Webhooks, new
        {
            name = "  SOAR intake  ", url = "http://127.0.0.1:9/hooks", minimumSeverity = "High",
            alertDefinitionIds = new[] { definitionId, definitionId }, enabled = false,
        });

        var created = await response.ReadAsync<WebhookDto>(HttpStatusCode.Created);
        Assert.Equal(WebhookClient.Webhook(created.Id), response.Headers.Location?.AbsolutePath);
        Assert.Equal("SOAR intake", created.Name);
        Assert.Equal("High", created.MinimumSeverity);
        Assert.Equal([definitionId], created.AlertDefinitionIds);
        Assert.False(created.Enabled);
        Assert.Equal(ThreatIntelApiFactory.AdminKeyName, created.CreatedBy);
        Assert.StartsWith("whsec_", created.Secret, StringComparison.Ordinal);
        Assert.Equal(response.ETag(), (await _client.GetAsync(WebhookClient.Webhook(created.Id))).ETag());

        var given = await _client.CreateWebhookAsync(new { name = TestData.Name("hook"), url = "http://127.0.0.1:9/hooks", secret = GivenSecret, enabled = false });
        Assert.Equal(GivenSecret, given.Secret);
    }

    [Fact]
    public async Task The_secret_never_appears_in_reads_lists_or_the_audit_log_which_records_its_rotation_redacted()
    {
        var created = await _client.CreateWebhookAsync(new { name = TestData.Name("hook"), url = "http://127.0.0.1:9/hooks", enabled = false });
        var etag = (await _client.GetAsync(WebhookClient.Webhook(created.Id))).ETag();
        var rotated = "whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await (await _client.SendJsonAsync(HttpMethod.Put, WebhookClient.Webhook(created.Id),
            new { name = created.Name, url = created.Url, secret = rotated, enabled = false }, etag)).ShouldHaveStatusAsync(HttpStatusCode.OK);

        var texts = new[]
        {
            await _client.GetStringAsync(WebhookClient.Webhook(created.Id)),
            await _client.GetStringAsync($"{WebhookClient.Webhooks}?pageSize=1000"),
            await _client.GetStringAsync($"{Routes.Audit}?entityId={created.Id}&pageSize=1000"),
        };
        foreach (var text in texts)
        {
            Assert.DoesNotContain(created.Secret!, text, StringComparison.Ordinal);
            Assert.DoesNotContain(rotated, text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("\"secret\"", texts[0], StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\"secret\"", texts[1], StringComparison.OrdinalIgnoreCase);

        var audit = await _client.GetAuditAsync($"entityId={created.Id}");
        var creation = Assert.Single(audit.Items, entry => entry.Action == "Created");
        Assert.Equal("Webhook", creation.EntityType);
        Assert.Equal(ThreatIntelApiFactory.AdminKeyName, creation.Actor);
        Assert.Contains("url", creation.Changes.Keys);
        var rotation = Assert.Single(audit.Items, entry => entry.Action == "Updated");
        Assert.Equal(["secret"], rotation.Changes.Keys.Where(key => key is not ("updatedAt" or "updatedBy")));
        Assert.Equal("[redacted]", rotation.Changes["secret"].Before.GetString());
        Assert.Equal("[redacted]", rotation.Changes["secret"].After.GetString());
    }

    [Fact]
    public async Task Update_replaces_the_settings_keeps_the_secret_when_left_out_and_refuses_a_stale_etag()
    {
        var created = await _client.CreateWebhookAsync(new
        {
            name = TestData.Name("hook"), url = "http://127.0.0.1:9/a", minimumSeverity = "Low", alertDefinitionIds = new[] { Guid.NewGuid() },
        });
        var etag = (await _client.GetAsync(WebhookClient.Webhook(created.Id))).ETag();

        var response = await _client.SendJsonAsync(HttpMethod.Put, WebhookClient.Webhook(created.Id),
            new { name = "renamed", url = "http://127.0.0.1:9/b", enabled = false }, etag);

        var updated = await response.ReadAsync<WebhookDto>(HttpStatusCode.OK);
        Assert.Equal("renamed", updated.Name);
        Assert.Equal("http://127.0.0.1:9/b", updated.Url);
        Assert.Null(updated.MinimumSeverity);
        Assert.Empty(updated.AlertDefinitionIds);
        Assert.False(updated.Enabled);
        Assert.Null(updated.Secret);
        Assert.NotEqual(etag, response.ETag());

        var stale = await _client.SendJsonAsync(HttpMethod.Put, WebhookClient.Webhook(created.Id),
            new { name = "again", url = "http://127.0.0.1:9/c" }, etag);
        await stale.ReadProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal("renamed", (await _client.GetFromJsonAsync<WebhookDto>(WebhookClient.Webhook(created.Id)))!.Name);
        await (await _client.DeleteAsync(WebhookClient.Webhook(created.Id), etag)).ReadProblemAsync(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task Delete_removes_the_webhook()
    {
        var created = await _client.CreateWebhookAsync(new { name = TestData.Name("hook"), url = "http://127.0.0.1:9/hooks", enabled = false });

        await (await _client.DeleteAsync(WebhookClient.Webhook(created.Id))).ShouldHaveStatusAsync(HttpStatusCode.NoContent);

        await (await _client.GetAsync(WebhookClient.Webhook(created.Id))).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await _client.DeleteAsync(WebhookClient.Webhook(created.Id))).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await _client.PutAsJsonAsync(WebhookClient.Webhook(created.Id), new { name = "x", url = "http://127.0.0.1:9/" }))
            .ReadProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains((await _client.GetAuditAsync($"entityId={created.Id}")).Items, entry => entry.Action == "Deleted");
    }

    [Fact]
    public async Task Invalid_fields_are_named_in_the_problem()
    {
        await (await _client.PostAsJsonAsync(WebhookClient.Webhooks, new { })).ReadValidationErrorsAsync("name", "url");
        await (await _client.PostAsJsonAsync(WebhookClient.Webhooks, new
        {
            name = new string('n', 201), url = "http://127.0.0.1:9/" + new string('p', 2048), secret = "whsec_tooshort",
            alertDefinitionIds = Enumerable.Range(0, 101).Select(_ => Guid.NewGuid()).ToArray(),
        })).ReadValidationErrorsAsync("name", "url", "secret", "alertDefinitionIds");
        await (await _client.PostAsJsonAsync(WebhookClient.Webhooks, new { name = "n", url = "not a url" })).ReadValidationErrorsAsync("url");
        await (await _client.PostAsJsonAsync(WebhookClient.Webhooks, new { name = "n", url = "http://127.0.0.1:9/", minimumSeverity = "Severe" }))
            .ReadValidationErrorsAsync("minimumSeverity");
        await (await _client.GetAsync($"{WebhookClient.Webhooks}/{Guid.NewGuid()}/deliveries?status=Lost")).ReadValidationErrorsAsync("status");
    }

    [Fact]
    public async Task Keys_without_the_admin_scope_are_forbidden()
    {
        var everythingButAdmin = ApiKeyScopes.All.Where(scope => scope != ApiKeyScopes.Admin).ToArray();
        using var client = factory.CreateClientWithKey((await _client.CreateApiKeyAsync(everythingButAdmin)).Key);

        var problem = await (await client.PostAsJsonAsync(WebhookClient.Webhooks, new { name = "n", url = "http://127.0.0.1:9/" }))
            .ReadProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains(ApiKeyScopes.Admin, problem.Detail, StringComparison.Ordinal);
        await (await client.GetAsync(WebhookClient.Webhooks)).ReadProblemAsync(HttpStatusCode.Forbidden);
    }
}
