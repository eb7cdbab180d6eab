using System.Net;
using System.Text.Json;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests;

public sealed class HealthAndSwaggerTests(ThreatIntelApiFactory factory) : IClassFixture<ThreatIntelApiFactory>
{
    private const string ProblemJson = "application/problem+json";

    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_report_healthy(string path)
    {
        var response = await _client.GetAsync(path);

        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", health.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readiness_checks_the_database()
    {
        using var health = JsonDocument.Parse(await _client.GetStringAsync("/health/ready"));

        var database = Assert.Single(health.RootElement.GetProperty("checks").EnumerateArray(),
            check => check.GetProperty("name").GetString() == "database");
        Assert.Equal("Healthy", database.GetProperty("status").GetString());
    }

    public static TheoryData<string, string, int[]> Operations => new()
    {
        { "/api/v1/alert-definitions", "get", [400, 401, 403, 429] },
        { "/api/v1/alert-definitions", "post", [400, 401, 403, 429, 409, 413, 415] },
        { "/api/v1/alert-definitions/{id}", "get", [401, 403, 404, 429] },
        { "/api/v1/alert-definitions/{id}", "put", [400, 401, 403, 429, 404, 409, 412, 415] },
        { "/api/v1/alert-definitions/{id}", "delete", [401, 403, 404, 412, 429] },
        { "/api/v1/alert-definitions/{alertDefinitionId}/iocs", "get", [400, 401, 403, 429, 404] },
        { "/api/v1/alert-definitions/{alertDefinitionId}/iocs", "post", [400, 401, 403, 429, 404, 409, 415] },
        { "/api/v1/alert-definitions/{alertDefinitionId}/iocs/batch", "post", [400, 401, 403, 429, 404, 409, 413, 415] },
        { "/api/v1/iocs", "get", [400, 401, 403, 429] },
        { "/api/v1/iocs/{id}", "get", [401, 403, 404, 429] },
        { "/api/v1/iocs/{id}", "put", [400, 401, 403, 429, 404, 409, 412, 415] },
        { "/api/v1/iocs/{id}", "delete", [401, 403, 404, 412, 429] },
        { "/api/v1/api-keys", "get", [400, 401, 403, 429] },
        { "/api/v1/api-keys", "post", [400, 401, 403, 409, 415, 429] },
        { "/api/v1/api-keys/{id}", "get", [401, 403, 404, 429] },
        { "/api/v1/api-keys/{id}", "delete", [401, 403, 404, 429] },
        { "/api/v1/audit", "get", [400, 401, 403, 429] },
        { "/api/v1/matching/status", "get", [401, 403, 429, 503] },
        { "/api/v1/events/evaluate", "post", [400, 401, 403, 413, 415, 429, 503] },
        { "/api/v1/alerts", "get", [400, 401, 403, 429] },
        { "/api/v1/alerts/{id}", "get", [401, 403, 404, 429] },
        { "/api/v1/alerts/stream", "get", [400, 401, 403, 429] },
        { "/api/v1/alerts/{id}", "patch", [400, 401, 403, 404, 409, 412, 415, 429] },
        { "/api/v1/feeds", "get", [400, 401, 403, 429] },
        { "/api/v1/feeds/{feed}", "put", [400, 401, 403, 409, 413, 415, 422, 429] },
        { "/api/v1/feeds/{feed}", "post", [400, 401, 403, 409, 413, 415, 422, 429] },
        { "/api/v1/feeds/{feed}", "get", [401, 403, 404, 429] },
        { "/api/v1/feeds/{feed}", "delete", [401, 403, 404, 429] },
        { "/api/v1/feeds/{feed}/export", "get", [400, 401, 403, 404, 429] },
        { "/api/v1/webhooks", "get", [400, 401, 403, 429] },
        { "/api/v1/webhooks", "post", [400, 401, 403, 415, 429] },
        { "/api/v1/webhooks/{id}", "get", [401, 403, 404, 429] },
        { "/api/v1/webhooks/{id}", "put", [400, 401, 403, 404, 412, 415, 429] },
        { "/api/v1/webhooks/{id}", "delete", [401, 403, 404, 412, 429] },
        { "/api/v1/webhooks/{id}/deliveries", "get", [400, 401, 403, 404, 429] },
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Swagger_documents_every_route_with_its_problem_responses(string path, string method, int[] problemStatuses)
    {
        using var document = JsonDocument.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"));

        Assert.True(document.RootElement.GetProperty("paths").TryGetProperty(path, out var pathItem), $"{path} is not documented.");
        Assert.True(pathItem.TryGetProperty(method, out var operation), $"{method.ToUpperInvariant()} {path} is not documented.");
        var responses = operation.GetProperty("responses");
        foreach (var status in problemStatuses)
        {
            Assert.True(
                responses.TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response),
                $"{method.ToUpperInvariant()} {path} does not declare {status}.");
            Assert.True(response.GetProperty("content").TryGetProperty(ProblemJson, out _), $"{status} of {method.ToUpperInvariant()} {path} is not {ProblemJson}.");
        }
    }

    [Fact]
    public async Task Swagger_documents_no_route_outside_the_contract()
    {
        using var document = JsonDocument.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"));

        var documented = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (path.Name, operation.Name)))
            .Order();

        Assert.Equal(Operations.Select(row => ((string)row[0], (string)row[1])).Distinct().Order(), documented);
    }

    [Theory]
    [InlineData("Severity", new[] { "Informational", "Low", "Medium", "High", "Critical" })]
    [InlineData("IocType", new[] { "FileSha1", "FileSha256", "FileMd5", "CertificateThumbprint", "IpAddress", "DomainName", "Url", "EmailAddress", "FileName", "FilePath", "ProcessName", "CommandLine", "RegistryKey" })]
    [InlineData("IocAction", new[] { "Equals", "InRange", "StartsWith", "EndsWith", "Contains", "Regex" })]
    public async Task Swagger_describes_enums_as_their_string_names(string schemaName, string[] names)
    {
        using var document = JsonDocument.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"));

        var schema = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(schemaName);

        Assert.Equal("string", schema.GetProperty("type").GetString());
        Assert.Equal(names, schema.GetProperty("enum").EnumerateArray().Select(value => value.GetString()));
    }

    [Fact]
    public async Task Swagger_offers_a_feed_push_example_in_each_of_the_four_formats_with_json_sent_as_json()
    {
        using var document = JsonDocument.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"));
        var content = document.RootElement.GetProperty("paths").GetProperty("/api/v1/feeds/{feed}")
            .GetProperty("put").GetProperty("requestBody").GetProperty("content");

        Assert.Equal(
            ["application/json", "application/stix+json", "text/csv", "text/plain"],
            content.EnumerateObject().Select(media => media.Name).Order(StringComparer.Ordinal));
        Assert.Equal(JsonValueKind.Array, content.GetProperty("application/json").GetProperty("example").GetProperty("definitions").ValueKind);
        Assert.Equal("bundle", content.GetProperty("application/stix+json").GetProperty("example").GetProperty("type").GetString());
        Assert.StartsWith("definition,type,value", content.GetProperty("text/csv").GetProperty("example").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Swagger_ui_is_served_at_swagger()
    {
        var response = await _client.GetAsync("/swagger");

        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("swagger-ui", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_root_redirects_to_swagger_ui()
    {
        using var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/swagger", response.Headers.Location?.ToString());
    }
}
