using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using ThreatIntel.Api.Tests.Support;
using ThreatIntel.Core.ApiKeys;

namespace ThreatIntel.Api.Tests.Security;

/// <summary>Each key has its own budgets of reads and writes; a caller over one gets 429 with Retry-After.</summary>
public sealed class RateLimitTests(RateLimitTests.SmallBudgetApiFactory factory) : IClassFixture<RateLimitTests.SmallBudgetApiFactory>
{
    private const int Reads = 3;
    private const int Writes = 2;
    private const int WindowSeconds = 60;

    [Fact]
    public async Task The_read_after_the_budget_is_a_429_problem_with_retry_after_and_another_key_still_passes()
    {
        using var client = await ClientWithNewKeyAsync();
        for (var i = 0; i < Reads; i++)
        {
            await (await client.GetAsync(Routes.Definitions)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        }

        var response = await client.GetAsync(Routes.Definitions);

        await ShouldBeRateLimitedAsync(response);
        using var other = await ClientWithNewKeyAsync();
        await (await other.GetAsync(Routes.Definitions)).ShouldHaveStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_write_after_the_budget_is_a_429_that_stores_nothing_while_reads_still_pass()
    {
        using var client = await ClientWithNewKeyAsync();
        for (var i = 0; i < Writes; i++)
        {
            await client.CreateDefinitionAsync();
        }

        var name = TestData.Name();
        var response = await client.PostAsJsonAsync(Routes.Definitions, new { name, severity = "High" });

        await ShouldBeRateLimitedAsync(response);
        var found = await client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?search={Uri.EscapeDataString(name)}");
        Assert.Empty(found.Items);
    }

    [Fact]
    public async Task Exhausted_reads_leave_the_write_budget_untouched()
    {
        using var client = await ClientWithNewKeyAsync();
        for (var i = 0; i < Reads; i++)
        {
            await (await client.GetAsync(Routes.Iocs)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        }

        await ShouldBeRateLimitedAsync(await client.GetAsync(Routes.Iocs));

        await client.CreateDefinitionAsync();
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_are_not_limited(string path)
    {
        using var withKey = await ClientWithNewKeyAsync();
        using var anonymous = factory.CreateClientWithKey(null);

        for (var i = 0; i < (Reads * 3) + 1; i++)
        {
            await (await withKey.GetAsync(path)).ShouldHaveStatusAsync(HttpStatusCode.OK);
            await (await anonymous.GetAsync(path)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        }
    }

    private static async Task ShouldBeRateLimitedAsync(HttpResponseMessage response)
    {
        await response.ReadProblemAsync(HttpStatusCode.TooManyRequests);
        var retryAfter = int.Parse(Assert.Single(response.Headers.GetValues("Retry-After")), NumberStyles.None, CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, WindowSeconds);
    }

    /// <summary>
    /// A client with a key of its own, stored directly: creating it through the API would spend the admin key's small
    /// write budget.
    /// </summary>
    private async Task<HttpClient> ClientWithNewKeyAsync()
    {
        var secret = ApiKeySecret.Generate();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var key = ApiKey.Create(TestData.Name("key"), secret, [ApiKeyScopes.DefinitionsRead, ApiKeyScopes.DefinitionsWrite], null, DateTime.UtcNow);
            await scope.ServiceProvider.GetRequiredService<IApiKeyRepository>().AddAsync(key, CancellationToken.None);
        }

        return factory.CreateClientWithKey(secret);
    }

    public sealed class SmallBudgetApiFactory : ThreatIntelApiFactory
    {
        protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings =>
        [
            new("RateLimiting:Reads:PermitLimit", Reads.ToString(CultureInfo.InvariantCulture)),
            new("RateLimiting:Reads:WindowSeconds", WindowSeconds.ToString(CultureInfo.InvariantCulture)),
            new("RateLimiting:Writes:PermitLimit", Writes.ToString(CultureInfo.InvariantCulture)),
            new("RateLimiting:Writes:WindowSeconds", WindowSeconds.ToString(CultureInfo.InvariantCulture)),
        ];
    }
}
