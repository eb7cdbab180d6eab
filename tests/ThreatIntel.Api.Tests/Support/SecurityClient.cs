using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ThreatIntel.Api.Tests.Support;

/// <summary>API keys and the audit log as a client uses them: clients with a chosen key, keys created by an admin.</summary>
internal static class SecurityClient
{
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>A client that sends <paramref name="apiKey"/> instead of the admin key, or no key when null.</summary>
    public static HttpClient CreateClientWithKey(this WebApplicationFactory<Program> factory, string? apiKey)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Remove(ApiKeyHeader);
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation(ApiKeyHeader, apiKey);
        }

        return client;
    }

    /// <summary>Creates a key through the API (the client must be an admin's) and returns it with its secret.</summary>
    public static async Task<ApiKeyDto> CreateApiKeyAsync(
        this HttpClient admin, string[] scopes, string? name = null, DateTimeOffset? expiresAt = null)
    {
        var response = await admin.PostAsJsonAsync(Routes.ApiKeys, new { name = name ?? TestData.Name("key"), scopes, expiresAt });
        var key = await response.ReadAsync<ApiKeyDto>(HttpStatusCode.Created);
        Assert.NotNull(key.Key);
        return key;
    }

    public static async Task RevokeApiKeyAsync(this HttpClient admin, Guid id) =>
        await (await admin.DeleteAsync(Routes.ApiKey(id))).ShouldHaveStatusAsync(HttpStatusCode.NoContent);

    /// <summary>The audit log filtered by <paramref name="query"/> (e.g. <c>entityId=...</c>), newest first.</summary>
    public static Task<PageDto<AuditEntryDto>> GetAuditAsync(this HttpClient admin, string query = "") =>
        admin.GetPageAsync<AuditEntryDto>($"{Routes.Audit}?pageSize=1000&{query}");

    /// <summary>A key of the right shape that the service never issued.</summary>
    public static string UnknownKey() =>
        "ti_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Asserts the 401 a caller without a valid key gets: a problem and a challenge naming the header.</summary>
    /// <summary>
    /// Polls <paramref name="route"/> until the client's key is refused: an instance that authenticated the key
    /// remembers it for <c>Auth:KeyCacheSeconds</c> (2 s by default), so a change made through another instance
    /// reaches it within that time, and must not take much longer.
    /// </summary>
    public static async Task ShouldBecomeUnauthorizedAsync(this HttpClient client, string route)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while ((await client.GetAsync(route)).StatusCode != HttpStatusCode.Unauthorized)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "The key was still accepted 10 s after it was revoked elsewhere.");
            await Task.Delay(100);
        }
    }

    public static async Task<ProblemDto> ShouldBeUnauthorizedAsync(this HttpResponseMessage response)
    {
        var problem = await response.ReadProblemAsync(HttpStatusCode.Unauthorized);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("ApiKey", challenge.Scheme);
        Assert.Contains(ApiKeyHeader, challenge.Parameter, StringComparison.Ordinal);
        return problem;
    }
}
