using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Serilog.Events;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.Http;

/// <summary>Errors raised by the framework rather than by a controller are RFC 9457 problems too.</summary>
public sealed class ProblemResponsesTests(SmallBodyLimitApiFactory factory) : IClassFixture<SmallBodyLimitApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("GET", "/api/v1/nothing-here")]
    [InlineData("GET", "/api/v2/alert-definitions")]
    [InlineData("GET", "/api/v1/alert-definitions/not-a-guid")]
    [InlineData("DELETE", "/api/v1/iocs/123")]
    [InlineData("POST", "/api/v1/alert-definitions/00000000-0000-0000-0000-000000000001/iocs/bulk")]
    public async Task Unknown_routes_are_a_404_problem(string method, string path)
    {
        var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        var problem = await response.ReadProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(path, problem.Instance);
    }

    [Theory]
    [InlineData("PATCH", "/api/v1/alert-definitions", "GET, POST")]
    [InlineData("DELETE", "/api/v1/alert-definitions", "GET, POST")]
    [InlineData("POST", "/api/v1/alert-definitions/0193a5c4-7f2e-7a51-9b4e-3f1d2c0a9e10", "DELETE, GET, PUT")]
    [InlineData("PATCH", "/api/v1/iocs/0193a5c4-7f2e-7a51-9b4e-3f1d2c0a9e10", "DELETE, GET, PUT")]
    [InlineData("GET", "/api/v1/alert-definitions/0193a5c4-7f2e-7a51-9b4e-3f1d2c0a9e10/iocs/batch", "POST")]
    [InlineData("POST", "/api/v1/iocs", "GET")]
    public async Task A_method_the_route_does_not_take_is_a_405_problem_with_allow(string method, string path, string allowed)
    {
        var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await response.ReadProblemAsync(HttpStatusCode.MethodNotAllowed);
        Assert.Equal(allowed, string.Join(", ", response.Content.Headers.Allow.Order(StringComparer.Ordinal)));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task A_body_that_is_not_json_is_a_415_problem_and_nothing_is_created(string contentType)
    {
        var countBefore = await _client.CountDefinitionsAsync();
        var body = $"{{\"name\":\"{TestData.Name()}\",\"severity\":\"High\"}}";

        var response = await _client.SendRawAsync(HttpMethod.Post, Routes.Definitions, body, contentType);

        var problem = await response.ReadProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains(contentType, problem.Detail, StringComparison.Ordinal);
        Assert.Equal(countBefore, await _client.CountDefinitionsAsync());
    }

    [Fact]
    public async Task Every_json_route_answers_415_to_another_content_type()
    {
        var definition = await _client.CreateDefinitionAsync();
        var ioc = await _client.AddIocAsync(definition.Id, new { type = "FileName", value = "a.exe" });

        foreach (var (method, uri) in new[]
        {
            (HttpMethod.Put, Routes.Definition(definition.Id)),
            (HttpMethod.Post, Routes.DefinitionIocs(definition.Id)),
            (HttpMethod.Post, Routes.Batch(definition.Id)),
            (HttpMethod.Put, Routes.Ioc(ioc.Id)),
        })
        {
            var response = await _client.SendRawAsync(method, uri, "type=FileName&value=b.exe", "application/x-www-form-urlencoded");
            await response.ReadProblemAsync(HttpStatusCode.UnsupportedMediaType);
        }

        Assert.Equal("a.exe", (await _client.GetIocAsync(ioc.Id)).Ioc.Value);
        Assert.Equal(1, (await _client.GetDefinitionAsync(definition.Id)).Definition.IocCount);
    }

    [Fact]
    public async Task A_body_over_the_limit_declared_by_content_length_is_a_413_and_nothing_is_changed()
    {
        var definition = await _client.CreateDefinitionAsync();
        var body = JsonContent.Create(new { name = definition.Name, severity = "Low", description = new string('d', SmallBodyLimitApiFactory.MaxBodyBytes) });
        await body.LoadIntoBufferAsync();
        Assert.True(body.Headers.ContentLength > SmallBodyLimitApiFactory.MaxBodyBytes);

        var response = await _client.PutAsync(Routes.Definition(definition.Id), body);

        var problem = await response.ReadProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains(SmallBodyLimitApiFactory.MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), problem.Detail, StringComparison.Ordinal);
        var (stored, _) = await _client.GetDefinitionAsync(definition.Id);
        Assert.Equal(("High", null), (stored.Severity, stored.Description));
    }

    [Fact]
    public async Task A_body_refused_as_too_large_is_not_logged_as_a_server_error()
    {
        var definition = await _client.CreateDefinitionAsync();
        var path = Routes.DefinitionIocs(definition.Id);

        var response = await _client.PostAsJsonAsync(path, new { type = "FileName", value = new string('a', SmallBodyLimitApiFactory.MaxBodyBytes) });

        await response.ReadProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.DoesNotContain(factory.LogEvents, logEvent => logEvent.Level >= LogEventLevel.Error
            && logEvent.Properties.TryGetValue("RequestPath", out var logged) && logged.ToString() == $"\"{path}\"");
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_a_413_and_the_next_request_succeeds()
    {
        var countBefore = await _client.CountDefinitionsAsync();
        var json = $"{{\"name\":\"{TestData.Name()}\",\"severity\":\"High\",\"description\":\"{new string('d', SmallBodyLimitApiFactory.MaxBulkBodyBytes)}\"}}";
        var request = new HttpRequestMessage(HttpMethod.Post, Routes.Definitions) { Content = new UnknownLengthContent(json) };
        request.Headers.TransferEncodingChunked = true;

        var response = await _client.SendAsync(request);

        await response.ReadProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(countBefore, await _client.CountDefinitionsAsync());
        await _client.CreateDefinitionAsync();
        Assert.Equal(countBefore + 1, await _client.CountDefinitionsAsync());
    }

    [Fact]
    public async Task Bulk_routes_take_larger_bodies_than_ordinary_ones()
    {
        var definition = await _client.CreateDefinitionAsync();
        var iocs = Enumerable.Range(0, 200).Select(_ => new { type = "FileSha1", value = TestData.Sha1() }).ToArray();
        var single = new { type = "FileName", value = "x.exe", description = new string('d', SmallBodyLimitApiFactory.MaxBodyBytes) };

        var batch = await _client.PostAsJsonAsync(Routes.Batch(definition.Id), new { iocs });
        var add = await _client.PostAsJsonAsync(Routes.DefinitionIocs(definition.Id), single);

        Assert.Equal(200, (await batch.ReadAsync<BatchDto>(HttpStatusCode.OK)).Created);
        await add.ReadProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(200, (await _client.GetDefinitionAsync(definition.Id)).Definition.IocCount);
    }

    [Fact]
    public async Task A_batch_over_the_bulk_limit_is_a_413_and_stores_nothing()
    {
        var definition = await _client.CreateDefinitionAsync();
        var iocs = Enumerable.Range(0, 2_000).Select(_ => new { type = "FileSha256", value = TestData.Sha256() }).ToArray();

        var response = await _client.PostAsJsonAsync(Routes.Batch(definition.Id), new { iocs });

        await response.ReadProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, (await _client.GetDefinitionAsync(definition.Id)).Definition.IocCount);
    }

    [Theory]
    [InlineData("{\"name\": \"x\", \"severity\": \"High\"")]
    [InlineData("{\"name\": \"x\", \"severity\": \"High\",}")]
    [InlineData("{\"name\": \"x\" \"severity\": \"High\"}")]
    [InlineData("not json at all")]
    [InlineData("{\"name\": 'x'}")]
    public async Task Malformed_json_is_a_400_problem_nothing_is_created_and_the_next_request_succeeds(string body)
    {
        var countBefore = await _client.CountDefinitionsAsync();

        var response = await _client.SendRawAsync(HttpMethod.Post, Routes.Definitions, body);

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(problem.Errors);
        Assert.NotEmpty(problem.Errors);
        Assert.Equal(countBefore, await _client.CountDefinitionsAsync());
        await _client.CreateDefinitionAsync();
        Assert.Equal(countBefore + 1, await _client.CountDefinitionsAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    public async Task A_missing_body_is_a_400_naming_the_body_without_framework_echoes(string body)
    {
        var response = await _client.SendRawAsync(HttpMethod.Post, Routes.Definitions, body);

        var errors = await response.ReadValidationErrorsAsync("body");
        Assert.DoesNotContain(errors["body"], message => message.Contains("request field", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_json_value_of_the_wrong_kind_is_named_by_its_path()
    {
        var response = await _client.SendRawAsync(
            HttpMethod.Post, Routes.Definitions, "{\"name\":\"x\",\"iocs\":[{\"type\":\"FileName\",\"value\":\"a\"},{\"type\":\"FileName\",\"value\":42}]}");

        await response.ReadValidationErrorsAsync("iocs[1].value");
    }

    [Theory]
    [InlineData("/api/v1/alerts?since=yesterday", "since")]
    [InlineData("/api/v1/alerts?alertDefinitionId=not-a-guid", "alertDefinitionId")]
    [InlineData("/api/v1/alert-definitions?enabled=maybe", "enabled")]
    public async Task A_query_value_that_does_not_parse_is_named_as_the_client_sent_it(string uri, string field)
    {
        var response = await _client.GetAsync(uri);

        var message = (await response.ReadValidationErrorsAsync(field))[field].Single();
        Assert.EndsWith($"for {field}.", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"name\":\"x\",\"iocs\":[{\"type\":\"FileName\",\"value\":\"a\",\"expiresAt\":\"tomorrow\"}]}", "iocs[0].expiresAt", "ISO-8601")]
    [InlineData("{\"name\":\"x\",\"enabled\":\"yes\"}", "enabled", "true or false")]
    [InlineData("{\"name\":\"x\",\"tags\":\"apt\"}", "tags", "an array")]
    public async Task A_value_of_the_wrong_kind_says_what_the_field_takes_without_dotnet_type_names(string body, string field, string expected)
    {
        var response = await _client.SendRawAsync(HttpMethod.Post, Routes.Definitions, body);

        var message = (await response.ReadValidationErrorsAsync(field))[field].Single();
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"name\":\"x\",\"severity\":\"Urgent\"}", "severity", "Informational, Low, Medium, High, Critical")]
    [InlineData("{\"name\":\"x\",\"severity\":3}", "severity", "Informational, Low, Medium, High, Critical")]
    [InlineData("{\"name\":\"x\",\"severity\":\"3\"}", "severity", "Informational, Low, Medium, High, Critical")]
    [InlineData("{\"name\":\"x\",\"severity\":\"High,Low\"}", "severity", "Informational, Low, Medium, High, Critical")]
    [InlineData("{\"name\":\"x\",\"iocs\":[{\"type\":\"Hash\",\"value\":\"a\"}]}", "iocs[0].type", "FileSha1, FileSha256")]
    [InlineData("{\"name\":\"x\",\"iocs\":[{\"type\":0,\"value\":\"a\"}]}", "iocs[0].type", "FileSha1, FileSha256")]
    [InlineData("{\"name\":\"x\",\"iocs\":[{\"type\":\"FileName\",\"value\":\"a\",\"action\":1}]}", "iocs[0].action", "Equals, InRange")]
    public async Task Enums_are_accepted_only_as_their_names(string body, string field, string allowedNames)
    {
        var countBefore = await _client.CountDefinitionsAsync();

        var response = await _client.SendRawAsync(HttpMethod.Post, Routes.Definitions, body);

        var errors = await response.ReadValidationErrorsAsync(field);
        Assert.Contains(allowedNames, errors[field].Single(), StringComparison.Ordinal);
        Assert.Equal(countBefore, await _client.CountDefinitionsAsync());
    }

    [Theory]
    [InlineData("/api/v1/alert-definitions?severity=4", "severity")]
    [InlineData("/api/v1/alert-definitions?severity=Low,High", "severity")]
    [InlineData("/api/v1/iocs?type=4", "type")]
    [InlineData("/api/v1/iocs?type=FileMd5&action=0", "action")]
    public async Task Enums_in_the_query_are_accepted_only_as_their_names(string uri, string field)
    {
        var response = await _client.GetAsync(uri);

        var errors = await response.ReadValidationErrorsAsync(field);
        Assert.Contains("expected one of", errors[field].Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enum_names_are_read_case_insensitively()
    {
        var created = await _client.CreateDefinitionAsync(new
        {
            name = TestData.Name(),
            severity = "hIGH",
            iocs = new[] { new { type = "filename", value = "a.exe", action = "CONTAINS" } },
        });

        var ioc = Assert.Single(await _client.ListIocsAsync(created.Id));
        Assert.Equal(("High", "FileName", "Contains"), (created.Severity, ioc.Type, ioc.Action));
        Assert.Single((await _client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?search={Uri.EscapeDataString(created.Name)}&severity=high")).Items);
    }

    /// <summary>A body whose length is not known up front, so it travels chunked without Content-Length.</summary>
    private sealed class UnknownLengthContent : HttpContent
    {
        private readonly byte[] _bytes;

        public UnknownLengthContent(string json)
        {
            _bytes = Encoding.UTF8.GetBytes(json);
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            stream.WriteAsync(_bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
