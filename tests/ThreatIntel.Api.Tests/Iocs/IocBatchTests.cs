using System.Net;
using System.Net.Http.Json;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.Iocs;

public sealed class IocBatchTests(ThreatIntelApiFactory factory) : IClassFixture<ThreatIntelApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Each_item_gets_its_own_result_in_the_order_submitted()
    {
        var stored = TestData.Sha1();
        var definition = await _client.CreateDefinitionAsync();
        var existing = await _client.AddIocAsync(definition.Id, new { type = "FileSha1", value = stored });
        var newHash = TestData.Sha1();

        var response = await _client.PostAsJsonAsync(Routes.Batch(definition.Id), new
        {
            iocs = new object?[]
            {
                new { type = "FileSha1", value = newHash.ToUpperInvariant() },
                new { type = "FileSha1", value = stored.ToUpperInvariant() },
                new { type = "FileMd5", value = "not-a-hash" },
                new { type = "FileSha1", value = newHash },
                null,
                new { type = "IpAddress", value = "203.0.113.0/24" },
                new { type = "IpAddress", value = "10.0.0.1", action = "Regex" },
            },
        });

        var batch = await response.ReadAsync<BatchDto>(HttpStatusCode.OK);
        Assert.Equal((2, 2, 3), (batch.Created, batch.Duplicates, batch.Rejected));
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], batch.Results.Select(r => r.Index));
        Assert.Equal(
            ["created", "duplicate", "rejected", "duplicate", "rejected", "created", "rejected"],
            batch.Results.Select(r => r.Status));

        var firstCreated = batch.Results[0].Id;
        Assert.NotNull(firstCreated);
        Assert.Equal(existing.Id, batch.Results[1].Id);
        Assert.Equal(firstCreated, batch.Results[3].Id);
        Assert.All(batch.Results.Where(r => r.Status == "rejected"), r => Assert.Null(r.Id));
        Assert.All(batch.Results.Where(r => r.Status != "rejected"), r => Assert.Null(r.Errors));
        Assert.Equal(["value"], batch.Results[2].Errors!.Keys);
        Assert.Equal(["body"], batch.Results[4].Errors!.Keys);
        Assert.Equal(["action"], batch.Results[6].Errors!.Keys);

        var iocs = await _client.ListIocsAsync(definition.Id);
        Assert.Equal(
            new[] { existing.Id, firstCreated.Value, batch.Results[5].Id!.Value }.Order(),
            iocs.Select(i => i.Id).Order());
        Assert.Equal(newHash, iocs.Single(i => i.Id == firstCreated).Value);
        Assert.Equal(3, (await _client.GetDefinitionAsync(definition.Id)).Definition.IocCount);
    }

    [Fact]
    public async Task Sending_the_same_batch_again_creates_nothing_and_names_the_stored_iocs()
    {
        var definition = await _client.CreateDefinitionAsync();
        var body = new { iocs = Enumerable.Range(0, 5).Select(_ => new { type = "FileMd5", value = TestData.Md5() }).ToArray() };
        var first = await (await _client.PostAsJsonAsync(Routes.Batch(definition.Id), body)).ReadAsync<BatchDto>(HttpStatusCode.OK);

        var second = await (await _client.PostAsJsonAsync(Routes.Batch(definition.Id), body)).ReadAsync<BatchDto>(HttpStatusCode.OK);

        Assert.Equal((5, 0, 0), (first.Created, first.Duplicates, first.Rejected));
        Assert.Equal((0, 5, 0), (second.Created, second.Duplicates, second.Rejected));
        Assert.Equal(first.Results.Select(r => r.Id), second.Results.Select(r => r.Id));
        Assert.Equal(5, (await _client.GetDefinitionAsync(definition.Id)).Definition.IocCount);
    }

    [Fact]
    public async Task A_batch_of_only_invalid_items_stores_nothing()
    {
        var definition = await _client.CreateDefinitionAsync();

        var response = await _client.PostAsJsonAsync(Routes.Batch(definition.Id), new
        {
            iocs = new[] { new { type = "FileMd5", value = "x" }, new { type = "IpAddress", value = "10.0.0.1/8" } },
        });

        var batch = await response.ReadAsync<BatchDto>(HttpStatusCode.OK);
        Assert.Equal((0, 0, 2), (batch.Created, batch.Duplicates, batch.Rejected));
        Assert.Empty(await _client.ListIocsAsync(definition.Id));
    }

    [Fact]
    public async Task A_batch_of_10000_items_is_stored_in_full()
    {
        var definition = await _client.CreateDefinitionAsync();
        var iocs = Enumerable.Range(0, 10_000).Select(_ => new { type = "FileSha256", value = TestData.Sha256() }).ToArray();

        var response = await _client.PostAsJsonAsync(Routes.Batch(definition.Id), new { iocs });

        var batch = await response.ReadAsync<BatchDto>(HttpStatusCode.OK);
        Assert.Equal(10_000, batch.Created);
        Assert.Equal(10_000, batch.Results.Length);
        Assert.Equal(10_000, (await _client.GetDefinitionAsync(definition.Id)).Definition.IocCount);
        var last = Assert.Single((await _client.LookupAsync("FileSha256", iocs[^1].value)).Items);
        Assert.Equal(batch.Results[^1].Id, last.Id);
    }

    [Fact]
    public async Task A_batch_of_10001_items_is_a_400_and_stores_nothing()
    {
        var definition = await _client.CreateDefinitionAsync();
        var iocs = Enumerable.Range(0, 10_001).Select(_ => new { type = "FileMd5", value = TestData.Md5() }).ToArray();

        var response = await _client.PostAsJsonAsync(Routes.Batch(definition.Id), new { iocs });

        var errors = await response.ReadValidationErrorsAsync("iocs");
        Assert.Contains("10000", errors["iocs"].Single(), StringComparison.Ordinal);
        Assert.Equal(0, (await _client.GetDefinitionAsync(definition.Id)).Definition.IocCount);
    }

    [Theory]
    [InlineData("{\"iocs\":[]}")]
    [InlineData("{}")]
    [InlineData("{\"iocs\":null}")]
    public async Task An_empty_batch_is_a_400_naming_iocs(string body)
    {
        var definition = await _client.CreateDefinitionAsync();

        var response = await _client.SendRawAsync(HttpMethod.Post, Routes.Batch(definition.Id), body);

        await response.ReadValidationErrorsAsync("iocs");
    }

    [Fact]
    public async Task An_item_whose_json_does_not_bind_is_rejected_alone_naming_its_field_and_the_rest_are_stored()
    {
        var definition = await _client.CreateDefinitionAsync();

        var response = await _client.PostAsJsonAsync(Routes.Batch(definition.Id), new
        {
            iocs = new object[]
            {
                new { type = "FileMd5", value = TestData.Md5() },
                new { type = "Sha1", value = TestData.Sha1() },
                new { type = "FileSha1", value = TestData.Sha1(), expiresAt = "tomorrow" },
                new { type = "FileSha256", value = TestData.Sha256() },
            },
        });

        var batch = await response.ReadAsync<BatchDto>(HttpStatusCode.OK);
        Assert.Equal((2, 2), (batch.Created, batch.Rejected));
        Assert.Equal(["created", "rejected", "rejected", "created"], batch.Results.Select(r => r.Status));
        var unknownType = Assert.Single(batch.Results[1].Errors!);
        Assert.Equal("type", unknownType.Key);
        Assert.Contains("FileSha1", unknownType.Value.Single(), StringComparison.Ordinal);
        var badDate = Assert.Single(batch.Results[2].Errors!);
        Assert.Equal("expiresAt", badDate.Key);
        Assert.Contains("ISO-8601", badDate.Value.Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("System.", badDate.Value.Single(), StringComparison.Ordinal);
        Assert.Equal(2, (await _client.GetDefinitionAsync(definition.Id)).Definition.IocCount);
    }

    [Fact]
    public async Task A_batch_for_an_unknown_definition_is_a_404_and_stores_nothing()
    {
        var countBefore = await _client.CountIocsAsync();

        var response = await _client.PostAsJsonAsync(Routes.Batch(Guid.NewGuid()), new
        {
            iocs = new[] { new { type = "FileMd5", value = TestData.Md5() } },
        });

        await response.ReadProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(countBefore, await _client.CountIocsAsync());
    }
}
