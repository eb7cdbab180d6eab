using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ThreatIntel.Api.Tests.Support;
using ThreatIntel.Core.ApiKeys;

namespace ThreatIntel.Api.Tests.Alerts;

/// <summary>The service with a heartbeat short enough to be seen by a test, and few streams per key.</summary>
public sealed class AlertStreamApiFactory : ThreatIntelApiFactory
{
    public const int MaxStreamsPerKey = 3;

    protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings =>
    [
        new("AlertStream:HeartbeatSeconds", "1"),
        new("AlertStream:MaxStreamsPerKey", MaxStreamsPerKey.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];
}

/// <summary>
/// <c>GET /api/v1/alerts/stream</c> as a SOC tool consumes it: alerts arrive live with increasing ids, a reconnect with
/// <c>Last-Event-ID</c> gets exactly what it missed, filters hold, idle streams are kept alive.
/// </summary>
public sealed class AlertStreamTests(AlertStreamApiFactory factory) : IClassFixture<AlertStreamApiFactory>
{
    private const string Stream = "/api/v1/alerts/stream";

    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task A_new_alert_and_its_repeat_arrive_live_with_increasing_ids_and_the_alert_as_the_api_returns_it()
    {
        var (definition, raise) = await _client.DefinitionRaisingAlertsAsync(severity: "Critical");
        await using var stream = await ServerSentEventReader.OpenAsync(_client, $"{Stream}?alertDefinitionId={definition.Id}");

        var alertId = await raise();
        var raised = await stream.NextEventAsync();
        await raise();
        var updated = await stream.NextEventAsync();

        Assert.Equal("no-cache", stream.Response.Headers.CacheControl?.ToString());
        Assert.Equal("alert.raised", raised.Type);
        Assert.Equal("alert.raised", raised.Json.GetProperty("type").GetString());
        Assert.Equal(alertId, raised.AlertId);
        Assert.Equal(definition.Id, raised.Alert.GetProperty("alertDefinitionId").GetGuid());
        Assert.Equal("Critical", raised.Alert.GetProperty("severity").GetString());
        Assert.Equal(1, raised.Alert.GetProperty("occurrences").GetInt32());
        Assert.Equal("alert.updated", updated.Type);
        Assert.Equal(alertId, updated.AlertId);
        Assert.Equal(2, updated.Alert.GetProperty("occurrences").GetInt32());
        Assert.True(updated.Sequence > raised.Sequence);
        Assert.NotEmpty(stream.RetryValues);
    }

    [Fact]
    public async Task A_stream_starts_with_the_next_change_not_with_history()
    {
        var (definition, raise) = await _client.DefinitionRaisingAlertsAsync();
        await raise();
        var raiseOnAnotherDevice = await NewDeviceOfAsync(definition.Id);
        await using var stream = await ServerSentEventReader.OpenAsync(_client, $"{Stream}?alertDefinitionId={definition.Id}");

        var newAlertId = await raiseOnAnotherDevice();

        Assert.Equal(newAlertId, (await stream.NextEventAsync()).AlertId);
    }

    [Fact]
    public async Task Reconnecting_with_Last_Event_ID_replays_every_change_missed_in_order_and_none_already_seen()
    {
        var (definition, raise) = await _client.DefinitionRaisingAlertsAsync();
        var uri = $"{Stream}?alertDefinitionId={definition.Id}";
        ServerSentEvent seen;
        Guid firstAlertId;
        await using (var first = await ServerSentEventReader.OpenAsync(_client, uri))
        {
            firstAlertId = await raise();
            seen = await first.NextEventAsync();
        }

        // While the client is away: the same alert again, a new alert on another device, and a triage.
        await raise();
        var secondAlertId = await (await NewDeviceOfAsync(definition.Id))();
        await _client.TriageAsync(firstAlertId, new { status = "InProgress", comment = "looking" });

        await using var resumed = await ServerSentEventReader.OpenAsync(_client, uri, lastEventId: seen.Id);
        var missed = await resumed.NextEventsAsync(3);
        var thirdAlertId = await (await NewDeviceOfAsync(definition.Id))();
        var live = await resumed.NextEventAsync();

        Assert.Equal(
            [("alert.updated", firstAlertId), ("alert.raised", secondAlertId), ("alert.triaged", firstAlertId), ("alert.raised", thirdAlertId)],
            [.. missed.Append(live).Select(e => (e.Type, e.AlertId))]);
        var sequences = missed.Append(live).Select(e => e.Sequence).Prepend(seen.Sequence).ToList();
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(sequences.Count, sequences.Distinct().Count());
        Assert.Equal("InProgress", missed[2].Alert.GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_lastEventId_query_parameter_resumes_like_the_header_for_clients_that_cannot_set_headers()
    {
        var (definition, raise) = await _client.DefinitionRaisingAlertsAsync();
        var uri = $"{Stream}?alertDefinitionId={definition.Id}";
        ServerSentEvent seen;
        await using (var first = await ServerSentEventReader.OpenAsync(_client, uri))
        {
            await raise();
            seen = await first.NextEventAsync();
        }

        await raise();
        await using var resumed = await ServerSentEventReader.OpenAsync(_client, $"{uri}&lastEventId={seen.Id}");

        var missed = await resumed.NextEventAsync();
        Assert.Equal("alert.updated", missed.Type);
        Assert.True(missed.Sequence > seen.Sequence);
    }

    [Fact]
    public async Task Severity_filters_let_through_only_the_alerts_asked_for()
    {
        var (low, raiseLow) = await _client.DefinitionRaisingAlertsAsync(severity: "Low");
        var (high, raiseHigh) = await _client.DefinitionRaisingAlertsAsync(severity: "High");
        var (medium, raiseMedium) = await _client.DefinitionRaisingAlertsAsync(severity: "Medium");
        var ours = $"alertDefinitionId={low.Id}&alertDefinitionId={high.Id}&alertDefinitionId={medium.Id}";
        await using var atLeastHigh = await ServerSentEventReader.OpenAsync(_client, $"{Stream}?{ours}&minSeverity=High");
        await using var lowOrMedium = await ServerSentEventReader.OpenAsync(_client, $"{Stream}?{ours}&severity=Low&severity=Medium");

        var lowAlert = await raiseLow();
        var highAlert = await raiseHigh();
        var mediumAlert = await raiseMedium();

        Assert.Equal(highAlert, (await atLeastHigh.NextEventAsync()).AlertId);
        Assert.Equal([lowAlert, mediumAlert], (await lowOrMedium.NextEventsAsync(2)).Select(e => e.AlertId));
    }

    [Fact]
    public async Task The_definition_and_type_filters_let_through_only_the_alerts_asked_for()
    {
        var (other, raiseOther) = await _client.DefinitionRaisingAlertsAsync();
        var (mine, raiseMine) = await _client.DefinitionRaisingAlertsAsync();
        await using var newOnly = await ServerSentEventReader.OpenAsync(
            _client, $"{Stream}?alertDefinitionId={mine.Id}&alertDefinitionId={other.Id}&type=alert.raised");
        await using var mineOnly = await ServerSentEventReader.OpenAsync(_client, $"{Stream}?alertDefinitionId={mine.Id}");

        var otherAlert = await raiseOther();
        var myAlert = await raiseMine();
        await raiseMine();
        var mySecondAlert = await (await NewDeviceOfAsync(mine.Id))();

        Assert.Equal([otherAlert, myAlert, mySecondAlert], (await newOnly.NextEventsAsync(3)).Select(e => e.AlertId));
        Assert.Equal(
            [("alert.raised", myAlert), ("alert.updated", myAlert), ("alert.raised", mySecondAlert)],
            (await mineOnly.NextEventsAsync(3)).Select(e => (e.Type, e.AlertId)));
    }

    [Fact]
    public async Task An_idle_stream_sends_keep_alive_comments()
    {
        var (definition, _) = await _client.DefinitionRaisingAlertsAsync();
        await using var stream = await ServerSentEventReader.OpenAsync(_client, $"{Stream}?alertDefinitionId={definition.Id}");

        await Assert.ThrowsAsync<TimeoutException>(() => stream.NextEventAsync(TimeSpan.FromSeconds(2.5)));

        Assert.Contains("keep-alive", stream.Comments);
    }

    [Fact]
    public async Task An_alert_raised_through_another_instance_reaches_a_stream_on_this_one()
    {
        await using var otherInstance = new SharedDatabaseApiFactory(factory.DatabasePath);
        var otherClient = otherInstance.CreateClient();
        var (definition, raiseThroughOther) = await otherClient.DefinitionRaisingAlertsAsync();
        await using var stream = await ServerSentEventReader.OpenAsync(_client, $"{Stream}?alertDefinitionId={definition.Id}");

        var alertId = await raiseThroughOther();

        Assert.Equal(alertId, (await stream.NextEventAsync(TimeSpan.FromSeconds(15))).AlertId);
    }

    [Fact]
    public async Task A_key_holding_its_maximum_of_open_streams_gets_429_until_it_closes_one_while_other_keys_are_unaffected()
    {
        var key = await _client.CreateApiKeyAsync([ApiKeyScopes.AlertsRead]);
        var keyClient = factory.CreateClientWithKey(key.Key);
        var open = new List<ServerSentEventReader>();
        for (var i = 0; i < AlertStreamApiFactory.MaxStreamsPerKey; i++)
        {
            open.Add(await ServerSentEventReader.OpenAsync(keyClient, Stream));
        }

        var refused = await keyClient.GetAsync(Stream, HttpCompletionOption.ResponseHeadersRead);
        await using var adminStream = await ServerSentEventReader.OpenAsync(_client, Stream);
        await open[0].DisposeAsync();

        var problem = await refused.ReadProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("MaxStreamsPerKey", problem.Detail);
        await ShouldOpenOnceASlotIsFreeAsync(keyClient);
        foreach (var stream in open.Skip(1))
        {
            await stream.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("?minSeverity=Severe", null, "minSeverity")]
    [InlineData("?severity=Low&severity=Loud", null, "severity")]
    [InlineData("?type=alert.deleted", null, "type[0]")]
    [InlineData("?alertDefinitionId=not-a-guid", null, "alertDefinitionId")]
    [InlineData("?lastEventId=-1", null, "lastEventId")]
    [InlineData("", "yesterday", "lastEventId")]
    [InlineData("", "-5", "lastEventId")]
    public async Task A_bad_filter_or_last_event_id_is_a_problem_naming_it(string query, string? lastEventId, string field)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Stream + query);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await _client.SendAsync(request);

        await response.ReadValidationErrorsAsync(field);
    }

    /// <summary>A closed stream frees its slot once the service sees the client gone, which takes a moment.</summary>
    private static async Task ShouldOpenOnceASlotIsFreeAsync(HttpClient client)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var response = await client.GetAsync(Stream, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode != HttpStatusCode.TooManyRequests)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return;
            }

            Assert.True(deadline.Elapsed < AlertClient.Patience, "The closed stream's slot was never given back.");
            await Task.Delay(100);
        }
    }

    /// <summary>A function raising alerts of the definition's IOC on a device of its own, so each first call opens a new alert.</summary>
    private async Task<Func<Task<Guid>>> NewDeviceOfAsync(Guid definitionId)
    {
        var iocs = await _client.ListIocsAsync(definitionId);
        var @event = new { deviceId = TestData.Token(), observables = new[] { new { type = iocs[0].Type, value = iocs[0].Value } } };
        return async () =>
        {
            var response = await _client.PostAsJsonAsync("/api/v1/events/evaluate", new { events = new[] { @event } });
            var result = await response.ReadAsync<JsonElement>(HttpStatusCode.OK);
            return result.GetProperty("results")[0].GetProperty("matches")[0].GetProperty("alertId").GetGuid();
        };
    }
}
