using System.Net;
using System.Net.Http.Json;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.Iocs;

public sealed class IocItemTests(ThreatIntelApiFactory factory) : IClassFixture<ThreatIntelApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Get_returns_the_ioc_with_its_etag_and_unknown_ids_are_404()
    {
        var definition = await _client.CreateDefinitionAsync();
        var created = await _client.AddIocAsync(definition.Id, new { type = "Url", value = "https://Evil.example/a", description = "landing page" });
        var unknown = Guid.NewGuid();

        var (ioc, etag) = await _client.GetIocAsync(created.Id);
        var missing = await _client.GetAsync(Routes.Ioc(unknown));

        Assert.Equal((definition.Id, "Url", "https://evil.example/a", "StartsWith", "landing page"),
            (ioc.AlertDefinitionId, ioc.Type, ioc.Value, ioc.Action, ioc.Description));
        Assert.False(string.IsNullOrEmpty(etag));
        Assert.Contains(unknown.ToString(), (await missing.ReadProblemAsync(HttpStatusCode.NotFound)).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_replaces_the_ioc_normalises_the_value_and_returns_a_new_etag()
    {
        var definition = await _client.CreateDefinitionAsync();
        var created = await _client.AddIocAsync(definition.Id, new { type = "FileMd5", value = TestData.Md5(), description = "old" });
        var (_, etag) = await _client.GetIocAsync(created.Id);

        var response = await _client.SendJsonAsync(HttpMethod.Put, Routes.Ioc(created.Id), new
        {
            type = "DomainName",
            value = "Updates.Evil.EXAMPLE.",
            enabled = false,
            expiresAt = "2031-06-01T12:00:00Z",
        }, etag);

        var updated = await response.ReadAsync<IocDto>(HttpStatusCode.OK);
        Assert.Equal((created.Id, definition.Id), (updated.Id, updated.AlertDefinitionId));
        Assert.Equal(("DomainName", "updates.evil.example", "EndsWith"), (updated.Type, updated.Value, updated.Action));
        Assert.Null(updated.Description);
        Assert.False(updated.Enabled);
        Assert.Equal(new DateTime(2031, 6, 1, 12, 0, 0, DateTimeKind.Utc), updated.ExpiresAt);
        Assert.Equal(created.CreatedAt, updated.CreatedAt);
        Assert.True(updated.UpdatedAt > created.UpdatedAt);
        Assert.NotEqual(etag, response.ETag());

        var (stored, storedETag) = await _client.GetIocAsync(created.Id);
        Assert.Equal("updates.evil.example", stored.Value);
        Assert.Equal(response.ETag(), storedETag);
        Assert.Empty((await _client.LookupAsync("FileMd5", created.Value)).Items);
        Assert.Equal(created.Id, Assert.Single((await _client.LookupAsync("DomainName", "updates.evil.example")).Items,
            i => i.AlertDefinitionId == definition.Id).Id);
    }

    [Fact]
    public async Task Put_onto_a_sibling_ioc_is_a_409_naming_it_and_changes_nothing()
    {
        var definition = await _client.CreateDefinitionAsync();
        var sibling = await _client.AddIocAsync(definition.Id, new { type = "FileName", value = "evil.exe" });
        var ioc = await _client.AddIocAsync(definition.Id, new { type = "FileName", value = "other.exe" });
        var (_, etag) = await _client.GetIocAsync(ioc.Id);

        var response = await _client.PutAsJsonAsync(Routes.Ioc(ioc.Id), new { type = "FileName", value = "EVIL.EXE" });

        var problem = await response.ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(sibling.Id, problem.ExistingId);
        Assert.EndsWith(Routes.Ioc(sibling.Id), problem.Existing, StringComparison.Ordinal);
        var (stored, etagAfter) = await _client.GetIocAsync(ioc.Id);
        Assert.Equal("other.exe", stored.Value);
        Assert.Equal(etag, etagAfter);
    }

    [Fact]
    public async Task Put_may_take_a_value_another_definition_holds_or_keep_its_own()
    {
        var other = await _client.CreateDefinitionAsync();
        await _client.AddIocAsync(other.Id, new { type = "FileName", value = "shared.exe" });
        var definition = await _client.CreateDefinitionAsync();
        var ioc = await _client.AddIocAsync(definition.Id, new { type = "FileName", value = "mine.exe" });

        var toShared = await _client.PutAsJsonAsync(Routes.Ioc(ioc.Id), new { type = "FileName", value = "shared.exe" });
        var unchanged = await _client.PutAsJsonAsync(Routes.Ioc(ioc.Id), new { type = "FileName", value = "SHARED.exe", description = "same value" });

        Assert.Equal("shared.exe", (await toShared.ReadAsync<IocDto>(HttpStatusCode.OK)).Value);
        Assert.Equal("same value", (await unchanged.ReadAsync<IocDto>(HttpStatusCode.OK)).Description);
    }

    [Fact]
    public async Task Put_with_a_stale_if_match_is_a_412_and_changes_nothing()
    {
        var definition = await _client.CreateDefinitionAsync();
        var ioc = await _client.AddIocAsync(definition.Id, new { type = "FileName", value = "first.exe" });
        var (_, staleETag) = await _client.GetIocAsync(ioc.Id);
        (await _client.SendJsonAsync(HttpMethod.Put, Routes.Ioc(ioc.Id), new { type = "FileName", value = "second.exe" }, staleETag))
            .EnsureSuccessStatusCode();

        var response = await _client.SendJsonAsync(HttpMethod.Put, Routes.Ioc(ioc.Id), new { type = "FileName", value = "third.exe" }, staleETag);

        await response.ReadProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal("second.exe", (await _client.GetIocAsync(ioc.Id)).Ioc.Value);
    }

    [Fact]
    public async Task Put_with_invalid_fields_is_a_400_naming_them_and_changes_nothing()
    {
        var definition = await _client.CreateDefinitionAsync();
        var ioc = await _client.AddIocAsync(definition.Id, new { type = "IpAddress", value = "192.0.2.10" });

        var response = await _client.PutAsJsonAsync(Routes.Ioc(ioc.Id), new
        {
            type = "IpAddress",
            value = "192.0.2.10/24",
            action = "InRange",
            description = new string('d', 1001),
        });

        await response.ReadValidationErrorsAsync("value", "description");
        Assert.Equal("192.0.2.10", (await _client.GetIocAsync(ioc.Id)).Ioc.Value);
    }

    [Fact]
    public async Task Put_and_delete_of_an_unknown_ioc_are_404()
    {
        var put = await _client.PutAsJsonAsync(Routes.Ioc(Guid.NewGuid()), new { type = "FileName", value = "a.exe" });
        var delete = await _client.DeleteAsync(Routes.Ioc(Guid.NewGuid()));

        await put.ReadProblemAsync(HttpStatusCode.NotFound);
        await delete.ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_removes_only_that_ioc()
    {
        var hash = TestData.Sha1();
        var definition = await _client.CreateDefinitionAsync();
        var deleted = await _client.AddIocAsync(definition.Id, new { type = "FileSha1", value = hash });
        var kept = await _client.AddIocAsync(definition.Id, new { type = "FileSha1", value = TestData.Sha1() });

        var response = await _client.DeleteAsync(Routes.Ioc(deleted.Id));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await (await _client.GetAsync(Routes.Ioc(deleted.Id))).ReadProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await _client.LookupAsync("FileSha1", hash)).Items);
        Assert.Equal(kept.Id, Assert.Single(await _client.ListIocsAsync(definition.Id)).Id);
        Assert.Equal(1, (await _client.GetDefinitionAsync(definition.Id)).Definition.IocCount);
        await (await _client.DeleteAsync(Routes.Ioc(deleted.Id))).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_honours_if_match()
    {
        var definition = await _client.CreateDefinitionAsync();
        var ioc = await _client.AddIocAsync(definition.Id, new { type = "FileName", value = "a.exe" });
        var (_, staleETag) = await _client.GetIocAsync(ioc.Id);
        (await _client.PutAsJsonAsync(Routes.Ioc(ioc.Id), new { type = "FileName", value = "b.exe" })).EnsureSuccessStatusCode();
        var (_, currentETag) = await _client.GetIocAsync(ioc.Id);

        var stale = await _client.DeleteAsync(Routes.Ioc(ioc.Id), staleETag);
        var stillThere = await _client.GetAsync(Routes.Ioc(ioc.Id));
        var current = await _client.DeleteAsync(Routes.Ioc(ioc.Id), currentETag);

        await stale.ReadProblemAsync(HttpStatusCode.PreconditionFailed);
        await stillThere.ShouldHaveStatusAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NoContent, current.StatusCode);
        await (await _client.GetAsync(Routes.Ioc(ioc.Id))).ReadProblemAsync(HttpStatusCode.NotFound);
    }
}
