using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Serilog.Events;
using ThreatIntel.Api.Tests.Support;
using ThreatIntel.Core.ApiKeys;

namespace ThreatIntel.Api.Tests.Security;

/// <summary>Issuing, showing, revoking and bootstrapping API keys.</summary>
public sealed class ApiKeyTests(ThreatIntelApiFactory factory) : IClassFixture<ThreatIntelApiFactory>
{
    private readonly HttpClient _admin = factory.CreateClient();

    [Fact]
    public async Task A_created_key_is_returned_once_with_a_long_random_secret_that_works_at_once()
    {
        var name = TestData.Name("ci-pusher");

        var response = await _admin.PostAsJsonAsync(Routes.ApiKeys, new { name, scopes = new[] { ApiKeyScopes.DefinitionsRead } });

        var created = await response.ReadAsync<ApiKeyDto>(HttpStatusCode.Created);
        Assert.Equal(Routes.ApiKey(created.Id), response.Headers.Location?.AbsolutePath);
        Assert.Equal((name, "active", ThreatIntelApiFactory.AdminKeyName), (created.Name, created.Status, created.CreatedBy));
        Assert.Equal([ApiKeyScopes.DefinitionsRead], created.Scopes);
        var secret = created.Key!;
        Assert.StartsWith("ti_", secret, StringComparison.Ordinal);
        Assert.True(Base64UrlDecodedLength(secret[3..]) >= 16, $"'{secret}' carries fewer than 128 random bits.");
        Assert.Equal(secret[..ApiKeySecret.PrefixLength], created.Prefix);
        Assert.NotEqual(secret, (await _admin.CreateApiKeyAsync([ApiKeyScopes.DefinitionsRead])).Key);

        using var client = factory.CreateClientWithKey(secret);
        await (await client.GetAsync(Routes.Definitions)).ShouldHaveStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Neither_the_secret_nor_its_hash_can_be_read_back()
    {
        var created = await _admin.CreateApiKeyAsync([ApiKeyScopes.DefinitionsWrite]);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(created.Key!));
        string[] forbidden = [created.Key!, Convert.ToHexString(hash), Convert.ToBase64String(hash)];

        foreach (var uri in new[] { Routes.ApiKey(created.Id), $"{Routes.ApiKeys}?pageSize=1000", $"{Routes.Audit}?entityId={created.Id}" })
        {
            var response = await _admin.GetAsync(uri);
            await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains(created.Id.ToString(), body, StringComparison.Ordinal);
            Assert.All(forbidden, secret => Assert.DoesNotContain(secret, body, StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain("\"key\"", body, StringComparison.Ordinal);
            Assert.DoesNotContain("secretHash", body, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData("""{"name":"n","scopes":["definitions:read","root"]}""", "scopes[1]")]
    [InlineData("""{"name":"n","scopes":["Admin"]}""", "scopes[0]")]
    [InlineData("""{"name":"n","scopes":[]}""", "scopes")]
    [InlineData("""{"name":"n"}""", "scopes")]
    [InlineData("""{"scopes":["admin"]}""", "name")]
    [InlineData("""{"name":"system","scopes":["admin"]}""", "name")]
    [InlineData("""{"name":"n","scopes":["admin"],"expiresAt":"2020-01-01T00:00:00Z"}""", "expiresAt")]
    public async Task An_invalid_key_request_is_a_400_naming_the_field_and_creates_nothing(string body, string field)
    {
        var countBefore = await CountKeysAsync();

        var response = await _admin.SendRawAsync(HttpMethod.Post, Routes.ApiKeys, body.Replace("\"n\"", $"\"{TestData.Name("key")}\"", StringComparison.Ordinal));

        await response.ReadValidationErrorsAsync(field);
        Assert.Equal(countBefore, await CountKeysAsync());
    }

    [Fact]
    public async Task An_unknown_scope_is_named_in_the_message()
    {
        var response = await _admin.PostAsJsonAsync(Routes.ApiKeys, new { name = TestData.Name("key"), scopes = new[] { "superuser" } });

        var errors = await response.ReadValidationErrorsAsync("scopes[0]");
        Assert.Contains("superuser", Assert.Single(errors["scopes[0]"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_taken_name_is_a_409_naming_the_existing_key()
    {
        var existing = await _admin.CreateApiKeyAsync([ApiKeyScopes.DefinitionsRead]);
        var countBefore = await CountKeysAsync();

        var response = await _admin.PostAsJsonAsync(Routes.ApiKeys, new { name = existing.Name, scopes = new[] { ApiKeyScopes.Admin } });

        var problem = await response.ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(existing.Id, problem.ExistingId);
        Assert.Equal(countBefore, await CountKeysAsync());
    }

    [Fact]
    public async Task Revocation_shows_who_revoked_the_key_and_when()
    {
        var key = await _admin.CreateApiKeyAsync([ApiKeyScopes.DefinitionsRead]);

        await _admin.RevokeApiKeyAsync(key.Id);

        var revoked = await _admin.GetFromJsonAsync<ApiKeyDto>(Routes.ApiKey(key.Id));
        Assert.Equal(("revoked", ThreatIntelApiFactory.AdminKeyName), (revoked!.Status, revoked.RevokedBy));
        Assert.NotNull(revoked.RevokedAt);
        await (await _admin.DeleteAsync(Routes.ApiKey(Guid.NewGuid()))).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_key_revoked_on_one_instance_is_rejected_there_at_once_and_by_another_sharing_the_database_within_the_key_cache_lifetime()
    {
        var key = await _admin.CreateApiKeyAsync([ApiKeyScopes.DefinitionsRead]);
        await using var other = new SharedDatabaseApiFactory(factory.DatabasePath);
        using var onThis = factory.CreateClientWithKey(key.Key);
        using var onOther = other.CreateClientWithKey(key.Key);
        await (await onThis.GetAsync(Routes.Definitions)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await onOther.GetAsync(Routes.Definitions)).ShouldHaveStatusAsync(HttpStatusCode.OK);

        await _admin.RevokeApiKeyAsync(key.Id);

        await (await onThis.GetAsync(Routes.Definitions)).ShouldBeUnauthorizedAsync();
        await onOther.ShouldBecomeUnauthorizedAsync(Routes.Definitions);
    }

    [Fact]
    public async Task A_writer_cannot_choose_authorship_source_or_its_own_scopes_through_bodies()
    {
        var writerKey = await _admin.CreateApiKeyAsync([ApiKeyScopes.DefinitionsWrite]);
        using var writer = factory.CreateClientWithKey(writerKey.Key);
        var forged = new { createdBy = "mallory", updatedBy = "mallory", source = "trusted-feed", scopes = new[] { ApiKeyScopes.Admin } };
        var adminMade = await _admin.CreateDefinitionAsync();

        var created = await writer.CreateDefinitionAsync(new { name = TestData.Name(), severity = "High", forged.createdBy, forged.updatedBy, forged.source, forged.scopes });
        var ioc = await writer.AddIocAsync(created.Id, new { type = "FileName", value = "evil.exe", forged.createdBy, forged.updatedBy, forged.source, forged.scopes });
        var put = await writer.PutAsJsonAsync(Routes.Definition(adminMade.Id), new { name = adminMade.Name, severity = "Low", forged.createdBy, forged.updatedBy, forged.source, forged.scopes });

        var updated = await put.ReadAsync<DefinitionDto>(HttpStatusCode.OK);
        Assert.Equal((writerKey.Name, writerKey.Name, null), (created.CreatedBy, created.UpdatedBy, created.Source));
        Assert.Equal((writerKey.Name, writerKey.Name, null), (ioc.CreatedBy, ioc.UpdatedBy, ioc.Source));
        Assert.Equal((ThreatIntelApiFactory.AdminKeyName, writerKey.Name, null), (updated.CreatedBy, updated.UpdatedBy, updated.Source));
        Assert.Equal([ApiKeyScopes.DefinitionsWrite], (await _admin.GetFromJsonAsync<ApiKeyDto>(Routes.ApiKey(writerKey.Id)))!.Scopes);
        await (await writer.GetAsync(Routes.ApiKeys)).ReadProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_non_admin_key_cannot_mint_or_revoke_keys()
    {
        var writerKey = await _admin.CreateApiKeyAsync(ApiKeyScopes.All.Where(scope => scope != ApiKeyScopes.Admin).ToArray());
        using var writer = factory.CreateClientWithKey(writerKey.Key);
        var countBefore = await CountKeysAsync();

        var mint = await writer.PostAsJsonAsync(Routes.ApiKeys, new { name = TestData.Name("escalated"), scopes = new[] { ApiKeyScopes.Admin } });
        var revoke = await writer.DeleteAsync(Routes.ApiKey(writerKey.Id));

        Assert.Contains(ApiKeyScopes.Admin, (await mint.ReadProblemAsync(HttpStatusCode.Forbidden)).Detail, StringComparison.Ordinal);
        await revoke.ReadProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(countBefore, await CountKeysAsync());
        Assert.Equal("active", (await _admin.GetFromJsonAsync<ApiKeyDto>(Routes.ApiKey(writerKey.Id)))!.Status);
    }

    [Fact]
    public async Task A_key_request_cannot_choose_its_secret_id_author_or_revocation()
    {
        var forgedSecret = SecurityClient.UnknownKey();
        var forgedId = Guid.NewGuid();

        var response = await _admin.PostAsJsonAsync(Routes.ApiKeys, new
        {
            id = forgedId,
            name = TestData.Name("key"),
            scopes = new[] { ApiKeyScopes.DefinitionsRead },
            key = forgedSecret,
            prefix = forgedSecret[..ApiKeySecret.PrefixLength],
            createdBy = "mallory",
            revokedAt = DateTime.UtcNow,
            status = "revoked",
        });

        var created = await response.ReadAsync<ApiKeyDto>(HttpStatusCode.Created);
        Assert.NotEqual(forgedId, created.Id);
        Assert.NotEqual(forgedSecret, created.Key);
        Assert.Equal(created.Key![..ApiKeySecret.PrefixLength], created.Prefix);
        Assert.Equal((ThreatIntelApiFactory.AdminKeyName, "active", null), (created.CreatedBy, created.Status, created.RevokedAt));
        using var forged = factory.CreateClientWithKey(forgedSecret);
        await (await forged.GetAsync(Routes.Definitions)).ShouldBeUnauthorizedAsync();
    }

    [Fact]
    public async Task Without_a_configured_key_the_first_start_logs_a_working_admin_key_and_a_restart_makes_no_other()
    {
        await using var first = new UnconfiguredBootstrapApiFactory();
        _ = first.Server;

        var logged = Assert.Single(first.LogEvents, e => e.Properties.ContainsKey("ApiKey"));
        Assert.Equal(LogEventLevel.Warning, logged.Level);
        var secret = ((ScalarValue)logged.Properties["ApiKey"]).Value as string;
        using var admin = first.CreateClientWithKey(secret);
        var keys = await admin.GetPageAsync<ApiKeyDto>(Routes.ApiKeys);
        var only = Assert.Single(keys.Items);
        Assert.Equal(("bootstrap-admin", "active"), (only.Name, only.Status));
        Assert.Equal([ApiKeyScopes.Admin], only.Scopes);

        await using var restarted = new SharedDatabaseApiFactory(first.DatabasePath, bootstrapAdminKey: null);
        using var adminAfterRestart = restarted.CreateClientWithKey(secret);
        await (await adminAfterRestart.GetAsync(Routes.ApiKeys)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(restarted.LogEvents, e => e.Properties.ContainsKey("ApiKey"));
        Assert.Equal(1, (await adminAfterRestart.GetPageAsync<ApiKeyDto>(Routes.ApiKeys)).TotalCount);
    }

    [Fact]
    public async Task Changing_the_configured_bootstrap_key_retires_the_old_secret_on_every_instance()
    {
        const string newKey = "ti_rotated-admin-key-fedcba9876543210";
        await using var first = new ThreatIntelApiFactory();
        using var oldOnFirst = first.CreateClient();
        await (await oldOnFirst.GetAsync(Routes.ApiKeys)).ShouldHaveStatusAsync(HttpStatusCode.OK);

        await using var rekeyed = new SharedDatabaseApiFactory(first.DatabasePath, newKey);
        using var newOnRekeyed = rekeyed.CreateClientWithKey(newKey);

        await (await newOnRekeyed.GetAsync(Routes.ApiKeys)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await oldOnFirst.ShouldBecomeUnauthorizedAsync(Routes.ApiKeys);
        using var oldOnRekeyed = rekeyed.CreateClientWithKey(ThreatIntelApiFactory.AdminKey);
        await (await oldOnRekeyed.GetAsync(Routes.ApiKeys)).ShouldBeUnauthorizedAsync();
        using var newOnFirst = first.CreateClientWithKey(newKey);
        await (await newOnFirst.GetAsync(Routes.ApiKeys)).ShouldHaveStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_revoked_bootstrap_key_stays_revoked_when_the_service_restarts_with_it_configured()
    {
        await using var first = new ThreatIntelApiFactory();
        using var bootstrapAdmin = first.CreateClient();
        var bootstrapKey = Assert.Single((await bootstrapAdmin.GetPageAsync<ApiKeyDto>(Routes.ApiKeys)).Items);
        using var otherAdmin = first.CreateClientWithKey((await bootstrapAdmin.CreateApiKeyAsync([ApiKeyScopes.Admin])).Key);
        await otherAdmin.RevokeApiKeyAsync(bootstrapKey.Id);

        await using var restarted = new SharedDatabaseApiFactory(first.DatabasePath);
        using var bootstrapAfterRestart = restarted.CreateClient();

        await (await bootstrapAfterRestart.GetAsync(Routes.ApiKeys)).ShouldBeUnauthorizedAsync();
        Assert.Contains(restarted.LogEvents, e => e.Level == LogEventLevel.Warning
            && e.MessageTemplate.Text.Contains("revoked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Configuring_a_new_bootstrap_key_after_a_revocation_reissues_admin_access()
    {
        const string replacement = "ti_recovery-admin-key-0011223344556677";
        await using var first = new ThreatIntelApiFactory();
        using var bootstrapAdmin = first.CreateClient();
        var bootstrapKey = Assert.Single((await bootstrapAdmin.GetPageAsync<ApiKeyDto>(Routes.ApiKeys)).Items);
        await bootstrapAdmin.RevokeApiKeyAsync(bootstrapKey.Id);

        await using var restarted = new SharedDatabaseApiFactory(first.DatabasePath, replacement);
        using var recovered = restarted.CreateClientWithKey(replacement);

        using var revokedSecret = restarted.CreateClient();

        await (await recovered.GetAsync(Routes.ApiKeys)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await revokedSecret.GetAsync(Routes.ApiKeys)).ShouldBeUnauthorizedAsync();
    }

    [Fact]
    public async Task A_short_configured_bootstrap_key_still_works_and_is_logged_as_weak()
    {
        await using var factory = new ShortBootstrapKeyApiFactory();
        using var admin = factory.CreateClientWithKey(ShortBootstrapKeyApiFactory.Key);

        await (await admin.GetAsync(Routes.ApiKeys)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        Assert.Contains(factory.LogEvents, e => e.Level == LogEventLevel.Warning
            && e.MessageTemplate.Text.Contains("BootstrapAdminKey has only", StringComparison.Ordinal));
    }

    private async Task<int> CountKeysAsync() => (await _admin.GetPageAsync<ApiKeyDto>($"{Routes.ApiKeys}?pageSize=1")).TotalCount;

    private static int Base64UrlDecodedLength(string text) =>
        Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/').PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=')).Length;

    /// <summary>An operator's own short admin key, as a quick local trial might set it.</summary>
    private sealed class ShortBootstrapKeyApiFactory : ThreatIntelApiFactory
    {
        public const string Key = "letmein";

        protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings => [new("Auth:BootstrapAdminKey", Key)];
    }

    /// <summary>A first start with no <c>Auth:BootstrapAdminKey</c>, as after following the README on a new machine.</summary>
    private sealed class UnconfiguredBootstrapApiFactory : ThreatIntelApiFactory
    {
        protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings => [new("Auth:BootstrapAdminKey", string.Empty)];
    }
}
