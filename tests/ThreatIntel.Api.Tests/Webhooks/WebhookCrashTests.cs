using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using ThreatIntel.Api.Tests.Support;
using Xunit.Abstractions;

namespace ThreatIntel.Api.Tests.Webhooks;

/// <summary>Runs on its own: it starts, kills and restarts the real service as a child process.</summary>
[CollectionDefinition(nameof(WebhookCrashTests), DisableParallelization = true)]
public sealed class WebhookCrashTestsDefinition;

/// <summary>
/// The outbox survives a crash: the service (<c>dotnet ThreatIntel.Api.dll</c>) is killed after an alert committed
/// and while its webhook request is in flight, and the alert is delivered after the restart under the same id.
/// </summary>
[Collection(nameof(WebhookCrashTests))]
public sealed class WebhookCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string AdminKey = "ti_webhook-crash-admin-key-0123456789";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _databasePath = Path.Combine(Path.GetTempPath(), $"threatintel-webhook-crash-{Guid.NewGuid():N}.db");
    private readonly List<ServiceProcess> _processes = [];
    private readonly TaskCompletionSource _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LoopbackReceiver _receiver = null!;

    public async Task InitializeAsync() =>
        // The first request is held open until the test lets the receiver answer; later ones are answered at once.
        _receiver = await LoopbackReceiver.StartAsync(async (number, aborted) =>
        {
            if (number == 1)
            {
                await _answer.Task.WaitAsync(aborted);
            }

            return 200;
        });

    [Fact]
    public async Task An_alert_whose_delivery_was_in_flight_when_the_process_died_is_delivered_after_the_restart()
    {
        // The first instance holds a claimed delivery for 10 s and keeps its request open as long: the kill comes first.
        var first = await StartServiceAsync([new("Webhooks:LeaseSeconds", "10"), new("Webhooks:RequestTimeoutSeconds", "10")]);
        WebhookDto webhook;
        Guid alertId;
        using (var client = first.CreateClient())
        {
            webhook = await client.CreateWebhookAsync(new { name = "crash receiver", url = _receiver.UrlFor("hooks") });
            var (_, raise) = await client.DefinitionRaisingAlertsAsync();
            alertId = await raise();
        }

        var held = Assert.Single(await _receiver.WaitForAsync("hooks", requests => requests.Count == 1, "the delivery to be in flight"));
        Assert.False(_answer.Task.IsCompleted);
        first.Kill();
        output.WriteLine($"Killed the service while the request {held.MessageId} for alert {alertId} was held open.");
        Assert.True(first.HasExited, "The killed service is still running.");

        _answer.TrySetResult();
        var second = await StartServiceAsync([new("Webhooks:LeaseSeconds", "2")]);
        using (var client = second.CreateClient())
        {
            var requests = await _receiver.WaitForAsync("hooks", requests => requests.Count >= 2, "the delivery after the restart");
            var redelivered = requests[1];
            Assert.Equal(held.MessageId, redelivered.MessageId);
            Assert.Equal(held.Body, redelivered.Body);
            Assert.True(redelivered.HasValidSignature(webhook.Secret!), "The redelivered message does not verify.");
            Assert.Equal(alertId, WebhookMessageDto.Of(redelivered).AlertId);
            Assert.Equal("alert.raised", WebhookMessageDto.Of(redelivered).Type);

            var delivery = await WaitForDeliveredAsync(client, webhook.Id, second);
            Assert.Equal(alertId, delivery.AlertId);
            Assert.Equal(held.MessageId, delivery.MessageId);
            Assert.Equal([200], delivery.Attempts.Select(attempt => attempt.StatusCode));
            Assert.Equal(2, _receiver.Requests.Count);
        }
    }

    public async Task DisposeAsync()
    {
        _answer.TrySetResult();
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        await _receiver.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            try
            {
                File.Delete(_databasePath + suffix);
            }
            catch (IOException)
            {
                // A temp file left behind is harmless.
            }
        }
    }

    private async Task<ServiceProcess> StartServiceAsync(IEnumerable<KeyValuePair<string, string>> settings)
    {
        var service = ServiceProcess.Start(_databasePath, AdminKey,
        [
            new("Webhooks:AllowedNetworks:0", "127.0.0.0/8"),
            new("Webhooks:PollIntervalSeconds", "0.5"),
            .. settings,
        ]);
        _processes.Add(service);
        await service.WaitUntilReadyAsync(StartTimeout);
        return service;
    }

    private static async Task<WebhookDeliveryDto> WaitForDeliveredAsync(HttpClient client, Guid webhookId, ServiceProcess service)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var deliveries = await client.GetFromJsonAsync<PageDto<WebhookDeliveryDto>>(WebhookClient.Deliveries(webhookId));
            if (deliveries!.Items is [{ Status: "Delivered" } delivery])
            {
                return delivery;
            }

            Assert.True(
                deadline.Elapsed < LoopbackReceiver.Patience,
                $"The delivery was not recorded as delivered: {JsonSerializer.Serialize(deliveries.Items)}\n{service.Output}");
            await Task.Delay(100);
        }
    }
}
