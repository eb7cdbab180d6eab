using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Events;
using ThreatIntel.Api.Features.Matching;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.Matching;

/// <summary>What an orchestrator sees while the first matching index is being built.</summary>
public sealed class ReadinessWhileIndexBuildsTests(ReadinessWhileIndexBuildsTests.IndexNotBuiltApiFactory factory)
    : IClassFixture<ReadinessWhileIndexBuildsTests.IndexNotBuiltApiFactory>
{
    [Fact]
    public async Task Readiness_answers_503_with_the_index_degraded_and_logs_no_error()
    {
        using var client = factory.CreateClient();

        for (var poll = 0; poll < 3; poll++)
        {
            using var response = await client.GetAsync("/health/ready");
            await response.ShouldHaveStatusAsync(HttpStatusCode.ServiceUnavailable);
            using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var checks = health.RootElement.GetProperty("checks").EnumerateArray()
                .ToDictionary(check => check.GetProperty("name").GetString()!, check => check.GetProperty("status").GetString());
            Assert.Equal("Degraded", checks["matching-index"]);
            Assert.Equal("Healthy", checks["database"]);
        }

        await (await client.GetAsync("/health/live")).ShouldHaveStatusAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(factory.LogEvents, logged => logged.Level >= LogEventLevel.Error);
        Assert.Contains(factory.LogEvents, logged => logged.Level == LogEventLevel.Warning
            && logged.RenderMessage().Contains("/health/ready", StringComparison.Ordinal));
    }

    /// <summary>The service with its index never built: the background service that builds it does not run.</summary>
    public sealed class IndexNotBuiltApiFactory : ThreatIntelApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
                services.Remove(services.Single(service => service.ImplementationType == typeof(MatchingIndexService))));
        }
    }
}
