using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using ThreatIntel.Core.Alerts;
using ThreatIntel.Core.Auditing;

namespace ThreatIntel.Api.Features.Alerts;

/// <summary>
/// Serves the alert change log as Server-Sent Events. Each event's <c>id:</c> is the change's sequence in the log, so
/// a client that reconnects with <c>Last-Event-ID</c> is served from the database everything committed after the last
/// event it saw, once, whichever instance it reconnects to.
/// </summary>
public sealed class AlertStream(
    IAlertChangeLog log,
    AlertStreamSlots slots,
    ICurrentActor actor,
    AlertChangeBell bell,
    IOptions<AlertStreamOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider)
{
    /// <summary>The media type of Server-Sent Events.</summary>
    public const string MediaType = "text/event-stream";

    private const string Heartbeat = ": keep-alive\n\n";

    /// <summary>
    /// Streams the changes after <paramref name="lastEventId"/> (after the latest one when null) that pass
    /// <paramref name="filter"/>, until the client goes away or the service stops. Returns false, having written
    /// nothing, when the caller's key already holds as many open streams as it may.
    /// </summary>
    public async Task<bool> TryWriteAsync(HttpResponse response, AlertChangeFilter filter, long? lastEventId, CancellationToken cancellationToken)
    {
        if (!slots.TryTake(actor.Name))
        {
            return false;
        }

        try
        {
            await WriteAsync(response, filter, lastEventId, cancellationToken);
            return true;
        }
        finally
        {
            slots.Return(actor.Name);
        }
    }

    private async Task WriteAsync(HttpResponse response, AlertChangeFilter filter, long? lastEventId, CancellationToken cancellationToken)
    {
        // A stream never completes by itself; it must end when the service stops rather than hold the shutdown up.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        var token = stopping.Token;
        var settings = options.Value;
        var heartbeatInterval = TimeSpan.FromSeconds(settings.HeartbeatSeconds);
        var pollInterval = TimeSpan.FromSeconds(settings.PollIntervalSeconds);

        response.ContentType = MediaType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        try
        {
            // An id beyond the log's end (a database restored from backup) resumes at the end rather than waiting,
            // silent, until the log grows past it.
            var latest = await log.LatestSequenceAsync(token);
            var cursor = lastEventId is { } resumeAfter ? Math.Min(resumeAfter, latest) : latest;
            await response.WriteAsync($"retry: {settings.RetryMilliseconds.ToString(CultureInfo.InvariantCulture)}\n\n", token);
            await response.Body.FlushAsync(token);
            var lastWrite = timeProvider.GetTimestamp();

            while (!token.IsCancellationRequested)
            {
                // Taken before reading, so that a change committed during the read rings a bell already held.
                var ring = bell.NextRing;
                var batch = await log.ReadAfterAsync(cursor, filter, settings.BatchSize, token);
                cursor = batch.ReadUpTo;
                if (batch.Changes.Count > 0)
                {
                    await response.WriteAsync(Format(batch.Changes), token);
                    await response.Body.FlushAsync(token);
                    lastWrite = timeProvider.GetTimestamp();
                    if (batch.Changes.Count == settings.BatchSize)
                    {
                        continue;
                    }
                }

                var untilHeartbeat = heartbeatInterval - timeProvider.GetElapsedTime(lastWrite);
                if (untilHeartbeat <= TimeSpan.Zero)
                {
                    await response.WriteAsync(Heartbeat, token);
                    await response.Body.FlushAsync(token);
                    lastWrite = timeProvider.GetTimestamp();
                    untilHeartbeat = heartbeatInterval;
                }

                await Task.WhenAny(ring, Task.Delay(untilHeartbeat < pollInterval ? untilHeartbeat : pollInterval, timeProvider, token));
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The client went away or the service is stopping: the stream simply ends.
        }
    }

    /// <summary>One SSE event per change; the JSON message holds no line break, but a data field must never carry one.</summary>
    private static string Format(IReadOnlyList<AlertChange> changes)
    {
        var text = new StringBuilder();
        foreach (var change in changes)
        {
            text.Append("id: ").Append(change.Sequence.ToString(CultureInfo.InvariantCulture)).Append('\n');
            text.Append("event: ").Append(AlertChangeMessage.TypeOf(change.Kind)).Append('\n');
            foreach (var line in change.Message.Split('\n'))
            {
                text.Append("data: ").Append(line.TrimEnd('\r')).Append('\n');
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
