using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ThreatIntel.Api.Tests.Support;

/// <summary>Raising and triaging alerts through the API, as sensors and analysts do.</summary>
internal static class AlertClient
{
    /// <summary>How long a test waits for something the service does in the background (index refresh, delivery, stream).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static async Task TriageAsync(this HttpClient client, Guid alertId, object change)
    {
        var response = await client.PatchAsJsonAsync($"/api/v1/alerts/{alertId}", change);
        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
    }

    /// <summary>
    /// Creates a definition with one SHA-1 IOC, waits until matching knows it, and returns a function raising (or adding
    /// to) an alert of it on <paramref name="deviceId"/>, which returns the alert's id.
    /// </summary>
    public static async Task<(DefinitionDto Definition, Func<Task<Guid>> Raise)> DefinitionRaisingAlertsAsync(
        this HttpClient client, string severity = "High", string? deviceId = null)
    {
        var sha1 = TestData.Sha1();
        var definition = await client.CreateDefinitionAsync(severity: severity, iocs: [new { type = "FileSha1", value = sha1 }]);
        var @event = new { deviceId = deviceId ?? TestData.Token(), observables = new[] { new { type = "FileSha1", value = sha1 } } };
        var deadline = Stopwatch.StartNew();
        while ((await EvaluateAsync(client, @event, dryRun: true)).GetProperty("matched").GetInt32() == 0)
        {
            Assert.True(deadline.Elapsed < Patience, "The matching index never picked up the new IOC.");
            await Task.Delay(50);
        }

        return (definition, async () =>
        {
            var result = await EvaluateAsync(client, @event, dryRun: false);
            return result.GetProperty("results")[0].GetProperty("matches")[0].GetProperty("alertId").GetGuid();
        });
    }

    private static async Task<JsonElement> EvaluateAsync(HttpClient client, object @event, bool dryRun)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/events/evaluate?dryRun={(dryRun ? "true" : "false")}", new { events = new[] { @event } });
        return await response.ReadAsync<JsonElement>(HttpStatusCode.OK);
    }
}
