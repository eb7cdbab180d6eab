using System.Net;
using System.Net.Http.Json;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.AlertDefinitions;

public sealed class CreateAlertDefinitionTests(ThreatIntelApiFactory factory) : IClassFixture<ThreatIntelApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Create_returns_201_with_location_and_etag_of_the_stored_definition()
    {
        var name = TestData.Name("Emotet loader");
        var before = DateTime.UtcNow;

        var response = await _client.PostAsJsonAsync(Routes.Definitions, new
        {
            name = $"  {name}  ",
            description = "Files and infrastructure of the Emotet loader.",
            severity = "critical",
            category = "Malware",
            mitreTechniques = new[] { "t1059.001", "T1204", "T1204" },
            recommendedActions = "Isolate the device.",
            tags = new[] { "emotet", "EMOTET", " loader " },
            enabled = false,
        });

        var created = await response.ReadAsync<DefinitionDto>(HttpStatusCode.Created);
        Assert.Equal(name, created.Name);
        Assert.Equal("Files and infrastructure of the Emotet loader.", created.Description);
        Assert.Equal("Critical", created.Severity);
        Assert.Equal("Malware", created.Category);
        Assert.Equal(["T1059.001", "T1204"], created.MitreTechniques);
        Assert.Equal("Isolate the device.", created.RecommendedActions);
        Assert.Equal(["emotet", "loader"], created.Tags);
        Assert.False(created.Enabled);
        Assert.Null(created.Source);
        Assert.Equal(ThreatIntelApiFactory.AdminKeyName, created.CreatedBy);
        Assert.Equal(0, created.IocCount);
        Assert.InRange(created.CreatedAt, before.AddSeconds(-1), DateTime.UtcNow.AddSeconds(1));
        Assert.Equal(created.CreatedAt, created.UpdatedAt);

        Assert.NotNull(response.Headers.Location);
        Assert.EndsWith(Routes.Definition(created.Id), response.Headers.Location.ToString(), StringComparison.Ordinal);
        var (stored, storedETag) = await _client.GetDefinitionAsync(created.Id);
        Assert.Equal(
            (created.Name, created.Description, created.Severity, created.Category, created.Enabled, created.CreatedAt),
            (stored.Name, stored.Description, stored.Severity, stored.Category, stored.Enabled, stored.CreatedAt));
        Assert.Equal(created.MitreTechniques, stored.MitreTechniques);
        Assert.Equal(created.Tags, stored.Tags);
        Assert.Equal(response.ETag(), storedETag);
    }

    [Fact]
    public async Task Optional_fields_left_out_take_their_defaults()
    {
        var created = await _client.CreateDefinitionAsync(new { name = TestData.Name() });

        Assert.True(created.Enabled);
        Assert.Equal("Medium", created.Severity);
        Assert.Null(created.Description);
        Assert.Empty(created.MitreTechniques);
        Assert.Empty(created.Tags);
    }

    [Fact]
    public async Task Iocs_in_the_body_are_created_with_the_definition_normalised_and_stored_once()
    {
        var sha1 = TestData.Sha1();
        var created = await _client.CreateDefinitionAsync(new
        {
            name = TestData.Name(),
            severity = "High",
            iocs = new object[]
            {
                new { type = "FileSha1", value = sha1.ToUpperInvariant() },
                new { type = "FileSha1", value = sha1, action = "Equals" },
                new { type = "IpAddress", value = "203.0.113.0/24" },
                new { type = "DomainName", value = "Evil.Example.COM." },
            },
        });

        Assert.Equal(3, created.IocCount);
        var iocs = await _client.ListIocsAsync(created.Id);
        Assert.Equal(
            [("DomainName", "evil.example.com", "EndsWith"), ("FileSha1", sha1, "Equals"), ("IpAddress", "203.0.113.0/24", "InRange")],
            iocs.Select(i => (i.Type, i.Value, i.Action)).Order());
        Assert.All(iocs, ioc => Assert.Equal(created.Id, ioc.AlertDefinitionId));
    }

    [Fact]
    public async Task An_invalid_ioc_rejects_the_whole_definition_naming_the_ioc_field()
    {
        var name = TestData.Name();
        var response = await _client.PostAsJsonAsync(Routes.Definitions, new
        {
            name,
            severity = "High",
            iocs = new object[]
            {
                new { type = "FileSha1", value = TestData.Sha1() },
                new { type = "FileMd5", value = "not-a-hash" },
                new { type = "IpAddress", value = "10.0.0.1/8" },
            },
        });

        var errors = await response.ReadValidationErrorsAsync("iocs[1].value", "iocs[2].value");
        Assert.Contains("host bits", errors["iocs[2].value"].Single(), StringComparison.Ordinal);
        Assert.Empty((await _client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?search={Uri.EscapeDataString(name)}")).Items);
    }

    [Fact]
    public async Task A_null_ioc_is_rejected_by_its_index()
    {
        var response = await _client.PostAsJsonAsync(Routes.Definitions, new
        {
            name = TestData.Name(),
            severity = "High",
            iocs = new object?[] { new { type = "FileSha1", value = TestData.Sha1() }, null },
        });

        await response.ReadValidationErrorsAsync("iocs[1]");
    }

    public static TheoryData<string, object> InvalidMetadata => new()
    {
        { "name", new { name = "", severity = "High" } },
        { "name", new { name = "   ", severity = "High" } },
        { "name", new { severity = "High" } },
        { "name", new { name = new string('n', 201), severity = "High" } },
        { "description", new { name = TestData.Name(), severity = "High", description = new string('d', 4001) } },
        { "category", new { name = TestData.Name(), severity = "High", category = new string('c', 101) } },
        { "recommendedActions", new { name = TestData.Name(), severity = "High", recommendedActions = new string('r', 4001) } },
        { "mitreTechniques[1]", new { name = TestData.Name(), severity = "High", mitreTechniques = new[] { "T1059", "T12" } } },
        { "mitreTechniques", new { name = TestData.Name(), severity = "High", mitreTechniques = Enumerable.Range(1000, 51).Select(n => $"T{n}").ToArray() } },
        { "tags[0]", new { name = TestData.Name(), severity = "High", tags = new[] { "" } } },
        { "tags[0]", new { name = TestData.Name(), severity = "High", tags = new[] { new string('t', 65) } } },
        { "severity", new { name = TestData.Name(), severity = "Severe" } },
    };

    [Theory]
    [MemberData(nameof(InvalidMetadata))]
    public async Task Invalid_metadata_is_rejected_naming_the_field_and_nothing_is_created(string field, object body)
    {
        var countBefore = await _client.CountDefinitionsAsync();

        var response = await _client.PostAsJsonAsync(Routes.Definitions, body);

        await response.ReadValidationErrorsAsync(field);
        Assert.Equal(countBefore, await _client.CountDefinitionsAsync());
    }

    [Fact]
    public async Task Name_of_exactly_200_characters_is_accepted()
    {
        var name = TestData.Name().PadRight(200, 'x');

        var created = await _client.CreateDefinitionAsync(new { name, severity = "Low" });

        Assert.Equal(200, created.Name.Length);
    }

    [Fact]
    public async Task Every_invalid_field_is_named_at_once()
    {
        var response = await _client.PostAsJsonAsync(Routes.Definitions, new
        {
            name = "",
            severity = "High",
            description = new string('d', 4001),
            iocs = new object[]
            {
                new { value = TestData.Sha1() },
                new { type = "FileSha1", value = "abc", action = "Contains" },
                new { type = "FileName", value = "(?<=a)b", action = "Regex" },
            },
        });

        await response.ReadValidationErrorsAsync("name", "description", "iocs[0].type", "iocs[1].action", "iocs[2].value");
    }

    [Fact]
    public async Task An_unknown_severity_names_the_allowed_values()
    {
        var response = await _client.PostAsJsonAsync(Routes.Definitions, new { name = TestData.Name(), severity = "Urgent" });

        var errors = await response.ReadValidationErrorsAsync("severity");
        Assert.Contains("Informational, Low, Medium, High, Critical", errors["severity"].Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_taken_name_in_any_case_is_a_409_naming_the_existing_definition()
    {
        var name = TestData.Name("Cobalt Strike");
        var existing = await _client.CreateDefinitionAsync(name);
        var countBefore = await _client.CountDefinitionsAsync();

        var response = await _client.PostAsJsonAsync(Routes.Definitions, new { name = $" {name.ToUpperInvariant()} ", severity = "Low" });

        var problem = await response.ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(existing.Id, problem.ExistingId);
        Assert.EndsWith(Routes.Definition(existing.Id), problem.Existing, StringComparison.Ordinal);
        Assert.Contains(existing.Id.ToString(), problem.Detail, StringComparison.Ordinal);
        Assert.Equal(countBefore, await _client.CountDefinitionsAsync());
    }

    [Fact]
    public async Task Concurrent_creates_of_one_name_store_it_once_and_name_the_winner_to_the_others()
    {
        var name = TestData.Name();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            _client.PostAsJsonAsync(Routes.Definitions, new { name, severity = "High" })));

        var winner = await Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created).ReadAsync<DefinitionDto>(HttpStatusCode.Created);
        foreach (var loser in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            Assert.Equal(winner.Id, (await loser.ReadProblemAsync(HttpStatusCode.Conflict)).ExistingId);
        }

        Assert.Single((await _client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?search={Uri.EscapeDataString(name)}")).Items);
    }

    [Fact]
    public async Task More_than_10000_iocs_are_rejected_and_nothing_is_created()
    {
        var name = TestData.Name();
        var iocs = Enumerable.Range(0, 10_001).Select(_ => new { type = "FileMd5", value = TestData.Md5() }).ToArray();

        var response = await _client.PostAsJsonAsync(Routes.Definitions, new { name, severity = "Low", iocs });

        await response.ReadValidationErrorsAsync("iocs");
        Assert.Empty((await _client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?search={Uri.EscapeDataString(name)}")).Items);
    }

    [Fact]
    public async Task Created_definition_is_found_by_id_and_unknown_ids_are_404()
    {
        var created = await _client.CreateDefinitionAsync();
        var unknown = Guid.NewGuid();

        var (found, _) = await _client.GetDefinitionAsync(created.Id);
        var missing = await _client.GetAsync(Routes.Definition(unknown));

        Assert.Equal(created.Name, found.Name);
        var problem = await missing.ReadProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains(unknown.ToString(), problem.Detail, StringComparison.Ordinal);
    }
}
