using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ThreatIntel.Api.Tests.Support;
using ThreatIntel.Core.Webhooks;

namespace ThreatIntel.Api.Tests.Webhooks;

internal sealed record WebhookDto(
    Guid Id,
    string Name,
    string Url,
    string? MinimumSeverity,
    Guid[] AlertDefinitionIds,
    bool Enabled,
    DateTime CreatedAt,
    string CreatedBy,
    DateTime UpdatedAt,
    string UpdatedBy,
    string? Secret);

internal sealed record WebhookDeliveryDto(
    long Id,
    string MessageId,
    long AlertChangeSequence,
    string Type,
    Guid AlertId,
    string Status,
    int Rounds,
    DateTime CreatedAt,
    DateTime? NextAttemptAt,
    DateTime? CompletedAt,
    WebhookAttemptDto[] Attempts);

internal sealed record WebhookAttemptDto(DateTime At, int DurationMs, int? StatusCode, string? Error);

/// <summary>The body of a webhook message: <c>{"type", "timestamp", "data": {the alert}}</c>.</summary>
internal sealed record WebhookMessageDto(string Type, DateTime Timestamp, JsonElement Data)
{
    public Guid AlertId => Data.GetProperty("id").GetGuid();

    public static WebhookMessageDto Of(ReceivedRequest request) =>
        JsonSerializer.Deserialize<WebhookMessageDto>(request.Body, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
}

/// <summary>
/// Host names tests make resolve where they like (a fixed table instead of DNS); names not in it do not resolve.
/// </summary>
public sealed class TestHostResolver : IWebhookHostResolver
{
    private readonly ConcurrentDictionary<string, IPAddress[]> _hosts = new(StringComparer.OrdinalIgnoreCase);

    public void Map(string host, params IPAddress[] addresses) => _hosts[host] = addresses;

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        _hosts.TryGetValue(host, out var addresses)
            ? Task.FromResult(addresses)
            : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
}

/// <summary>
/// The service allowed to deliver to loopback receivers, with quick retries and rounds short enough for tests:
/// a round is the first attempt and 3 retries 20 ms apart (doubling, jittered), 2 rounds 1 s apart, then failed.
/// </summary>
public class WebhookApiFactory : ThreatIntelApiFactory
{
    public TestHostResolver Resolver { get; } = new();

    protected virtual bool AllowsLoopback => true;

    protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings
    {
        get
        {
            List<KeyValuePair<string, string>> settings =
            [
                new("Webhooks:PollIntervalSeconds", "1"),
                new("Webhooks:RetryBaseDelayMilliseconds", "20"),
                new("Webhooks:RequestTimeoutSeconds", "5"),
                new("Webhooks:MaxRounds", "2"),
                new("Webhooks:RoundBackoffSeconds", "1"),
            ];
            if (AllowsLoopback)
            {
                settings.Add(new("Webhooks:AllowedNetworks:0", "127.0.0.0/8"));
            }

            return settings;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IWebhookHostResolver>(Resolver));
    }
}

/// <summary>The service with the default SSRF rules: no network is allowed beyond the public ones.</summary>
public sealed class StrictWebhookApiFactory : WebhookApiFactory
{
    protected override bool AllowsLoopback => false;
}

internal static class WebhookClient
{
    public const string Webhooks = "/api/v1/webhooks";

    public static string Webhook(Guid id) => $"{Webhooks}/{id}";

    public static string Deliveries(Guid id, string? status = null) =>
        $"{Webhooks}/{id}/deliveries?pageSize=1000" + (status is null ? string.Empty : $"&status={status}");

    public static async Task<WebhookDto> CreateWebhookAsync(this HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync(Webhooks, body);
        var webhook = await response.ReadAsync<WebhookDto>(HttpStatusCode.Created);
        Assert.NotNull(webhook.Secret);
        return webhook;
    }

    public static async Task<WebhookDeliveryDto[]> GetDeliveriesAsync(this HttpClient client, Guid webhookId) =>
        (await client.GetPageAsync<WebhookDeliveryDto>(Deliveries(webhookId))).Items;

    /// <summary>Polls the deliveries list until the delivery of <paramref name="alertId"/>'s change of <paramref name="type"/> is no longer pending.</summary>
    public static async Task<WebhookDeliveryDto> WaitForCompletedDeliveryAsync(
        this HttpClient client, Guid webhookId, Guid alertId, string type = "alert.raised")
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var delivery = (await client.GetDeliveriesAsync(webhookId)).SingleOrDefault(d => d.AlertId == alertId && d.Type == type);
            if (delivery is { Status: not "Pending" })
            {
                return delivery;
            }

            Assert.True(
                deadline.Elapsed < LoopbackReceiver.Patience,
                $"The delivery of alert {alertId} was not completed within {LoopbackReceiver.Patience.TotalSeconds} s: {JsonSerializer.Serialize(delivery)}");
            await Task.Delay(100);
        }
    }
}
