using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ThreatIntel.Api.Observability;
using ThreatIntel.Api.Tests.Feeds;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.Observability;

/// <summary>
/// <c>/metrics</c> as Prometheus scrapes it: open without a key, and moving by exactly what the requests did. Each test
/// compares a scrape before with one after, so the order of the tests does not matter.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsTests(ThreatIntelApiFactory factory) : IClassFixture<ThreatIntelApiFactory>
{
    private const string Evaluate = "/api/v1/events/evaluate";

    private readonly HttpClient _client = factory.CreateClient();
    private readonly HttpClient _prometheus = factory.CreateClientWithKey(apiKey: null);

    [Fact]
    public async Task The_endpoint_answers_without_a_key_and_despite_a_bad_one_in_prometheus_text_format()
    {
        foreach (var apiKey in new[] { null, SecurityClient.UnknownKey() })
        {
            using var client = factory.CreateClientWithKey(apiKey);
            var response = await client.GetAsync(PrometheusScrape.Path);

            await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("version=0.0.4", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
            Assert.Contains("# TYPE threatintel_index_iocs gauge", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_endpoint_is_not_in_swagger()
    {
        using var document = JsonDocument.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"));

        Assert.False(document.RootElement.GetProperty("paths").TryGetProperty(PrometheusScrape.Path, out _));
    }

    [Fact]
    public async Task Evaluating_counts_the_events_their_matches_by_ioc_type_and_the_alerts_raised_and_times_the_request()
    {
        var sha1 = TestData.Sha1();
        var domain = TestData.Domain();
        await CreateDefinitionAndWaitForIndexAsync(
            new { type = "FileSha1", value = sha1 },
            new { type = "DomainName", value = domain, action = "EndsWith" });
        var device = TestData.Token();
        var before = await PrometheusScrape.ReadAsync(_prometheus);

        var response = await _client.PostAsJsonAsync(Evaluate, new
        {
            events = new object[]
            {
                new { deviceId = device, observables = new object[] { new { type = "FileSha1", value = sha1 }, new { type = "DomainName", value = $"cdn.{domain}" } } },
                new { deviceId = device, observables = new object[] { new { type = "FileName", value = "harmless.txt" } } },
            },
        });

        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var after = await PrometheusScrape.ReadAsync(_prometheus);
        Assert.Equal(2, after.Delta(before, "threatintel_events_evaluated_total"));
        Assert.Equal(2, after.Delta(before, "threatintel_matches_total"));
        Assert.Equal(1, after.Delta(before, "threatintel_matches_total", ("ioc_type", "FileSha1")));
        Assert.Equal(1, after.Delta(before, "threatintel_matches_total", ("ioc_type", "DomainName")));
        Assert.Equal(2, after.Delta(before, "threatintel_alerts_raised_total", ("kind", "raised")));
        Assert.Equal(1, after.Delta(before, "threatintel_events_evaluation_duration_seconds_count", ("dry_run", "false")));
        Assert.Equal(0, after.Delta(before, "threatintel_events_evaluation_duration_seconds_count", ("dry_run", "true")));
        Assert.True(after.Delta(before, "threatintel_events_evaluation_duration_seconds_sum") > 0);
    }

    [Fact]
    public async Task A_repeat_sighting_counts_as_aggregated_into_the_open_alert_not_as_a_new_one()
    {
        var sha256 = TestData.Sha256();
        await CreateDefinitionAndWaitForIndexAsync(new { type = "FileSha256", value = sha256 });
        var sighting = new { events = new[] { new { deviceId = TestData.Token(), observables = new[] { new { type = "FileSha256", value = sha256 } } } } };
        (await _client.PostAsJsonAsync(Evaluate, sighting)).EnsureSuccessStatusCode();
        var before = await PrometheusScrape.ReadAsync(_prometheus);

        var response = await _client.PostAsJsonAsync(Evaluate, sighting);

        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var after = await PrometheusScrape.ReadAsync(_prometheus);
        Assert.Equal(1, after.Delta(before, "threatintel_alerts_raised_total", ("kind", "aggregated")));
        Assert.Equal(0, after.Delta(before, "threatintel_alerts_raised_total", ("kind", "raised")));
    }

    [Fact]
    public async Task A_dry_run_counts_its_events_and_matches_but_raises_no_alert()
    {
        var md5 = TestData.Md5();
        await CreateDefinitionAndWaitForIndexAsync(new { type = "FileMd5", value = md5 });
        var before = await PrometheusScrape.ReadAsync(_prometheus);

        var response = await _client.PostAsJsonAsync(
            $"{Evaluate}?dryRun=true", new { events = new[] { new { observables = new[] { new { type = "FileMd5", value = md5 } } } } });

        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var after = await PrometheusScrape.ReadAsync(_prometheus);
        Assert.Equal(1, after.Delta(before, "threatintel_events_evaluated_total"));
        Assert.Equal(1, after.Delta(before, "threatintel_matches_total", ("ioc_type", "FileMd5")));
        Assert.Equal(0, after.Delta(before, "threatintel_alerts_raised_total"));
        Assert.Equal(1, after.Delta(before, "threatintel_events_evaluation_duration_seconds_count", ("dry_run", "true")));
    }

    [Fact]
    public async Task The_index_gauges_follow_the_serving_index_and_each_build_is_timed()
    {
        var before = await WaitForIndexToHoldEveryIocAsync();

        await _client.CreateDefinitionAsync(iocs:
        [
            new { type = "FileSha256", value = TestData.Sha256() },
            new { type = "IpAddress", value = TestData.IPv4() },
            new { type = "DomainName", value = TestData.Domain() },
        ]);

        var after = await WaitForIndexToHoldEveryIocAsync();
        Assert.Equal(3, after.Delta(before, "threatintel_index_iocs"));
        Assert.True(after.Delta(before, "threatintel_index_version") >= 1);
        Assert.True(after.Delta(before, "threatintel_index_build_duration_seconds_count") >= 1);
        Assert.Equal(
            after.Sum("threatintel_index_build_duration_seconds_count"),
            after.Sum("threatintel_index_build_duration_seconds_bucket", ("le", "+Inf")));
    }

    [Fact]
    public async Task Feed_pushes_are_timed_by_mode_format_and_outcome_and_their_rows_counted_by_change_dry_runs_aside()
    {
        var feed = $"metrics-{TestData.Token()}";
        var definition = TestData.Name();
        string Csv(params string[] md5s) => "definition,type,value\n" + string.Join('\n', md5s.Select(md5 => $"{definition},FileMd5,{md5}"));
        var (kept, dropped, added) = (TestData.Md5(), TestData.Md5(), TestData.Md5());
        var before = await PrometheusScrape.ReadAsync(_prometheus);

        await _client.SyncFeedAsync(feed, FeedMedia.Csv, Csv(kept, dropped));
        await _client.SyncFeedAsync(feed, FeedMedia.Csv, Csv(kept, added), "?dryRun=true");
        await _client.SyncFeedAsync(feed, FeedMedia.Csv, Csv(kept, added));
        await (await _client.PushFeedAsync(HttpMethod.Post, feed, FeedMedia.Csv, Csv(kept, "not-a-hash"))).ReadRejectedAsync();
        await (await _client.PushFeedAsync(HttpMethod.Post, feed, FeedMedia.Json, "{ not json")).ShouldHaveStatusAsync(HttpStatusCode.BadRequest);

        var after = await PrometheusScrape.ReadAsync(_prometheus);
        double Pushes(string mode, string format, string outcome) => after.Delta(
            before, "threatintel_feed_push_duration_seconds_count", ("mode", mode), ("format", format), ("outcome", outcome));
        Assert.Equal(2, Pushes("sync", "csv", "applied"));
        Assert.Equal(1, Pushes("sync", "csv", "dry_run"));
        Assert.Equal(1, Pushes("merge", "csv", "rejected"));
        Assert.Equal(1, Pushes("merge", "json", "rejected"));
        Assert.Equal(5, after.Delta(before, "threatintel_feed_push_duration_seconds_count"));
        double Rows(string change) => after.Delta(before, "threatintel_feed_push_rows_total", ("change", change));
        Assert.Equal(3, Rows("added"));
        Assert.Equal(1, Rows("removed"));
        Assert.Equal(1, Rows("unchanged"));
        Assert.Equal(0, Rows("updated"));
        Assert.Equal(1, Rows("rejected"));
    }

    [Fact]
    public async Task Webhook_deliveries_and_attempts_are_counted_by_outcome()
    {
        var metrics = factory.Services.GetRequiredService<ThreatIntelMetrics>();
        var before = await PrometheusScrape.ReadAsync(_prometheus);

        metrics.WebhookAttempt(success: false);
        metrics.WebhookDelivery(WebhookDeliveryOutcome.RetryScheduled, TimeSpan.FromSeconds(0.2));
        metrics.WebhookAttempt(success: true);
        metrics.WebhookDelivery(WebhookDeliveryOutcome.Delivered, TimeSpan.FromSeconds(0.1));

        var after = await PrometheusScrape.ReadAsync(_prometheus);
        Assert.Equal(1, after.Delta(before, "threatintel_webhook_attempts_total", ("outcome", "failure")));
        Assert.Equal(1, after.Delta(before, "threatintel_webhook_attempts_total", ("outcome", "success")));
        Assert.Equal(1, after.Delta(before, "threatintel_webhook_deliveries_total", ("outcome", "retry_scheduled")));
        Assert.Equal(1, after.Delta(before, "threatintel_webhook_deliveries_total", ("outcome", "delivered")));
        Assert.Equal(0, after.Delta(before, "threatintel_webhook_deliveries_total", ("outcome", "failed")));
        Assert.Equal(1, after.Delta(before, "threatintel_webhook_delivery_duration_seconds_count", ("outcome", "delivered")));
        Assert.Equal(0.3, after.Delta(before, "threatintel_webhook_delivery_duration_seconds_sum"), precision: 6);
    }

    [Fact]
    public async Task Requests_passing_the_rate_limiter_are_counted_by_its_meter()
    {
        var before = await PrometheusScrape.ReadAsync(_prometheus);

        await (await _client.GetAsync("/api/v1/alerts")).ShouldHaveStatusAsync(HttpStatusCode.OK);

        var after = await PrometheusScrape.ReadUntilAsync(_prometheus, scrape =>
            scrape.Delta(before, "aspnetcore_rate_limiting_requests_total", ("aspnetcore_rate_limiting_result", "acquired")) > 0);
        Assert.True(after.Delta(before, "aspnetcore_rate_limiting_requests_total", ("aspnetcore_rate_limiting_result", "acquired")) >= 1);
    }

    [Fact]
    public async Task AspNetCore_request_durations_are_exported_by_route()
    {
        var before = await PrometheusScrape.ReadAsync(_prometheus);

        await (await _client.GetAsync("/health/live")).ShouldHaveStatusAsync(HttpStatusCode.OK);

        // The hosting layer records a request after its response has been sent.
        var after = await PrometheusScrape.ReadUntilAsync(_prometheus, scrape =>
            scrape.Delta(before, "http_server_request_duration_seconds_count", ("http_route", "/health/live")) > 0);
        Assert.Equal(1, after.Delta(
            before, "http_server_request_duration_seconds_count", ("http_route", "/health/live"), ("http_response_status_code", "200")));
    }

    /// <summary>Creates a definition holding <paramref name="iocs"/> and waits until the serving index holds them too.</summary>
    private async Task CreateDefinitionAndWaitForIndexAsync(params object[] iocs)
    {
        await _client.CreateDefinitionAsync(iocs: iocs);
        await WaitForIndexToHoldEveryIocAsync();
    }

    /// <summary>
    /// A scrape once the index has caught up with the database (every IOC the tests make is enabled), so that the gauge
    /// no longer moves for a change an earlier test made.
    /// </summary>
    private async Task<PrometheusScrape> WaitForIndexToHoldEveryIocAsync()
    {
        var expected = await _client.CountIocsAsync();
        var scrape = await PrometheusScrape.ReadUntilAsync(_prometheus, scrape => scrape.Sum("threatintel_index_iocs") == expected);
        Assert.Equal(expected, scrape.Sum("threatintel_index_iocs"));
        return scrape;
    }
}
