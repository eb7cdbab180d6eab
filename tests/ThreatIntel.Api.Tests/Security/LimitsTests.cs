using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.Security;

/// <summary>
/// Every configured request limit answers a breach with its own error, stores nothing, and leaves the service healthy
/// for the next request.
/// </summary>
public sealed class LimitsTests(LimitsTests.SmallLimitsApiFactory factory) : IClassFixture<LimitsTests.SmallLimitsApiFactory>
{
    private const int MaxBodyBytes = 2048;
    private const int MaxIocsPerBatch = 5;
    private const int MaxPageSize = 100; // not below the default page size (50), which lists without pageSize use
    private const int MaxIocValueLength = 100;
    private const int MaxRegexPatternLength = 50;
    private const int MaxJsonDepth = 8;

    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_on_ordinary_routes_but_fits_a_bulk_route()
    {
        var description = new string('d', MaxBodyBytes + 1);
        var definition = await _client.CreateDefinitionAsync(new { name = TestData.Name(), severity = "High", description });

        var response = await _client.PutAsJsonAsync(Routes.Definition(definition.Id), new { name = definition.Name, severity = "Low", description });

        await response.ReadProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("High", (await _client.GetDefinitionAsync(definition.Id)).Definition.Severity);
        await ShouldStillServeAsync();
    }

    [Fact]
    public async Task A_batch_over_the_item_limit_is_a_400_naming_iocs_and_stores_nothing()
    {
        var definition = await _client.CreateDefinitionAsync();

        var response = await _client.PostAsJsonAsync(Routes.Batch(definition.Id), new { iocs = Md5Iocs(MaxIocsPerBatch + 1) });

        var errors = await response.ReadValidationErrorsAsync("iocs");
        Assert.Contains(MaxIocsPerBatch.ToString(CultureInfo.InvariantCulture), errors["iocs"][0], StringComparison.Ordinal);
        Assert.Empty(await IocsOfAsync(definition.Id));
        var atLimit = await _client.PostAsJsonAsync(Routes.Batch(definition.Id), new { iocs = Md5Iocs(MaxIocsPerBatch) });
        Assert.Equal(MaxIocsPerBatch, (await atLimit.ReadAsync<BatchDto>(HttpStatusCode.OK)).Created);
        await ShouldStillServeAsync();
    }

    [Fact]
    public async Task A_definition_created_with_more_iocs_than_a_batch_holds_is_a_400_naming_iocs()
    {
        var name = TestData.Name();

        var response = await _client.PostAsJsonAsync(Routes.Definitions, new { name, severity = "High", iocs = Md5Iocs(MaxIocsPerBatch + 1) });

        await response.ReadValidationErrorsAsync("iocs");
        Assert.Empty((await _client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?search={Uri.EscapeDataString(name)}")).Items);
        await ShouldStillServeAsync();
    }

    [Theory]
    [InlineData(Routes.Definitions)]
    [InlineData(Routes.Iocs)]
    [InlineData(Routes.ApiKeys)]
    [InlineData(Routes.Audit)]
    [InlineData("/api/v1/alert-definitions/{id}/iocs")]
    public async Task A_page_size_over_the_limit_is_a_400_naming_page_size(string list)
    {
        var uri = list.Replace("{id}", (await _client.CreateDefinitionAsync()).Id.ToString(), StringComparison.Ordinal);

        var response = await _client.GetAsync($"{uri}?pageSize={MaxPageSize + 1}");

        await response.ReadValidationErrorsAsync("pageSize");
        await (await _client.GetAsync($"{uri}?pageSize={MaxPageSize}")).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await ShouldStillServeAsync();
    }

    [Theory]
    [InlineData("FileName", "Contains", MaxIocValueLength)]
    [InlineData("CommandLine", "Regex", MaxRegexPatternLength)]
    public async Task A_value_over_its_length_limit_is_a_400_naming_value_and_one_at_the_limit_is_stored(string type, string action, int limit)
    {
        var definition = await _client.CreateDefinitionAsync();

        var tooLong = await _client.PostAsJsonAsync(Routes.DefinitionIocs(definition.Id), new { type, action, value = new string('a', limit + 1) });

        var errors = await tooLong.ReadValidationErrorsAsync("value");
        Assert.Contains(limit.ToString(CultureInfo.InvariantCulture), errors["value"][0], StringComparison.Ordinal);
        Assert.Empty(await IocsOfAsync(definition.Id));
        await _client.AddIocAsync(definition.Id, new { type, action, value = new string('a', limit) });
        await ShouldStillServeAsync();
    }

    [Fact]
    public async Task Json_nested_deeper_than_the_limit_is_a_400_problem_and_creates_nothing()
    {
        var name = TestData.Name();
        var nested = string.Concat(Enumerable.Repeat("{\"a\":", MaxJsonDepth)) + "1" + new string('}', MaxJsonDepth);

        var response = await _client.SendRawAsync(
            HttpMethod.Post, Routes.Definitions, $"{{\"name\":\"{name}\",\"severity\":\"High\",\"extra\":{nested}}}");

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("depth", Assert.Single(Assert.Single(problem.Errors!).Value), StringComparison.OrdinalIgnoreCase);
        Assert.Empty((await _client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?search={Uri.EscapeDataString(name)}")).Items);
        await ShouldStillServeAsync();
    }

    private async Task<IocDto[]> IocsOfAsync(Guid definitionId) =>
        (await _client.GetPageAsync<IocDto>($"{Routes.DefinitionIocs(definitionId)}?pageSize={MaxPageSize}")).Items;

    private static object[] Md5Iocs(int count) =>
        [.. Enumerable.Range(0, count).Select(_ => new { type = "FileMd5", value = TestData.Md5() })];

    /// <summary>The service is ready and serves the next valid request.</summary>
    private async Task ShouldStillServeAsync()
    {
        using var anonymous = factory.CreateClientWithKey(null);
        await (await anonymous.GetAsync("/health/ready")).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await _client.CreateDefinitionAsync(iocs: [new { type = "FileName", value = "next.exe" }]);
    }

    public sealed class SmallLimitsApiFactory : ThreatIntelApiFactory
    {
        protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings =>
        [
            new("RequestLimits:MaxBodyBytes", MaxBodyBytes.ToString(CultureInfo.InvariantCulture)),
            new("RequestLimits:MaxIocsPerBatch", MaxIocsPerBatch.ToString(CultureInfo.InvariantCulture)),
            new("RequestLimits:MaxPageSize", MaxPageSize.ToString(CultureInfo.InvariantCulture)),
            new("RequestLimits:MaxIocValueLength", MaxIocValueLength.ToString(CultureInfo.InvariantCulture)),
            new("RequestLimits:MaxRegexPatternLength", MaxRegexPatternLength.ToString(CultureInfo.InvariantCulture)),
            new("RequestLimits:MaxJsonDepth", MaxJsonDepth.ToString(CultureInfo.InvariantCulture)),
        ];
    }
}
