using System.Net;
using System.Net.Http.Json;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests;

/// <summary>Server-owned fields sent in a body never reach the stored object.</summary>
public sealed class MassAssignmentTests(ThreatIntelApiFactory factory) : IClassFixture<ThreatIntelApiFactory>
{
    private static readonly Guid ForgedId = Guid.Parse("11111111-1111-1111-1111-111111111111");
    private static readonly DateTime ForgedTime = new(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Create_ignores_server_owned_definition_fields()
    {
        var before = DateTime.UtcNow.AddSeconds(-1);

        var created = await _client.CreateDefinitionAsync(new
        {
            id = ForgedId,
            name = TestData.Name(),
            severity = "High",
            createdAt = ForgedTime,
            updatedAt = ForgedTime,
            createdBy = "mallory",
            updatedBy = "mallory",
            source = "trusted-feed",
            iocCount = 42,
        });

        Assert.NotEqual(ForgedId, created.Id);
        Assert.True(created.CreatedAt >= before);
        Assert.True(created.UpdatedAt >= before);
        Assert.Equal(ThreatIntelApiFactory.AdminKeyName, created.CreatedBy);
        Assert.Equal(ThreatIntelApiFactory.AdminKeyName, created.UpdatedBy);
        Assert.Null(created.Source);
        Assert.Equal(0, created.IocCount);
        await (await _client.GetAsync(Routes.Definition(ForgedId))).ReadProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await _client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?source=trusted-feed")).Items);
    }

    [Fact]
    public async Task Put_ignores_server_owned_definition_fields()
    {
        var other = await _client.CreateDefinitionAsync();
        var created = await _client.CreateDefinitionAsync(iocs: [new { type = "FileMd5", value = TestData.Md5() }]);

        var response = await _client.PutAsJsonAsync(Routes.Definition(created.Id), new
        {
            id = other.Id,
            name = created.Name,
            severity = "Low",
            createdAt = ForgedTime,
            createdBy = "mallory",
            source = "trusted-feed",
            iocCount = 42,
            iocs = new[] { new { type = "FileMd5", value = TestData.Md5() } },
        });

        var updated = await response.ReadAsync<DefinitionDto>(HttpStatusCode.OK);
        Assert.Equal(created.Id, updated.Id);
        Assert.Equal(created.CreatedAt, updated.CreatedAt);
        Assert.Equal(ThreatIntelApiFactory.AdminKeyName, updated.CreatedBy);
        Assert.Null(updated.Source);
        Assert.Equal(1, updated.IocCount);
        Assert.Equal(other.Name, (await _client.GetDefinitionAsync(other.Id)).Definition.Name);
    }

    [Fact]
    public async Task Adding_an_ioc_ignores_its_server_owned_fields_and_the_definition_in_the_body()
    {
        var victim = await _client.CreateDefinitionAsync();
        var definition = await _client.CreateDefinitionAsync();

        var created = await _client.AddIocAsync(definition.Id, new
        {
            id = ForgedId,
            alertDefinitionId = victim.Id,
            type = "FileName",
            value = "evil.exe",
            source = "trusted-feed",
            createdAt = ForgedTime,
            updatedAt = ForgedTime,
        });

        Assert.NotEqual(ForgedId, created.Id);
        Assert.Equal(definition.Id, created.AlertDefinitionId);
        Assert.Null(created.Source);
        Assert.True(created.CreatedAt > ForgedTime.AddYears(20));
        Assert.Equal(0, (await _client.GetDefinitionAsync(victim.Id)).Definition.IocCount);
    }

    [Fact]
    public async Task Replacing_an_ioc_cannot_move_it_to_another_definition()
    {
        var victim = await _client.CreateDefinitionAsync();
        var definition = await _client.CreateDefinitionAsync();
        var ioc = await _client.AddIocAsync(definition.Id, new { type = "FileName", value = "evil.exe" });

        var response = await _client.PutAsJsonAsync(Routes.Ioc(ioc.Id), new
        {
            id = ForgedId,
            alertDefinitionId = victim.Id,
            type = "FileName",
            value = "evil.exe",
            source = "trusted-feed",
            createdAt = ForgedTime,
        });

        var updated = await response.ReadAsync<IocDto>(HttpStatusCode.OK);
        Assert.Equal((ioc.Id, definition.Id, ioc.CreatedAt), (updated.Id, updated.AlertDefinitionId, updated.CreatedAt));
        Assert.Null(updated.Source);
        Assert.Equal(0, (await _client.GetDefinitionAsync(victim.Id)).Definition.IocCount);
    }

    [Fact]
    public async Task Batch_items_cannot_choose_their_id_or_source()
    {
        var definition = await _client.CreateDefinitionAsync();

        var response = await _client.PostAsJsonAsync(Routes.Batch(definition.Id), new
        {
            iocs = new[] { new { id = ForgedId, type = "FileName", value = "evil.exe", source = "trusted-feed" } },
        });

        var result = Assert.Single((await response.ReadAsync<BatchDto>(HttpStatusCode.OK)).Results);
        Assert.NotEqual(ForgedId, result.Id);
        var stored = Assert.Single(await _client.ListIocsAsync(definition.Id));
        Assert.Equal(result.Id, stored.Id);
        Assert.Null(stored.Source);
    }
}
