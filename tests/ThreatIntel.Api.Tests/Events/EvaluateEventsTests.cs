using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.Events;

public class EvaluateEventsTests(ThreatIntelApiFactory factory) : IClassFixture<ThreatIntelApiFactory>
{
    private const string Evaluate = "/api/v1/events/evaluate";
    private const string Alerts = "/api/v1/alerts";
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Normalised_observables_match_their_iocs_and_raise_one_alert_per_match()
    {
        var sha1 = TestData.Sha1();
        var domain = TestData.Domain();
        var definition = await _client.CreateDefinitionAsync(iocs:
        [
            new { type = "FileSha1", value = sha1 },
            new { type = "DomainName", value = domain, action = "EndsWith" },
            new { type = "IpAddress", value = "10.20.0.0/16", action = "InRange" },
        ]);
        var device = TestData.Token();
        var observables = new object[]
        {
            new { type = "FileSha1", value = sha1.ToUpperInvariant() },
            new { type = "DomainName", value = $"CDN.{domain.ToUpperInvariant()}." },
            new { type = "IpAddress", value = "::ffff:10.20.30.40" },
            new { type = "FileName", value = "harmless.txt" },
        };

        var result = await EvaluateUntilMatchedAsync(new { id = "evt-1", deviceId = device, observables }, dryRun: false);

        var matches = result.GetProperty("results")[0].GetProperty("matches").EnumerateArray().ToList();
        Assert.Equal(3, matches.Count);
        Assert.All(matches, m => Assert.Equal(definition.Id, m.GetProperty("alertDefinitionId").GetGuid()));
        Assert.Contains(matches, m => m.GetProperty("observedValue").GetString() == $"cdn.{domain}");
        Assert.Contains(matches, m => m.GetProperty("observedValue").GetString() == "10.20.30.40");
        var alertIds = matches.Select(m => m.GetProperty("alertId").GetGuid()).ToHashSet();
        Assert.Equal(3, alertIds.Count);
        var alert = await GetAlertAsync(alertIds.First());
        Assert.Equal(device, alert.GetProperty("deviceId").GetString());
        Assert.Equal("New", alert.GetProperty("status").GetString());
        Assert.Equal(1, alert.GetProperty("occurrences").GetInt32());
    }

    [Fact]
    public async Task Dry_run_reports_matches_without_raising_alerts()
    {
        var sha256 = TestData.Sha256();
        var definition = await _client.CreateDefinitionAsync(iocs: [new { type = "FileSha256", value = sha256 }]);

        var result = await EvaluateUntilMatchedAsync(new { observables = new[] { new { type = "FileSha256", value = sha256 } } }, dryRun: true);

        var match = result.GetProperty("results")[0].GetProperty("matches")[0];
        Assert.Equal(JsonValueKind.Null, match.GetProperty("alertId").ValueKind);
        var alerts = await _client.GetPageAsync<JsonElement>($"{Alerts}?alertDefinitionId={definition.Id}");
        Assert.Equal(0, alerts.TotalCount);
    }

    [Fact]
    public async Task Repeats_on_a_device_aggregate_while_the_alert_is_open_and_raise_a_new_one_once_it_is_closed()
    {
        var md5 = TestData.Md5();
        await _client.CreateDefinitionAsync(iocs: [new { type = "FileMd5", value = md5 }]);
        var device = TestData.Token();
        var @event = new { deviceId = device, observables = new[] { new { type = "FileMd5", value = md5 } } };

        var first = AlertIdOf(await EvaluateUntilMatchedAsync(@event, dryRun: false));
        var second = AlertIdOf(await EvaluateAsync(new { events = new[] { @event, @event } }));
        var otherDevice = AlertIdOf(await EvaluateAsync(new { events = new[] { new { deviceId = TestData.Token(), @event.observables } } }));

        Assert.Equal(first, second);
        Assert.NotEqual(first, otherDevice);
        Assert.Equal(3, (await GetAlertAsync(first)).GetProperty("occurrences").GetInt32());

        var resolve = await _client.PatchAsJsonAsync($"{Alerts}/{first}", new { status = "Resolved" });
        await resolve.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var afterResolve = AlertIdOf(await EvaluateAsync(new { events = new[] { @event } }));
        Assert.NotEqual(first, afterResolve);
        Assert.Equal(3, (await GetAlertAsync(first)).GetProperty("occurrences").GetInt32());
    }

    [Fact]
    public async Task Concurrent_requests_never_create_a_second_open_alert()
    {
        var sha1 = TestData.Sha1();
        await _client.CreateDefinitionAsync(iocs: [new { type = "FileSha1", value = sha1 }]);
        var @event = new { deviceId = TestData.Token(), observables = new[] { new { type = "FileSha1", value = sha1 } } };
        await EvaluateUntilMatchedAsync(@event, dryRun: true);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => EvaluateAsync(new { events = new[] { @event } })));

        var ids = responses.Select(AlertIdOf).Distinct().ToList();
        var alertId = Assert.Single(ids);
        Assert.Equal(8, (await GetAlertAsync(alertId)).GetProperty("occurrences").GetInt32());
    }

    [Fact]
    public async Task Concurrent_requests_each_get_their_own_alerts_and_share_the_common_one()
    {
        var sha1 = TestData.Sha1();
        await _client.CreateDefinitionAsync(iocs: [new { type = "FileSha1", value = sha1 }]);
        var observables = new[] { new { type = "FileSha1", value = sha1 } };
        var sharedDevice = TestData.Token();
        await EvaluateUntilMatchedAsync(new { deviceId = TestData.Token(), observables }, dryRun: true);
        var ownDevices = Enumerable.Range(0, 12).Select(_ => TestData.Token()).ToList();

        var responses = await Task.WhenAll(ownDevices.Select(device => EvaluateAsync(new
        {
            events = new[] { new { deviceId = device, observables }, new { deviceId = sharedDevice, observables } },
        })));

        var sharedIds = responses.Select(r => r.GetProperty("results")[1].GetProperty("matches")[0].GetProperty("alertId").GetGuid())
            .Distinct().ToList();
        Assert.Equal(12, (await GetAlertAsync(Assert.Single(sharedIds))).GetProperty("occurrences").GetInt32());
        for (var i = 0; i < ownDevices.Count; i++)
        {
            var own = await GetAlertAsync(AlertIdOf(responses[i]));
            Assert.Equal(ownDevices[i], own.GetProperty("deviceId").GetString());
            Assert.Equal(1, own.GetProperty("occurrences").GetInt32());
        }
    }

    [Fact]
    public async Task Disabled_and_expired_iocs_never_match()
    {
        var disabled = TestData.Sha1();
        var expired = TestData.Sha1();
        var live = TestData.Sha1();
        await _client.CreateDefinitionAsync(iocs:
        [
            new { type = "FileSha1", value = disabled, enabled = false },
            new { type = "FileSha1", value = expired, expiresAt = DateTimeOffset.UtcNow.AddDays(-1) },
            new { type = "FileSha1", value = live },
        ]);
        var observables = new[] { disabled, expired, live }.Select(v => new { type = "FileSha1", value = v }).ToArray();

        var result = await EvaluateUntilMatchedAsync(new { observables }, dryRun: true);

        var match = Assert.Single(result.GetProperty("results")[0].GetProperty("matches").EnumerateArray());
        Assert.Equal(live, match.GetProperty("iocValue").GetString());
    }

    [Theory]
    [InlineData("""{ "events": [] }""", "events")]
    [InlineData("""{ "events": [ { "observables": [ { "value": "x" } ] } ] }""", "events[0].observables[0].type")]
    [InlineData("""{ "events": [ { "observables": [ { "type": "FileSha1" } ] } ] }""", "events[0].observables[0].value")]
    [InlineData("""{ "events": [ { "observables": [ { "type": "Sha1", "value": "x" } ] } ] }""", "events[0].observables[0].type")]
    public async Task Invalid_requests_get_a_problem_naming_the_field(string body, string field)
    {
        var response = await _client.PostAsync(Evaluate, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await response.ReadValidationErrorsAsync(field);
    }

    [Fact]
    public async Task An_over_long_observed_value_is_refused_and_raises_nothing()
    {
        var before = await _client.GetPageAsync<JsonElement>($"{Alerts}?pageSize=1");
        var response = await _client.PostAsJsonAsync(Evaluate, new
        {
            events = new[] { new { observables = new[] { new { type = "CommandLine", value = new string('a', 4097) } } } },
        });

        await response.ReadValidationErrorsAsync("events[0].observables[0].value");
        Assert.Equal(before.TotalCount, (await _client.GetPageAsync<JsonElement>($"{Alerts}?pageSize=1")).TotalCount);
    }

    [Fact]
    public async Task More_than_ten_thousand_events_are_refused()
    {
        var events = Enumerable.Range(0, 10_001).Select(_ => new { observables = Array.Empty<object>() });

        var response = await _client.PostAsJsonAsync(Evaluate, new { events });

        await response.ReadValidationErrorsAsync("events");
    }

    [Fact]
    public async Task Triage_sets_status_and_assignee_appends_comments_and_honours_if_match()
    {
        var md5 = TestData.Md5();
        await _client.CreateDefinitionAsync(iocs: [new { type = "FileMd5", value = md5 }]);
        var alertId = AlertIdOf(await EvaluateUntilMatchedAsync(
            new { deviceId = TestData.Token(), observables = new[] { new { type = "FileMd5", value = md5 } } }, dryRun: false));
        var read = await _client.GetAsync($"{Alerts}/{alertId}");
        var etag = read.ETag();

        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"{Alerts}/{alertId}")
        {
            Content = JsonContent.Create(new { status = "InProgress", assignedTo = "alice", comment = "Isolating the host." }),
        };
        patch.Headers.TryAddWithoutValidation("If-Match", etag);
        var triaged = await (await _client.SendAsync(patch)).ReadAsync<JsonElement>(HttpStatusCode.OK);

        Assert.Equal("InProgress", triaged.GetProperty("status").GetString());
        Assert.Equal("alice", triaged.GetProperty("assignedTo").GetString());
        var comment = Assert.Single(triaged.GetProperty("comments").EnumerateArray());
        Assert.Equal(ThreatIntelApiFactory.AdminKeyName, comment.GetProperty("author").GetString());
        Assert.Equal("Isolating the host.", comment.GetProperty("text").GetString());
        var audit = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/audit?entityType=Alert&entityId={alertId}");
        var entry = Assert.Single(audit.GetProperty("items").EnumerateArray());
        Assert.Equal(ThreatIntelApiFactory.AdminKeyName, entry.GetProperty("actor").GetString());
        var changes = entry.GetProperty("changes");
        Assert.Equal(("New", "InProgress"), (changes.GetProperty("status").GetProperty("before").GetString(), changes.GetProperty("status").GetProperty("after").GetString()));
        Assert.Equal("alice", changes.GetProperty("assignedTo").GetProperty("after").GetString());
        Assert.Equal("Isolating the host.", changes.GetProperty("comment").GetProperty("after").GetString());

        using var stale = new HttpRequestMessage(HttpMethod.Patch, $"{Alerts}/{alertId}")
        {
            Content = JsonContent.Create(new { comment = "late" }),
        };
        stale.Headers.TryAddWithoutValidation("If-Match", etag);
        await (await _client.SendAsync(stale)).ReadProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await _client.PatchAsJsonAsync($"{Alerts}/{Guid.NewGuid()}", new { comment = "x" })).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await _client.PatchAsJsonAsync($"{Alerts}/{alertId}", new { })).ReadValidationErrorsAsync("body");
    }

    [Fact]
    public async Task Assigned_to_null_unassigns_as_in_a_merge_patch_and_leaving_it_out_keeps_the_assignee()
    {
        var (_, raise) = await _client.DefinitionRaisingAlertsAsync();
        var alertId = await raise();
        await _client.TriageAsync(alertId, new { assignedTo = "dave" });

        await _client.TriageAsync(alertId, new { status = "InProgress" });
        Assert.Equal("dave", (await GetAlertAsync(alertId)).GetProperty("assignedTo").GetString());

        var unassign = await _client.SendRawAsync(HttpMethod.Patch, $"{Alerts}/{alertId}", "{\"assignedTo\": null}", "application/merge-patch+json");
        await unassign.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var alert = await GetAlertAsync(alertId);
        Assert.Equal(JsonValueKind.Null, alert.GetProperty("assignedTo").ValueKind);
        Assert.Equal("InProgress", alert.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Triage_without_if_match_succeeds_while_the_alert_keeps_getting_matches()
    {
        var (_, raise) = await _client.DefinitionRaisingAlertsAsync();
        var alertId = await raise();

        using var stop = new CancellationTokenSource();
        var sensors = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await raise();
            }
        })).ToList();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                var response = await _client.PatchAsJsonAsync($"{Alerts}/{alertId}", new { comment = $"note {i}" });
                await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(sensors);
        }

        var alert = await GetAlertAsync(alertId);
        Assert.Equal(20, alert.GetProperty("comments").GetArrayLength());
    }

    [Fact]
    public async Task Repeated_status_and_severity_filters_of_the_alert_list_match_any_of_them()
    {
        var device = TestData.Token();
        async Task<Guid> RaiseAsync(string severity) => await (await _client.DefinitionRaisingAlertsAsync(severity, device)).Raise();

        var fresh = await RaiseAsync("High");
        var worked = await RaiseAsync("Critical");
        var closed = await RaiseAsync("Low");
        await _client.TriageAsync(worked, new { status = "InProgress" });
        await _client.TriageAsync(closed, new { status = "Resolved" });

        async Task<Guid[]> ListAsync(string filters) =>
            [.. (await _client.GetPageAsync<JsonElement>($"{Alerts}?deviceId={device}&{filters}")).Items.Select(a => a.GetProperty("id").GetGuid()).Order()];

        Assert.Equal(new[] { fresh, worked }.Order(), await ListAsync("status=New&status=InProgress"));
        Assert.Equal(new[] { fresh, closed }.Order(), await ListAsync("severity=High&severity=Low"));
        Assert.Equal([worked], await ListAsync("status=New&status=InProgress&severity=Critical&severity=Low"));
        await (await _client.GetAsync($"{Alerts}?status=New&status=Closed")).ReadValidationErrorsAsync("status");
    }

    private static Guid AlertIdOf(JsonElement result) =>
        result.GetProperty("results")[0].GetProperty("matches")[0].GetProperty("alertId").GetGuid();

    private async Task<JsonElement> GetAlertAsync(Guid id) =>
        await (await _client.GetAsync($"{Alerts}/{id}")).ReadAsync<JsonElement>(HttpStatusCode.OK);

    private async Task<JsonElement> EvaluateAsync(object body, bool dryRun = false) =>
        await (await _client.PostAsJsonAsync($"{Evaluate}?dryRun={dryRun}", body)).ReadAsync<JsonElement>(HttpStatusCode.OK);

    /// <summary>The index is rebuilt just after a change commits; this waits (briefly) for it to hold the new IOCs.</summary>
    private async Task<JsonElement> EvaluateUntilMatchedAsync(object @event, bool dryRun)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var probe = await EvaluateAsync(new { events = new[] { @event } }, dryRun: true);
            if (probe.GetProperty("matched").GetInt32() > 0 || deadline.Elapsed > TimeSpan.FromSeconds(5))
            {
                return dryRun ? probe : await EvaluateAsync(new { events = new[] { @event } }, dryRun: false);
            }

            await Task.Delay(25);
        }
    }
}
