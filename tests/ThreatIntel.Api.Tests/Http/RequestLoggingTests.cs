using System.Net;
using System.Net.Http.Json;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.Http;

/// <summary>The service logging at Information, as it does by default.</summary>
public sealed class InformationLoggingApiFactory : ThreatIntelApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings => [new("Serilog:MinimumLevel:Default", "Information")];
}

/// <summary>Every request is logged once with its method, path, status and duration, and never with its body or key.</summary>
public sealed class RequestLoggingTests(InformationLoggingApiFactory factory) : IClassFixture<InformationLoggingApiFactory>
{
    [Fact]
    public async Task A_request_is_logged_with_method_path_status_and_elapsed_time_but_not_its_body_or_key()
    {
        var client = factory.CreateClient();
        var marker = TestData.Sha1();

        var response = await client.PostAsJsonAsync(
            "/api/v1/events/evaluate?dryRun=true", new { events = new[] { new { observables = new[] { new { type = "FileSha1", value = marker } } } } });

        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var logged = Assert.Single(factory.LogEvents, e =>
            e.Properties.TryGetValue("RequestPath", out var path) && path.ToString() == "\"/api/v1/events/evaluate\"");
        Assert.Equal("\"POST\"", logged.Properties["RequestMethod"].ToString());
        Assert.Equal("200", logged.Properties["StatusCode"].ToString());
        Assert.True(logged.Properties.ContainsKey("Elapsed"));
        var everything = string.Join('\n', factory.LogEvents.Select(e => e.RenderMessage() + string.Join(',', e.Properties.Values)));
        Assert.DoesNotContain(marker, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(ThreatIntelApiFactory.AdminKey, everything, StringComparison.Ordinal);
    }
}
