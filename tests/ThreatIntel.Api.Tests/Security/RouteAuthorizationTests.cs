using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ThreatIntel.Api.Auth;
using ThreatIntel.Api.Tests.Support;
using ThreatIntel.Core.ApiKeys;

namespace ThreatIntel.Api.Tests.Security;

/// <summary>
/// Every route lets in exactly the keys holding its scope: no key, an unknown, forged, expired or revoked key gets a
/// 401, a valid key without the scope a 403, and neither changes anything.
/// </summary>
public sealed partial class RouteAuthorizationTests(ManualClockApiFactory factory) : IClassFixture<ManualClockApiFactory>
{
    private static readonly ApiRoute[] Table =
    [
        new("GET", "/api/v1/alert-definitions", ApiKeyScopes.DefinitionsRead, HttpStatusCode.OK, _ => Routes.Definitions),
        new("POST", "/api/v1/alert-definitions", ApiKeyScopes.DefinitionsWrite, HttpStatusCode.Created, _ => Routes.Definitions,
            () => new { name = TestData.Name(), severity = "High" }),
        new("GET", "/api/v1/alert-definitions/{id}", ApiKeyScopes.DefinitionsRead, HttpStatusCode.OK, t => Routes.Definition(t.DefinitionId)),
        new("PUT", "/api/v1/alert-definitions/{id}", ApiKeyScopes.DefinitionsWrite, HttpStatusCode.OK, t => Routes.Definition(t.DefinitionId),
            () => new { name = TestData.Name(), severity = "Low" }),
        new("DELETE", "/api/v1/alert-definitions/{id}", ApiKeyScopes.DefinitionsWrite, HttpStatusCode.NoContent, t => Routes.Definition(t.DefinitionId)),
        new("GET", "/api/v1/alert-definitions/{alertDefinitionId}/iocs", ApiKeyScopes.DefinitionsRead, HttpStatusCode.OK,
            t => Routes.DefinitionIocs(t.DefinitionId)),
        new("POST", "/api/v1/alert-definitions/{alertDefinitionId}/iocs", ApiKeyScopes.DefinitionsWrite, HttpStatusCode.Created,
            t => Routes.DefinitionIocs(t.DefinitionId), () => new { type = "FileSha256", value = TestData.Sha256() }),
        new("POST", "/api/v1/alert-definitions/{alertDefinitionId}/iocs/batch", ApiKeyScopes.DefinitionsWrite, HttpStatusCode.OK,
            t => Routes.Batch(t.DefinitionId), () => new { iocs = new[] { new { type = "FileMd5", value = TestData.Md5() } } }),
        new("GET", "/api/v1/iocs", ApiKeyScopes.DefinitionsRead, HttpStatusCode.OK, _ => Routes.Iocs),
        new("GET", "/api/v1/iocs/{id}", ApiKeyScopes.DefinitionsRead, HttpStatusCode.OK, t => Routes.Ioc(t.IocId)),
        new("PUT", "/api/v1/iocs/{id}", ApiKeyScopes.DefinitionsWrite, HttpStatusCode.OK, t => Routes.Ioc(t.IocId),
            () => new { type = "FileName", value = $"{TestData.Token()}.exe" }),
        new("DELETE", "/api/v1/iocs/{id}", ApiKeyScopes.DefinitionsWrite, HttpStatusCode.NoContent, t => Routes.Ioc(t.IocId)),
        new("GET", "/api/v1/api-keys", ApiKeyScopes.Admin, HttpStatusCode.OK, _ => Routes.ApiKeys),
        new("POST", "/api/v1/api-keys", ApiKeyScopes.Admin, HttpStatusCode.Created, _ => Routes.ApiKeys,
            () => new { name = TestData.Name("key"), scopes = new[] { ApiKeyScopes.DefinitionsRead } }),
        new("GET", "/api/v1/api-keys/{id}", ApiKeyScopes.Admin, HttpStatusCode.OK, t => Routes.ApiKey(t.ApiKeyId)),
        new("DELETE", "/api/v1/api-keys/{id}", ApiKeyScopes.Admin, HttpStatusCode.NoContent, t => Routes.ApiKey(t.ApiKeyId)),
        new("GET", "/api/v1/audit", ApiKeyScopes.Admin, HttpStatusCode.OK, _ => Routes.Audit),
        new("GET", "/api/v1/matching/status", ApiKeyScopes.DefinitionsRead, HttpStatusCode.OK, _ => "/api/v1/matching/status"),
        new("POST", "/api/v1/events/evaluate", ApiKeyScopes.EventsSubmit, HttpStatusCode.OK, _ => "/api/v1/events/evaluate?dryRun=true",
            () => new { events = new[] { new { observables = new[] { new { type = "FileMd5", value = TestData.Md5() } } } } }),
        new("GET", "/api/v1/alerts", ApiKeyScopes.AlertsRead, HttpStatusCode.OK, _ => "/api/v1/alerts"),

        // No alert exists for these targets: a 404 shows the call got past authentication and authorisation.
        new("GET", "/api/v1/alerts/{id}", ApiKeyScopes.AlertsRead, HttpStatusCode.NotFound, t => $"/api/v1/alerts/{t.DefinitionId}"),
        new("PATCH", "/api/v1/alerts/{id}", ApiKeyScopes.AlertsWrite, HttpStatusCode.NotFound, t => $"/api/v1/alerts/{t.DefinitionId}",
            () => new { comment = "checked" }),

        // The stream never ends, so an authorised call is shown by its refusal of an invalid filter instead.
        new("GET", "/api/v1/alerts/stream", ApiKeyScopes.AlertsRead, HttpStatusCode.BadRequest, _ => "/api/v1/alerts/stream?minSeverity=Unknown"),

        // Feeds: each push goes to a fresh feed; the reads and the delete name a feed that was never pushed (404).
        new("PUT", "/api/v1/feeds/{feed}", ApiKeyScopes.FeedsWrite, HttpStatusCode.OK, _ => $"/api/v1/feeds/auth-{TestData.Token()}",
            () => new { definitions = new[] { new { name = TestData.Name(), iocs = new[] { new { type = "FileMd5", value = TestData.Md5() } } } } }),
        new("POST", "/api/v1/feeds/{feed}", ApiKeyScopes.FeedsWrite, HttpStatusCode.OK, _ => $"/api/v1/feeds/auth-{TestData.Token()}",
            () => new { definitions = new[] { new { name = TestData.Name(), iocs = new[] { new { type = "FileMd5", value = TestData.Md5() } } } } }),
        new("GET", "/api/v1/feeds", ApiKeyScopes.DefinitionsRead, HttpStatusCode.OK, _ => "/api/v1/feeds"),
        new("GET", "/api/v1/feeds/{feed}", ApiKeyScopes.DefinitionsRead, HttpStatusCode.NotFound, _ => $"/api/v1/feeds/never-{TestData.Token()}"),
        new("GET", "/api/v1/feeds/{feed}/export", ApiKeyScopes.DefinitionsRead, HttpStatusCode.NotFound,
            _ => $"/api/v1/feeds/never-{TestData.Token()}/export?format=csv"),
        new("DELETE", "/api/v1/feeds/{feed}", ApiKeyScopes.FeedsWrite, HttpStatusCode.NotFound, _ => $"/api/v1/feeds/never-{TestData.Token()}"),

        // Webhooks: created disabled at a public documentation address; the others name a webhook that does not exist (404).
        new("GET", "/api/v1/webhooks", ApiKeyScopes.Admin, HttpStatusCode.OK, _ => "/api/v1/webhooks"),
        new("POST", "/api/v1/webhooks", ApiKeyScopes.Admin, HttpStatusCode.Created, _ => "/api/v1/webhooks",
            () => new { name = TestData.Name("hook"), url = "https://203.0.113.10/hooks", enabled = false }),
        new("GET", "/api/v1/webhooks/{id}", ApiKeyScopes.Admin, HttpStatusCode.NotFound, t => $"/api/v1/webhooks/{t.DefinitionId}"),
        new("PUT", "/api/v1/webhooks/{id}", ApiKeyScopes.Admin, HttpStatusCode.NotFound, t => $"/api/v1/webhooks/{t.DefinitionId}",
            () => new { name = TestData.Name("hook"), url = "https://203.0.113.10/hooks", enabled = false }),
        new("DELETE", "/api/v1/webhooks/{id}", ApiKeyScopes.Admin, HttpStatusCode.NotFound, t => $"/api/v1/webhooks/{t.DefinitionId}"),
        new("GET", "/api/v1/webhooks/{id}/deliveries", ApiKeyScopes.Admin, HttpStatusCode.NotFound,
            t => $"/api/v1/webhooks/{t.DefinitionId}/deliveries"),
    ];

    private readonly HttpClient _admin = factory.CreateClient();

    public static TheoryData<string> RouteNames => new(Table.Select(route => route.ToString()));

    [Fact]
    public void Every_api_endpoint_declares_exactly_one_scope_and_the_table_covers_it()
    {
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.RoutePattern.RawText?.TrimStart('/').StartsWith("api/", StringComparison.Ordinal) == true)
            .ToList();

        var declared = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var scopes = endpoint.Metadata.GetOrderedMetadata<RequireScopeAttribute>();
            Assert.True(scopes.Count == 1, $"{endpoint.DisplayName} declares {scopes.Count} scopes instead of exactly one.");
            Assert.True(endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null, $"{endpoint.DisplayName} allows anonymous callers.");
            var template = "/" + RouteConstraint().Replace(endpoint.RoutePattern.RawText!.TrimStart('/'), "}");
            declared.AddRange(endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods
                .Select(method => $"{method} {template} needs {scopes[0].Scope}"));
        }

        Assert.Equal(
            Table.Select(route => $"{route} needs {route.Scope}").Order(StringComparer.Ordinal),
            declared.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(RouteNames))]
    public async Task Callers_without_a_valid_key_get_a_401_challenge_and_change_nothing(string route)
    {
        var (apiRoute, targets) = await ArrangeAsync(route);
        var genuine = (await _admin.CreateApiKeyAsync([apiRoute.Scope])).Key!;
        var forged = genuine[..ApiKeySecret.PrefixLength] + SecurityClient.UnknownKey()[ApiKeySecret.PrefixLength..];
        Assert.Equal(genuine.Length, forged.Length);
        var expiring = await _admin.CreateApiKeyAsync([apiRoute.Scope], expiresAt: factory.Clock.GetUtcNow().AddMinutes(1));
        var revoked = await _admin.CreateApiKeyAsync([apiRoute.Scope]);
        await ShouldAuthenticateAsync(expiring.Key!);
        await ShouldAuthenticateAsync(revoked.Key!);
        await _admin.RevokeApiKeyAsync(revoked.Id);
        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        var before = await SnapshotAsync(targets);

        (string Caller, string? Key, string Detail)[] callers =
        [
            ("no key", null, SecurityClient.ApiKeyHeader),
            ("a well-formed key the service never issued", SecurityClient.UnknownKey(), "not valid"),
            ("a real key's prefix with a wrong secret", forged, "not valid"),
            ("an expired key", expiring.Key, "expired"),
            ("a revoked key, on its next request", revoked.Key, "revoked"),
        ];
        foreach (var (caller, key, detail) in callers)
        {
            using var client = factory.CreateClientWithKey(key);
            using var request = apiRoute.Request(targets);
            var response = await client.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{caller}: got {(int)response.StatusCode}.");
            var problem = await response.ShouldBeUnauthorizedAsync();
            Assert.Contains(detail, problem.Detail, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(before, await SnapshotAsync(targets));
        Assert.Equal("expired", (await _admin.GetFromJsonAsync<ApiKeyDto>(Routes.ApiKey(expiring.Id)))!.Status);
    }

    [Theory]
    [MemberData(nameof(RouteNames))]
    public async Task A_key_holding_every_other_scope_is_403_naming_the_missing_one_and_changes_nothing(string route)
    {
        var (apiRoute, targets) = await ArrangeAsync(route);
        var otherScopes = ApiKeyScopes.All.Where(scope => scope != apiRoute.Scope && scope != ApiKeyScopes.Admin).ToArray();
        using var client = factory.CreateClientWithKey((await _admin.CreateApiKeyAsync(otherScopes)).Key);
        var before = await SnapshotAsync(targets);

        using var request = apiRoute.Request(targets);
        var problem = await (await client.SendAsync(request)).ReadProblemAsync(HttpStatusCode.Forbidden);

        Assert.Contains(apiRoute.Scope, problem.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(targets));
    }

    [Theory]
    [MemberData(nameof(RouteNames))]
    public async Task A_key_holding_just_the_scope_is_served(string route)
    {
        var (apiRoute, targets) = await ArrangeAsync(route);
        using var client = factory.CreateClientWithKey((await _admin.CreateApiKeyAsync([apiRoute.Scope])).Key);

        using var request = apiRoute.Request(targets);
        await (await client.SendAsync(request)).ShouldHaveStatusAsync(apiRoute.Success);
    }

    [Theory]
    [MemberData(nameof(RouteNames))]
    public async Task An_admin_key_is_served(string route)
    {
        var (apiRoute, targets) = await ArrangeAsync(route);

        using var request = apiRoute.Request(targets);
        await (await _admin.SendAsync(request)).ShouldHaveStatusAsync(apiRoute.Success);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ti_short")]
    [InlineData("ti_a key with spaces in the middle 0123456789")]
    [InlineData(ThreatIntelApiFactory.AdminKey + "x")]
    public async Task A_malformed_or_extended_key_is_401(string apiKey)
    {
        using var client = factory.CreateClientWithKey(apiKey);

        await (await client.GetAsync(Routes.Definitions)).ShouldBeUnauthorizedAsync();
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/swagger/index.html")]
    [InlineData("/swagger/v1/swagger.json")]
    [InlineData("/metrics")]
    public async Task Health_swagger_and_metrics_answer_without_a_key_and_despite_a_bad_one(string path)
    {
        foreach (var apiKey in new[] { null, SecurityClient.UnknownKey() })
        {
            using var client = factory.CreateClientWithKey(apiKey);
            await (await client.GetAsync(path)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        }
    }

    /// <summary>A fresh definition holding one IOC, and a spare API key, for the route to act on.</summary>
    private async Task<(ApiRoute Route, Targets Targets)> ArrangeAsync(string route)
    {
        var definition = await _admin.CreateDefinitionAsync(iocs: [new { type = "FileSha1", value = TestData.Sha1() }]);
        var ioc = Assert.Single(await _admin.ListIocsAsync(definition.Id));
        var key = await _admin.CreateApiKeyAsync([ApiKeyScopes.DefinitionsRead]);
        return (Table.Single(candidate => candidate.ToString() == route), new Targets(definition.Id, ioc.Id, key.Id));
    }

    /// <summary>The key is recognised: an admin-only read answers 200 or 403, never 401.</summary>
    private async Task ShouldAuthenticateAsync(string apiKey)
    {
        using var client = factory.CreateClientWithKey(apiKey);
        var status = (await client.GetAsync($"{Routes.Audit}?pageSize=1")).StatusCode;
        Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Forbidden, $"The key was not accepted: {(int)status}.");
    }

    /// <summary>Everything a request could have changed; every write also leaves an audit entry.</summary>
    private async Task<State> SnapshotAsync(Targets targets) => new(
        await _admin.CountDefinitionsAsync(),
        await _admin.CountIocsAsync(),
        (await _admin.GetPageAsync<ApiKeyDto>($"{Routes.ApiKeys}?pageSize=1")).TotalCount,
        (await _admin.GetPageAsync<AuditEntryDto>($"{Routes.Audit}?pageSize=1")).TotalCount,
        (await _admin.GetDefinitionAsync(targets.DefinitionId)).ETag,
        (await _admin.GetIocAsync(targets.IocId)).ETag,
        (await _admin.GetFromJsonAsync<ApiKeyDto>(Routes.ApiKey(targets.ApiKeyId)))!.Status);

    [GeneratedRegex(":[a-z]+}")]
    private static partial Regex RouteConstraint();

    private sealed record Targets(Guid DefinitionId, Guid IocId, Guid ApiKeyId);

    private sealed record State(
        int Definitions, int Iocs, int ApiKeys, int AuditEntries, string DefinitionETag, string IocETag, string ApiKeyStatus);

    /// <summary>A route as the service declares it, the scope it needs, its success status and how to call it.</summary>
    private sealed record ApiRoute(
        string Method, string Template, string Scope, HttpStatusCode Success, Func<Targets, string> Path, Func<object>? Body = null)
    {
        public HttpRequestMessage Request(Targets targets) => new(new HttpMethod(Method), Path(targets))
        {
            Content = Body is null ? null : JsonContent.Create(Body()),
        };

        public override string ToString() => $"{Method} {Template}";
    }
}
