using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ThreatIntel.Api.Tests.Support;

namespace ThreatIntel.Api.Tests.Webhooks;

/// <summary>One request as the receiver got it.</summary>
internal sealed record ReceivedRequest(
    int Number, string Path, string? MessageId, string? Timestamp, string? Signature, string? ContentType, string Body, DateTimeOffset ReceivedAt)
{
    /// <summary>
    /// Whether the signature is genuine, checked the way a receiver in another language would: HMAC-SHA256 with the
    /// base64-decoded secret over <c>id.timestamp.body</c>, compared with the <c>v1,</c> value — without the service's code.
    /// </summary>
    public bool HasValidSignature(string secret)
    {
        if (MessageId is null || Timestamp is null || Signature is null || !secret.StartsWith("whsec_", StringComparison.Ordinal))
        {
            return false;
        }

        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{MessageId}.{Timestamp}.{Body}")));
        var fresh = Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - long.Parse(Timestamp, System.Globalization.CultureInfo.InvariantCulture)) <= 300;
        return fresh && Signature.Split(' ').Contains(expected, StringComparer.Ordinal);
    }
}

/// <summary>
/// A real HTTP receiver (Kestrel) on a free 127.0.0.1 port. It records each request before it answers, and answers
/// with what <c>respond</c> returns for the request's 1-based number — which may also wait, to hold a request open.
/// </summary>
internal sealed class LoopbackReceiver : IAsyncDisposable
{
    public static readonly TimeSpan Patience = AlertClient.Patience;

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private int _count;

    private LoopbackReceiver(WebApplication app) => _app = app;

    /// <summary>The base address, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public string BaseAddress { get; private set; } = string.Empty;

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests.OrderBy(request => request.Number)];

    /// <summary>Starts a receiver answering 200 to everything, or what <paramref name="respond"/> says.</summary>
    public static async Task<LoopbackReceiver> StartAsync(Func<int, CancellationToken, Task<int>>? respond = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new LoopbackReceiver(app);
        respond ??= (_, _) => Task.FromResult(StatusCodes.Status200OK);
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var number = Interlocked.Increment(ref receiver._count);
            receiver._requests.Enqueue(new ReceivedRequest(
                number,
                context.Request.Path,
                context.Request.Headers["webhook-id"].FirstOrDefault(),
                context.Request.Headers["webhook-timestamp"].FirstOrDefault(),
                context.Request.Headers["webhook-signature"].FirstOrDefault(),
                context.Request.ContentType,
                body,
                DateTimeOffset.UtcNow));
            context.Response.StatusCode = await respond(number, context.RequestAborted);
        });
        await app.StartAsync();
        receiver.BaseAddress = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return receiver;
    }

    /// <summary>A URL on this receiver under a path of its own, so a test can tell its requests apart.</summary>
    public string UrlFor(string path) => $"{BaseAddress}/{path.TrimStart('/')}";

    /// <summary>Polls until the requests to <paramref name="path"/> satisfy <paramref name="condition"/>, and returns them.</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(
        string path, Func<IReadOnlyList<ReceivedRequest>, bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var requests = Requests.Where(request => request.Path == "/" + path.TrimStart('/')).ToList();
            if (condition(requests))
            {
                return requests;
            }

            Assert.True(deadline.Elapsed < Patience, $"Waited {Patience.TotalSeconds} s for {what}; the receiver got {requests.Count} requests.");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
