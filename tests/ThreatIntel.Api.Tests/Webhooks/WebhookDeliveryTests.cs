using System.Net;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.Webhooks;

/// <summary>
/// Alerts reach a real loopback receiver, signed, once per change; failures are retried within a round and over
/// rounds, every attempt is recorded, and the target policy is applied again when connecting.
/// </summary>
public sealed class WebhookDeliveryTests(WebhookApiFactory factory) : IClassFixture<WebhookApiFactory>, IAsyncLifetime
{
    private readonly HttpClient _client = factory.CreateClient();
    private readonly List<Guid> _webhooks = [];
    private readonly List<LoopbackReceiver> _receivers = [];

    [Fact]
    public async Task A_raised_alert_reaches_the_receiver_once_signed_and_a_repeat_arrives_as_alert_updated()
    {
        var receiver = await StartReceiverAsync();
        var path = $"hooks/{TestData.Token()}";
        var webhook = await CreateWebhookAsync(new { name = TestData.Name("hook"), url = receiver.UrlFor(path) });
        var (_, raise) = await _client.DefinitionRaisingAlertsAsync();

        var alertId = await raise();

        var delivery = await _client.WaitForCompletedDeliveryAsync(webhook.Id, alertId);
        Assert.Equal("Delivered", delivery.Status);
        var request = Assert.Single(
            await receiver.WaitForAsync(path, requests => requests.Any(r => WebhookMessageDto.Of(r).AlertId == alertId), "the alert"),
            r => WebhookMessageDto.Of(r).AlertId == alertId);
        Assert.True(request.HasValidSignature(webhook.Secret!), $"The signature does not verify: {request}");
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        Assert.Equal(delivery.MessageId, request.MessageId);
        var message = WebhookMessageDto.Of(request);
        Assert.Equal("alert.raised", message.Type);
        Assert.Equal("New", message.Data.GetProperty("status").GetString());
        Assert.Equal("alert.raised", delivery.Type);
        var attempt = Assert.Single(delivery.Attempts);
        Assert.Equal(200, attempt.StatusCode);
        Assert.Null(attempt.Error);

        Assert.Equal(alertId, await raise());

        var repeat = await _client.WaitForCompletedDeliveryAsync(webhook.Id, alertId, type: "alert.updated");
        Assert.Equal("Delivered", repeat.Status);
        Assert.True(repeat.AlertChangeSequence > delivery.AlertChangeSequence);
        var requests = await receiver.WaitForAsync(
            path, all => all.Count(r => WebhookMessageDto.Of(r).AlertId == alertId) == 2, "the repeat");
        var updated = requests.Single(r => r.MessageId == repeat.MessageId);
        Assert.NotEqual(request.MessageId, updated.MessageId);
        Assert.True(updated.HasValidSignature(webhook.Secret!));
        var updatedMessage = WebhookMessageDto.Of(updated);
        Assert.Equal("alert.updated", updatedMessage.Type);
        Assert.Equal(2, updatedMessage.Data.GetProperty("occurrences").GetInt32());
        Assert.Equal(2, requests.Count(r => WebhookMessageDto.Of(r).AlertId == alertId));
    }

    [Fact]
    public async Task A_webhook_is_sent_only_the_severities_and_definitions_it_asks_for()
    {
        var receiver = await StartReceiverAsync();
        var (low, raiseLow) = await _client.DefinitionRaisingAlertsAsync(severity: "Low");
        var (high, raiseHigh) = await _client.DefinitionRaisingAlertsAsync(severity: "High");
        var (critical, raiseCritical) = await _client.DefinitionRaisingAlertsAsync(severity: "Critical");
        var severityPath = $"hooks/{TestData.Token()}";
        var severityHook = await CreateWebhookAsync(new
        {
            name = TestData.Name("hook"), url = receiver.UrlFor(severityPath), minimumSeverity = "High",
            alertDefinitionIds = new[] { low.Id, high.Id },
        });
        var definitionPath = $"hooks/{TestData.Token()}";
        var definitionHook = await CreateWebhookAsync(new
        {
            name = TestData.Name("hook"), url = receiver.UrlFor(definitionPath), alertDefinitionIds = new[] { critical.Id },
        });

        var lowAlert = await raiseLow();
        var highAlert = await raiseHigh();
        var criticalAlert = await raiseCritical();

        Assert.Equal("Delivered", (await _client.WaitForCompletedDeliveryAsync(severityHook.Id, highAlert)).Status);
        Assert.Equal("Delivered", (await _client.WaitForCompletedDeliveryAsync(definitionHook.Id, criticalAlert)).Status);
        Assert.Equal([highAlert], (await _client.GetDeliveriesAsync(severityHook.Id)).Select(d => d.AlertId));
        Assert.Equal([criticalAlert], (await _client.GetDeliveriesAsync(definitionHook.Id)).Select(d => d.AlertId));
        Assert.Equal([highAlert], receiver.Requests.Where(r => r.Path == "/" + severityPath).Select(r => WebhookMessageDto.Of(r).AlertId));
        Assert.Equal([criticalAlert], receiver.Requests.Where(r => r.Path == "/" + definitionPath).Select(r => WebhookMessageDto.Of(r).AlertId));
        Assert.DoesNotContain(receiver.Requests, r => WebhookMessageDto.Of(r).AlertId == lowAlert);
    }

    [Fact]
    public async Task A_triage_reaches_the_receiver_as_alert_triaged_and_a_disabled_webhook_is_sent_nothing()
    {
        var receiver = await StartReceiverAsync();
        var (definition, raise) = await _client.DefinitionRaisingAlertsAsync();
        var enabledPath = $"hooks/{TestData.Token()}";
        var enabled = await CreateWebhookAsync(new { name = TestData.Name("hook"), url = receiver.UrlFor(enabledPath), alertDefinitionIds = new[] { definition.Id } });
        var disabledPath = $"hooks/{TestData.Token()}";
        var disabled = await CreateWebhookAsync(new
        {
            name = TestData.Name("hook"), url = receiver.UrlFor(disabledPath), alertDefinitionIds = new[] { definition.Id }, enabled = false,
        });
        var alertId = await raise();

        await _client.TriageAsync(alertId, new { status = "Resolved", comment = "reimaged" });

        var triaged = await _client.WaitForCompletedDeliveryAsync(enabled.Id, alertId, type: "alert.triaged");
        Assert.Equal("Delivered", triaged.Status);
        var request = (await receiver.WaitForAsync(enabledPath, all => all.Any(r => r.MessageId == triaged.MessageId), "the triage"))
            .Single(r => r.MessageId == triaged.MessageId);
        var message = WebhookMessageDto.Of(request);
        Assert.Equal("alert.triaged", message.Type);
        Assert.Equal("Resolved", message.Data.GetProperty("status").GetString());
        Assert.Equal("reimaged", message.Data.GetProperty("comments")[0].GetProperty("text").GetString());
        Assert.Empty(await _client.GetDeliveriesAsync(disabled.Id));
        Assert.DoesNotContain(receiver.Requests, r => r.Path == "/" + disabledPath);
    }

    [Fact]
    public async Task A_receiver_failing_three_times_gets_the_message_exactly_once_more_under_the_same_id()
    {
        var receiver = await StartReceiverAsync((number, _) => Task.FromResult(number <= 3 ? 500 : 200));
        var path = $"hooks/{TestData.Token()}";
        var (definition, raise) = await _client.DefinitionRaisingAlertsAsync();
        var webhook = await CreateWebhookAsync(new { name = TestData.Name("hook"), url = receiver.UrlFor(path), alertDefinitionIds = new[] { definition.Id } });

        var alertId = await raise();

        var delivery = await _client.WaitForCompletedDeliveryAsync(webhook.Id, alertId);
        Assert.Equal("Delivered", delivery.Status);
        Assert.Equal(1, delivery.Rounds);
        Assert.Equal([500, 500, 500, 200], delivery.Attempts.Select(a => a.StatusCode));
        Assert.NotNull(delivery.CompletedAt);
        Assert.Null(delivery.NextAttemptAt);
        var requests = receiver.Requests;
        Assert.Equal(4, requests.Count);
        Assert.All(requests, r => Assert.Equal(delivery.MessageId, r.MessageId));
        Assert.All(requests, r => Assert.True(r.HasValidSignature(webhook.Secret!), $"Request {r.Number} is not signed correctly."));
        Assert.Single(requests.Select(r => r.Body).Distinct());
    }

    [Fact]
    public async Task A_receiver_that_always_fails_leaves_the_delivery_failed_after_the_last_round_with_every_attempt()
    {
        var receiver = await StartReceiverAsync((_, _) => Task.FromResult(503));
        var (definition, raise) = await _client.DefinitionRaisingAlertsAsync();
        var webhook = await CreateWebhookAsync(new
        {
            name = TestData.Name("hook"), url = receiver.UrlFor($"hooks/{TestData.Token()}"), alertDefinitionIds = new[] { definition.Id },
        });

        var alertId = await raise();

        var delivery = await _client.WaitForCompletedDeliveryAsync(webhook.Id, alertId);
        Assert.Equal("Failed", delivery.Status);
        Assert.Equal(2, delivery.Rounds);
        Assert.Equal(Enumerable.Repeat<int?>(503, 8), delivery.Attempts.Select(a => a.StatusCode));
        Assert.Equal(8, receiver.Requests.Count);
        Assert.NotNull(delivery.CompletedAt);

        var failed = await _client.GetPageAsync<WebhookDeliveryDto>(WebhookClient.Deliveries(webhook.Id, "Failed"));
        Assert.Equal([delivery.Id], failed.Items.Select(d => d.Id));
        Assert.Empty((await _client.GetPageAsync<WebhookDeliveryDto>(WebhookClient.Deliveries(webhook.Id, "Delivered"))).Items);
    }

    [Fact]
    public async Task A_name_that_resolves_to_a_private_address_when_connecting_is_refused_and_recorded()
    {
        var receiver = await StartReceiverAsync();
        var host = $"rebinding-{TestData.Token()}.test";
        factory.Resolver.Map(host, IPAddress.Loopback);
        var (definition, raise) = await _client.DefinitionRaisingAlertsAsync();
        var port = new Uri(receiver.BaseAddress).Port;
        var webhook = await CreateWebhookAsync(new
        {
            name = TestData.Name("hook"), url = $"http://{host}:{port}/hooks", alertDefinitionIds = new[] { definition.Id },
        });
        factory.Resolver.Map(host, IPAddress.Parse("10.0.0.5"));

        var alertId = await raise();

        var delivery = await _client.WaitForCompletedDeliveryAsync(webhook.Id, alertId);
        Assert.Equal("Failed", delivery.Status);
        Assert.Equal(2, delivery.Attempts.Length);
        Assert.All(delivery.Attempts, attempt =>
        {
            Assert.Null(attempt.StatusCode);
            Assert.Contains("10.0.0.5, a private address", attempt.Error, StringComparison.Ordinal);
        });
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task Deleting_a_webhook_deletes_its_deliveries()
    {
        var receiver = await StartReceiverAsync();
        var (definition, raise) = await _client.DefinitionRaisingAlertsAsync();
        var webhook = await CreateWebhookAsync(new
        {
            name = TestData.Name("hook"), url = receiver.UrlFor("hooks"), alertDefinitionIds = new[] { definition.Id },
        });
        var alertId = await raise();
        await _client.WaitForCompletedDeliveryAsync(webhook.Id, alertId);

        await (await _client.DeleteAsync(WebhookClient.Webhook(webhook.Id))).ShouldHaveStatusAsync(HttpStatusCode.NoContent);

        await (await _client.GetAsync(WebhookClient.Deliveries(webhook.Id))).ReadProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(1, (await _client.GetPageAsync<System.Text.Json.JsonElement>($"/api/v1/alerts?alertDefinitionId={definition.Id}")).TotalCount);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Webhooks left behind would be sent the alerts of the tests that follow.</summary>
    public async Task DisposeAsync()
    {
        foreach (var id in _webhooks)
        {
            await _client.DeleteAsync(WebhookClient.Webhook(id));
        }

        foreach (var receiver in _receivers)
        {
            await receiver.DisposeAsync();
        }
    }

    private async Task<LoopbackReceiver> StartReceiverAsync(Func<int, CancellationToken, Task<int>>? respond = null)
    {
        var receiver = await LoopbackReceiver.StartAsync(respond);
        _receivers.Add(receiver);
        return receiver;
    }

    private async Task<WebhookDto> CreateWebhookAsync(object body)
    {
        var webhook = await _client.CreateWebhookAsync(body);
        _webhooks.Add(webhook.Id);
        return webhook;
    }
}
