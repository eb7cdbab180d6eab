using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ThreatIntel.Api.Tests.Support;
using ThreatIntel.Core.ApiKeys;

namespace ThreatIntel.Api.Tests.Security;

/// <summary>Every change leaves exactly one audit entry naming the key that made it; a refused request leaves none.</summary>
public sealed class AuditTests(ThreatIntelApiFactory factory) : IClassFixture<ThreatIntelApiFactory>
{
    private readonly HttpClient _admin = factory.CreateClient();

    [Fact]
    public async Task Creating_a_definition_with_two_iocs_records_three_creations_by_the_key()
    {
        var (writer, name) = await WriterAsync();

        var definition = await writer.CreateDefinitionAsync(iocs:
        [
            new { type = "FileSha1", value = TestData.Sha1().ToUpperInvariant() },
            new { type = "DomainName", value = "Evil.Example.COM." },
        ]);

        var entries = (await _admin.GetAuditAsync($"actor={Uri.EscapeDataString(name)}")).Items;
        var iocs = await _admin.ListIocsAsync(definition.Id);
        Assert.Equal(3, entries.Length);
        Assert.All(entries, entry => Assert.Equal(("Created", name), (entry.Action, entry.Actor)));
        var created = Assert.Single(entries, entry => entry.EntityType == "AlertDefinition");
        Assert.Equal(definition.Id, created.EntityId);
        Assert.Equal(definition.Name, created.Changes["name"].After.GetString());
        Assert.Equal(JsonValueKind.Null, created.Changes["name"].Before.ValueKind);
        Assert.Equal(name, created.Changes["createdBy"].After.GetString());
        Assert.Equal(
            iocs.Select(ioc => (ioc.Id, ioc.Value)).Order(),
            entries.Where(entry => entry.EntityType == "Ioc").Select(entry => (entry.EntityId, entry.Changes["value"].After.GetString()!)).Order());
    }

    [Fact]
    public async Task An_update_records_before_and_after_of_the_changed_fields_only()
    {
        var definition = await _admin.CreateDefinitionAsync(severity: "High");
        var (writer, name) = await WriterAsync();

        var response = await writer.PutAsJsonAsync(Routes.Definition(definition.Id), new
        {
            name = definition.Name,
            severity = "Low",
            description = "Seen in the March campaign",
        });

        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var update = Assert.Single(await EntriesForAsync(definition.Id), entry => entry.Action == "Updated");
        Assert.Equal(name, update.Actor);
        Assert.Equal(["description", "severity", "updatedAt", "updatedBy"], update.Changes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("High", "Low"), (update.Changes["severity"].Before.GetString(), update.Changes["severity"].After.GetString()));
        Assert.Equal(JsonValueKind.Null, update.Changes["description"].Before.ValueKind);
        Assert.Equal("Seen in the March campaign", update.Changes["description"].After.GetString());
        Assert.Equal((ThreatIntelApiFactory.AdminKeyName, name),
            (update.Changes["updatedBy"].Before.GetString(), update.Changes["updatedBy"].After.GetString()));
    }

    [Fact]
    public async Task An_update_that_changes_nothing_records_nothing()
    {
        var definition = await _admin.CreateDefinitionAsync(severity: "High");

        var response = await _admin.PutAsJsonAsync(Routes.Definition(definition.Id), new { name = definition.Name, severity = "High" });

        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        Assert.Equal(["Created"], (await EntriesForAsync(definition.Id)).Select(entry => entry.Action));
    }

    [Fact]
    public async Task Deleting_a_definition_records_its_deletion_and_that_of_each_of_its_iocs()
    {
        var definition = await _admin.CreateDefinitionAsync(iocs:
        [
            new { type = "FileMd5", value = TestData.Md5() },
            new { type = "FileName", value = "dropper.exe" },
        ]);
        var iocs = await _admin.ListIocsAsync(definition.Id);
        var (writer, name) = await WriterAsync();

        await (await writer.DeleteAsync(Routes.Definition(definition.Id))).ShouldHaveStatusAsync(HttpStatusCode.NoContent);

        var deleted = Assert.Single(await EntriesForAsync(definition.Id), entry => entry.Action == "Deleted");
        Assert.Equal(name, deleted.Actor);
        Assert.Equal(definition.Name, deleted.Changes["name"].Before.GetString());
        Assert.Equal(JsonValueKind.Null, deleted.Changes["name"].After.ValueKind);
        foreach (var ioc in iocs)
        {
            var iocDeleted = Assert.Single(await EntriesForAsync(ioc.Id), entry => entry.Action == "Deleted");
            Assert.Equal(("Ioc", name, ioc.Value), (iocDeleted.EntityType, iocDeleted.Actor, iocDeleted.Changes["value"].Before.GetString()));
        }
    }

    [Fact]
    public async Task Adding_updating_and_deleting_an_ioc_records_one_entry_each()
    {
        var definition = await _admin.CreateDefinitionAsync();
        var (writer, name) = await WriterAsync();

        var ioc = await writer.AddIocAsync(definition.Id, new { type = "FileName", value = "evil.exe" });
        var update = await writer.PutAsJsonAsync(Routes.Ioc(ioc.Id), new { type = "FileName", value = "eviler.exe" });
        await update.ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await writer.DeleteAsync(Routes.Ioc(ioc.Id))).ShouldHaveStatusAsync(HttpStatusCode.NoContent);

        var entries = await EntriesForAsync(ioc.Id);
        Assert.Equal(["Deleted", "Updated", "Created"], entries.Select(entry => entry.Action));
        Assert.All(entries, entry => Assert.Equal(("Ioc", name), (entry.EntityType, entry.Actor)));
        Assert.Equal(("evil.exe", "eviler.exe"), (entries[1].Changes["value"].Before.GetString(), entries[1].Changes["value"].After.GetString()));
        Assert.DoesNotContain("type", entries[1].Changes.Keys);
        Assert.Equal("eviler.exe", entries[0].Changes["value"].Before.GetString());
        Assert.Single(await EntriesForAsync(definition.Id));
    }

    [Fact]
    public async Task A_batch_records_one_entry_per_created_ioc_and_none_for_duplicates_or_rejected_items()
    {
        var definition = await _admin.CreateDefinitionAsync(iocs: [new { type = "FileName", value = "known.exe" }]);
        var (writer, name) = await WriterAsync();

        var response = await writer.PostAsJsonAsync(Routes.Batch(definition.Id), new
        {
            iocs = new object[]
            {
                new { type = "FileName", value = "new-1.exe" },
                new { type = "FileName", value = "known.exe" },
                new { type = "FileMd5", value = "not-a-hash" },
                new { type = "FileName", value = "new-2.exe" },
            },
        });

        var batch = await response.ReadAsync<BatchDto>(HttpStatusCode.OK);
        Assert.Equal((2, 1, 1), (batch.Created, batch.Duplicates, batch.Rejected));
        var entries = (await _admin.GetAuditAsync($"actor={Uri.EscapeDataString(name)}")).Items;
        Assert.Equal(
            batch.Results.Where(result => result.Status == "created").Select(result => result.Id!.Value).Order(),
            entries.Select(entry => entry.EntityId).Order());
        Assert.All(entries, entry => Assert.Equal(("Created", "Ioc"), (entry.Action, entry.EntityType)));
    }

    [Fact]
    public async Task Refused_requests_record_nothing()
    {
        var definition = await _admin.CreateDefinitionAsync(iocs: [new { type = "FileName", value = "known.exe" }]);
        var ioc = Assert.Single(await _admin.ListIocsAsync(definition.Id));
        var staleETag = (await _admin.GetDefinitionAsync(definition.Id)).ETag;
        await (await _admin.PutAsJsonAsync(Routes.Definition(definition.Id), new { name = definition.Name, severity = "Low" }))
            .ShouldHaveStatusAsync(HttpStatusCode.OK);
        using var reader = factory.CreateClientWithKey((await _admin.CreateApiKeyAsync([ApiKeyScopes.DefinitionsRead])).Key);
        var countBefore = await CountEntriesAsync();

        await (await _admin.PostAsJsonAsync(Routes.Definitions, new { name = "", severity = "High" })).ReadProblemAsync(HttpStatusCode.BadRequest);
        await (await reader.PostAsJsonAsync(Routes.Definitions, new { name = TestData.Name() })).ReadProblemAsync(HttpStatusCode.Forbidden);
        await (await _admin.PostAsJsonAsync(Routes.Definitions, new { name = definition.Name })).ReadProblemAsync(HttpStatusCode.Conflict);
        await (await _admin.PostAsJsonAsync(Routes.DefinitionIocs(definition.Id), new { type = "FileName", value = "known.exe" }))
            .ReadProblemAsync(HttpStatusCode.Conflict);
        await (await _admin.SendJsonAsync(HttpMethod.Put, Routes.Definition(definition.Id), new { name = definition.Name }, staleETag))
            .ReadProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await _admin.DeleteAsync(Routes.Definition(definition.Id), staleETag)).ReadProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await _admin.PutAsJsonAsync(Routes.Ioc(ioc.Id), new { type = "FileMd5", value = "not-a-hash" })).ReadProblemAsync(HttpStatusCode.BadRequest);
        await (await _admin.PostAsJsonAsync(Routes.ApiKeys, new { name = TestData.Name("key"), scopes = new[] { "root" } }))
            .ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(countBefore, await CountEntriesAsync());
    }

    [Fact]
    public async Task Of_concurrent_creations_under_one_name_only_the_stored_one_is_recorded()
    {
        var (writer, name) = await WriterAsync();
        var definitionName = TestData.Name();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            writer.PostAsJsonAsync(Routes.Definitions, new { name = definitionName, severity = "High" })));

        var statuses = responses.Select(response => response.StatusCode).ToList();
        Assert.Single(statuses, status => status == HttpStatusCode.Created);
        Assert.All(statuses, status => Assert.Contains(status, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var created = await responses.Single(response => response.StatusCode == HttpStatusCode.Created).ReadAsync<DefinitionDto>(HttpStatusCode.Created);
        var entry = Assert.Single((await _admin.GetAuditAsync($"actor={Uri.EscapeDataString(name)}")).Items);
        Assert.Equal(created.Id, entry.EntityId);
    }

    [Fact]
    public async Task Creating_and_revoking_a_key_is_recorded_without_its_secret()
    {
        var key = await _admin.CreateApiKeyAsync([ApiKeyScopes.DefinitionsRead]);

        await _admin.RevokeApiKeyAsync(key.Id);
        await _admin.RevokeApiKeyAsync(key.Id);

        var entries = await EntriesForAsync(key.Id);
        Assert.Equal(["Updated", "Created"], entries.Select(entry => entry.Action));
        Assert.All(entries, entry => Assert.Equal(("ApiKey", ThreatIntelApiFactory.AdminKeyName), (entry.EntityType, entry.Actor)));
        Assert.Equal(key.Prefix, entries[1].Changes["prefix"].After.GetString());
        Assert.DoesNotContain(entries[1].Changes.Keys, field => field.Contains("hash", StringComparison.OrdinalIgnoreCase) || field == "key");
        Assert.Equal(["revokedAt", "revokedBy"], entries[0].Changes.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Filters_narrow_the_log_by_type_object_actor_and_time()
    {
        var (first, firstName) = await WriterAsync();
        var (second, secondName) = await WriterAsync();
        var definition = await first.CreateDefinitionAsync();
        var ioc = await first.AddIocAsync(definition.Id, new { type = "FileName", value = "a.exe" });
        var other = await second.CreateDefinitionAsync();
        var firstActor = $"actor={Uri.EscapeDataString(firstName)}";

        var byFirst = await _admin.GetAuditAsync(firstActor);
        var iocsByFirst = await _admin.GetAuditAsync($"{firstActor}&entityType=Ioc");
        var byObject = await _admin.GetAuditAsync($"entityId={other.Id}");
        var bySecond = await _admin.GetAuditAsync($"actor={Uri.EscapeDataString(secondName)}");
        var since = await _admin.GetAuditAsync($"{firstActor}&since={Uri.EscapeDataString(byFirst.Items[0].Timestamp.ToString("O"))}");
        var firstPage = await _admin.GetPageAsync<AuditEntryDto>($"{Routes.Audit}?{firstActor}&pageSize=1");

        Assert.Equal([ioc.Id, definition.Id], byFirst.Items.Select(entry => entry.EntityId));
        Assert.Equal(ioc.Id, Assert.Single(iocsByFirst.Items).EntityId);
        Assert.Equal((other.Id, secondName), (Assert.Single(byObject.Items).EntityId, byObject.Items[0].Actor));
        Assert.Equal(other.Id, Assert.Single(bySecond.Items).EntityId);
        Assert.Equal(ioc.Id, Assert.Single(since.Items).EntityId);
        Assert.Equal((2, ioc.Id), (firstPage.TotalCount, Assert.Single(firstPage.Items).EntityId));
    }

    /// <summary>A client with a new key that may read and write definitions, and the key's name.</summary>
    private async Task<(HttpClient Client, string Name)> WriterAsync()
    {
        var key = await _admin.CreateApiKeyAsync([ApiKeyScopes.DefinitionsRead, ApiKeyScopes.DefinitionsWrite], TestData.Name("writer"));
        return (factory.CreateClientWithKey(key.Key), key.Name);
    }

    private async Task<AuditEntryDto[]> EntriesForAsync(Guid entityId) => (await _admin.GetAuditAsync($"entityId={entityId}")).Items;

    private async Task<int> CountEntriesAsync() => (await _admin.GetPageAsync<AuditEntryDto>($"{Routes.Audit}?pageSize=1")).TotalCount;
}
