using System.Net;
using System.Net.Http.Json;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.AlertDefinitions;

public sealed class UpdateAndDeleteAlertDefinitionTests(ThreatIntelApiFactory factory) : IClassFixture<ThreatIntelApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Put_replaces_the_metadata_keeps_the_iocs_and_returns_a_new_etag()
    {
        var created = await _client.CreateDefinitionAsync(new
        {
            name = TestData.Name(),
            severity = "Low",
            description = "old description",
            category = "Malware",
            tags = new[] { "old" },
            mitreTechniques = new[] { "T1059" },
            enabled = false,
            iocs = new[] { new { type = "FileMd5", value = TestData.Md5() } },
        });
        var (_, etagBefore) = await _client.GetDefinitionAsync(created.Id);
        var newName = TestData.Name("Renamed");

        var response = await _client.SendJsonAsync(HttpMethod.Put, Routes.Definition(created.Id), new
        {
            name = newName,
            severity = "Critical",
            tags = new[] { "new" },
        }, ifMatch: etagBefore);

        var updated = await response.ReadAsync<DefinitionDto>(HttpStatusCode.OK);
        Assert.NotEqual(etagBefore, response.ETag());
        Assert.Equal(newName, updated.Name);
        Assert.Equal("Critical", updated.Severity);
        Assert.Equal(["new"], updated.Tags);
        Assert.Null(updated.Description);
        Assert.Null(updated.Category);
        Assert.Empty(updated.MitreTechniques);
        Assert.True(updated.Enabled);
        Assert.Equal(1, updated.IocCount);
        Assert.Equal(created.CreatedAt, updated.CreatedAt);
        Assert.True(updated.UpdatedAt > created.UpdatedAt);

        var (stored, storedETag) = await _client.GetDefinitionAsync(created.Id);
        Assert.Equal(newName, stored.Name);
        Assert.Equal(response.ETag(), storedETag);
        Assert.Single(await _client.ListIocsAsync(created.Id));
    }

    [Fact]
    public async Task Put_with_a_stale_if_match_is_a_412_and_changes_nothing()
    {
        var created = await _client.CreateDefinitionAsync();
        var (_, staleETag) = await _client.GetDefinitionAsync(created.Id);
        var first = await _client.SendJsonAsync(
            HttpMethod.Put, Routes.Definition(created.Id), new { name = created.Name, severity = "Low" }, ifMatch: staleETag);
        await first.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var (afterFirst, currentETag) = await _client.GetDefinitionAsync(created.Id);

        var second = await _client.SendJsonAsync(
            HttpMethod.Put, Routes.Definition(created.Id), new { name = TestData.Name(), severity = "Critical" }, ifMatch: staleETag);

        await second.ReadProblemAsync(HttpStatusCode.PreconditionFailed);
        var (afterSecond, etagAfter) = await _client.GetDefinitionAsync(created.Id);
        Assert.Equal((afterFirst.Name, "Low", afterFirst.UpdatedAt), (afterSecond.Name, afterSecond.Severity, afterSecond.UpdatedAt));
        Assert.Equal(currentETag, etagAfter);
    }

    [Theory]
    [InlineData("*")]
    [InlineData(null)]
    public async Task Put_without_a_version_precondition_succeeds(string? ifMatch)
    {
        var created = await _client.CreateDefinitionAsync();

        var response = await _client.SendJsonAsync(
            HttpMethod.Put, Routes.Definition(created.Id), new { name = created.Name, severity = "Informational" }, ifMatch);

        Assert.Equal("Informational", (await response.ReadAsync<DefinitionDto>(HttpStatusCode.OK)).Severity);
    }

    [Theory]
    [InlineData("W/\"{0}\"")]
    [InlineData("\"00000000000000000000000000000000\"")]
    [InlineData("not-an-etag")]
    public async Task Put_with_an_if_match_that_is_not_the_current_strong_etag_is_a_412(string ifMatchFormat)
    {
        var created = await _client.CreateDefinitionAsync();
        var (_, etag) = await _client.GetDefinitionAsync(created.Id);
        var ifMatch = string.Format(System.Globalization.CultureInfo.InvariantCulture, ifMatchFormat, etag.Trim('"'));

        var response = await _client.SendJsonAsync(
            HttpMethod.Put, Routes.Definition(created.Id), new { name = created.Name, severity = "Low" }, ifMatch);

        await response.ReadProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal(etag, (await _client.GetDefinitionAsync(created.Id)).ETag);
    }

    [Fact]
    public async Task Concurrent_puts_with_the_same_etag_let_exactly_one_win()
    {
        var created = await _client.CreateDefinitionAsync();
        var (_, etag) = await _client.GetDefinitionAsync(created.Id);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => _client.SendJsonAsync(
            HttpMethod.Put, Routes.Definition(created.Id), new { name = $"{created.Name} v{i}", severity = "Low" }, etag)));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(7, statuses.Count(s => s == HttpStatusCode.PreconditionFailed));
        var winner = await responses.Single(r => r.StatusCode == HttpStatusCode.OK).ReadAsync<DefinitionDto>(HttpStatusCode.OK);
        Assert.Equal(winner.Name, (await _client.GetDefinitionAsync(created.Id)).Definition.Name);
    }

    [Fact]
    public async Task Put_to_another_definitions_name_is_a_409_naming_it_and_changes_nothing()
    {
        var other = await _client.CreateDefinitionAsync();
        var created = await _client.CreateDefinitionAsync();

        var response = await _client.PutAsJsonAsync(Routes.Definition(created.Id), new { name = other.Name.ToUpperInvariant(), severity = "Low" });

        var problem = await response.ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(other.Id, problem.ExistingId);
        Assert.Equal(created.Name, (await _client.GetDefinitionAsync(created.Id)).Definition.Name);
    }

    [Fact]
    public async Task Put_may_change_only_the_case_of_its_own_name()
    {
        var created = await _client.CreateDefinitionAsync(TestData.Name("lower case"));

        var response = await _client.PutAsJsonAsync(Routes.Definition(created.Id), new { name = created.Name.ToUpperInvariant(), severity = "Low" });

        Assert.Equal(created.Name.ToUpperInvariant(), (await response.ReadAsync<DefinitionDto>(HttpStatusCode.OK)).Name);
    }

    [Fact]
    public async Task Put_with_invalid_fields_is_a_400_and_changes_nothing()
    {
        var created = await _client.CreateDefinitionAsync();
        var (_, etag) = await _client.GetDefinitionAsync(created.Id);

        var response = await _client.PutAsJsonAsync(Routes.Definition(created.Id), new
        {
            name = new string('n', 201),
            severity = "High",
            mitreTechniques = new[] { "X1059" },
        });

        await response.ReadValidationErrorsAsync("name", "mitreTechniques[0]");
        var (stored, etagAfter) = await _client.GetDefinitionAsync(created.Id);
        Assert.Equal(created.Name, stored.Name);
        Assert.Equal(etag, etagAfter);
    }

    public static TheoryData<string, object> InvalidReplacements => new()
    {
        { "name", new { severity = "High" } },
        { "name", new { name = " ", severity = "High" } },
        { "severity", new { name = TestData.Name(), severity = "Severe" } },
        { "description", new { name = TestData.Name(), description = new string('d', 4001) } },
        { "tags[1]", new { name = TestData.Name(), tags = new[] { "ok", "" } } },
    };

    [Theory]
    [MemberData(nameof(InvalidReplacements))]
    public async Task Put_names_each_invalid_field(string field, object body)
    {
        var created = await _client.CreateDefinitionAsync();

        var response = await _client.PutAsJsonAsync(Routes.Definition(created.Id), body);

        await response.ReadValidationErrorsAsync(field);
        Assert.Equal(created.Name, (await _client.GetDefinitionAsync(created.Id)).Definition.Name);
    }

    [Fact]
    public async Task Put_and_delete_of_an_unknown_definition_are_404()
    {
        var unknown = Guid.NewGuid();

        var put = await _client.PutAsJsonAsync(Routes.Definition(unknown), new { name = TestData.Name(), severity = "Low" });
        var delete = await _client.DeleteAsync(Routes.Definition(unknown));

        Assert.Contains(unknown.ToString(), (await put.ReadProblemAsync(HttpStatusCode.NotFound)).Detail, StringComparison.Ordinal);
        await delete.ReadProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await _client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?search={unknown}")).Items);
    }

    [Fact]
    public async Task Delete_removes_the_definition_and_cascades_to_its_iocs()
    {
        var hash = TestData.Sha256();
        var address = TestData.IPv4();
        var created = await _client.CreateDefinitionAsync(iocs: [new { type = "FileSha256", value = hash }]);
        var added = await _client.AddIocAsync(created.Id, new { type = "IpAddress", value = address });
        var iocIds = (await _client.ListIocsAsync(created.Id)).Select(i => i.Id).ToList();
        Assert.Equal(2, iocIds.Count);

        var response = await _client.DeleteAsync(Routes.Definition(created.Id));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        await (await _client.GetAsync(Routes.Definition(created.Id))).ReadProblemAsync(HttpStatusCode.NotFound);
        foreach (var id in iocIds)
        {
            await (await _client.GetAsync(Routes.Ioc(id))).ReadProblemAsync(HttpStatusCode.NotFound);
        }

        Assert.Contains(added.Id, iocIds);
        Assert.Empty((await _client.LookupAsync("FileSha256", hash)).Items);
        Assert.Empty((await _client.LookupAsync("IpAddress", address)).Items);
        await (await _client.GetAsync(Routes.DefinitionIocs(created.Id))).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await _client.DeleteAsync(Routes.Definition(created.Id))).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_leaves_other_definitions_and_their_iocs_alone()
    {
        var hash = TestData.Md5();
        var kept = await _client.CreateDefinitionAsync(iocs: [new { type = "FileMd5", value = hash }]);
        var deleted = await _client.CreateDefinitionAsync(iocs: [new { type = "FileMd5", value = hash }]);

        (await _client.DeleteAsync(Routes.Definition(deleted.Id))).EnsureSuccessStatusCode();

        var found = Assert.Single((await _client.LookupAsync("FileMd5", hash)).Items);
        Assert.Equal(kept.Id, found.AlertDefinitionId);
        Assert.Equal(1, (await _client.GetDefinitionAsync(kept.Id)).Definition.IocCount);
    }

    [Fact]
    public async Task Delete_with_a_stale_if_match_is_a_412_and_keeps_the_definition()
    {
        var created = await _client.CreateDefinitionAsync(iocs: [new { type = "FileMd5", value = TestData.Md5() }]);
        var (_, staleETag) = await _client.GetDefinitionAsync(created.Id);
        (await _client.PutAsJsonAsync(Routes.Definition(created.Id), new { name = created.Name, severity = "Low" })).EnsureSuccessStatusCode();
        var (_, currentETag) = await _client.GetDefinitionAsync(created.Id);

        var stale = await _client.DeleteAsync(Routes.Definition(created.Id), staleETag);

        await stale.ReadProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal(1, (await _client.GetDefinitionAsync(created.Id)).Definition.IocCount);

        var current = await _client.DeleteAsync(Routes.Definition(created.Id), currentETag);

        Assert.Equal(HttpStatusCode.NoContent, current.StatusCode);
        await (await _client.GetAsync(Routes.Definition(created.Id))).ReadProblemAsync(HttpStatusCode.NotFound);
    }
}
