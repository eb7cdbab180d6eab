using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.Matching;

/// <summary>
/// The matching index follows the stored content: enabled IOCs of enabled definitions, rebuilt after every change,
/// also when the change was made through another instance sharing the database.
/// </summary>
public class MatchingStatusTests
{
    private const string MatchingStatus = "/api/v1/matching/status";
    private static readonly TimeSpan PropagationBound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Status_counts_the_enabled_iocs_of_enabled_definitions_by_type_and_action()
    {
        await using var factory = new ThreatIntelApiFactory();
        using var client = factory.CreateClient();
        await client.CreateDefinitionAsync(new
        {
            name = TestData.Name(),
            severity = "High",
            iocs = new object[]
            {
                new { type = "FileSha1", value = "92cfceb39d57d914ed8b14d0e37643de0797ae56", action = "Equals" },
                new { type = "IpAddress", value = "203.0.113.0/24", action = "InRange" },
                new { type = "IpAddress", value = "198.51.100.0/24", action = "InRange" },
                new { type = "DomainName", value = "disabled.example", action = "EndsWith", enabled = false },
            },
        });
        await client.CreateDefinitionAsync(new
        {
            name = TestData.Name(),
            severity = "Low",
            enabled = false,
            iocs = new object[] { new { type = "FileMd5", value = "d41d8cd98f00b204e9800998ecf8427e" } },
        });

        var status = await WaitForStatusAsync(client, s => s.GetProperty("iocCount").GetInt32() == 3);

        var counts = status.GetProperty("counts");
        Assert.Equal(1, counts.GetProperty("FileSha1").GetProperty("Equals").GetInt32());
        Assert.Equal(2, counts.GetProperty("IpAddress").GetProperty("InRange").GetInt32());
        Assert.False(counts.TryGetProperty("DomainName", out _));
        Assert.False(counts.TryGetProperty("FileMd5", out _));
        Assert.True(status.GetProperty("version").GetInt64() >= 1);
        Assert.True(status.GetProperty("buildDurationMs").GetDouble() >= 0);
    }

    [Fact]
    public async Task A_change_made_through_one_instance_reaches_the_index_of_another_within_the_refresh_bound()
    {
        await using var first = new ThreatIntelApiFactory();
        using var firstClient = first.CreateClient();
        await using var second = new SharedDatabaseApiFactory(first.DatabasePath);
        using var secondClient = second.CreateClient();
        var before = await WaitForStatusAsync(secondClient, s => s.GetProperty("iocCount").GetInt32() == 0);

        var watch = Stopwatch.StartNew();
        var definition = await firstClient.CreateDefinitionAsync(new
        {
            name = TestData.Name(),
            severity = "High",
            iocs = new object[] { new { type = "DomainName", value = "c2.example", action = "EndsWith" } },
        });
        var afterCreate = await WaitForStatusAsync(secondClient, s => s.GetProperty("iocCount").GetInt32() == 1);
        Assert.True(watch.Elapsed < PropagationBound, $"The second instance saw the new IOC only after {watch.Elapsed}.");
        Assert.True(afterCreate.GetProperty("version").GetInt64() > before.GetProperty("version").GetInt64());

        // Disabling the definition through the second instance empties the first instance's index.
        var disable = await secondClient.PutAsJsonAsync(
            $"/api/v1/alert-definitions/{definition.Id}", new { name = definition.Name, severity = "High", enabled = false });
        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        await WaitForStatusAsync(firstClient, s => s.GetProperty("iocCount").GetInt32() == 0);
    }

    [Fact]
    public async Task Readiness_includes_the_built_matching_index()
    {
        await using var factory = new ThreatIntelApiFactory();
        using var client = factory.CreateClient();
        await WaitForStatusAsync(client, _ => true);

        using var health = JsonDocument.Parse(await client.GetStringAsync("/health/ready"));

        var check = Assert.Single(health.RootElement.GetProperty("checks").EnumerateArray(),
            c => c.GetProperty("name").GetString() == "matching-index");
        Assert.Equal("Healthy", check.GetProperty("status").GetString());
    }

    private static async Task<JsonElement> WaitForStatusAsync(HttpClient client, Func<JsonElement, bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        JsonElement last = default;
        while (deadline.Elapsed < PropagationBound)
        {
            var response = await client.GetAsync(MatchingStatus);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                last = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
                if (condition(last))
                {
                    return last;
                }
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException($"The matching status did not reach the expected state within {PropagationBound}; last: {last}");
    }
}
