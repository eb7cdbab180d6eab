using System.Net;
using System.Text;
using System.Text.Json;

namespace ThreatIntel.Api.Tests.Support;

/// <summary>One event of a Server-Sent Events stream; <see cref="Json"/> is its data parsed.</summary>
internal sealed record ServerSentEvent(string? Id, string Type, string Data)
{
    public long Sequence => long.Parse(Id!, System.Globalization.CultureInfo.InvariantCulture);

    public JsonElement Json => JsonDocument.Parse(Data).RootElement;

    /// <summary>The alert the event carries (<c>data.data</c>).</summary>
    public JsonElement Alert => Json.GetProperty("data");

    public Guid AlertId => Alert.GetProperty("id").GetGuid();
}

/// <summary>
/// Reads a Server-Sent Events response as the EventSource specification parses it: fields up to a blank line make an
/// event, lines starting with a colon are comments.
/// </summary>
internal sealed class ServerSentEventReader : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private ServerSentEventReader(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body, Encoding.UTF8);
    }

    /// <summary>Comments received so far (heartbeats), without the leading colon.</summary>
    public List<string> Comments { get; } = [];

    /// <summary>The <c>retry:</c> values received so far.</summary>
    public List<int> RetryValues { get; } = [];

    public HttpResponseMessage Response => _response;

    public static async Task<ServerSentEventReader> OpenAsync(HttpClient client, string uri, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new ServerSentEventReader(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The next event, skipping comments and blocks without data; fails when none comes in time.</summary>
    public async Task<ServerSentEvent> NextEventAsync(TimeSpan? patience = null)
    {
        using var timeout = new CancellationTokenSource(patience ?? AlertClient.Patience);
        string? id = null;
        string? type = null;
        var data = new List<string>();
        while (true)
        {
            string? line;
            try
            {
                line = await _reader.ReadLineAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No event arrived within {(patience ?? AlertClient.Patience).TotalSeconds} s.");
            }

            Assert.NotNull(line);
            if (line.Length == 0)
            {
                if (data.Count > 0)
                {
                    return new ServerSentEvent(id, type ?? "message", string.Join('\n', data));
                }

                (id, type) = (null, null);
                continue;
            }

            if (line[0] == ':')
            {
                Comments.Add(line[1..].TrimStart());
                continue;
            }

            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? string.Empty : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id":
                    id = value;
                    break;
                case "event":
                    type = value;
                    break;
                case "data":
                    data.Add(value);
                    break;
                case "retry":
                    RetryValues.Add(int.Parse(value, System.Globalization.CultureInfo.InvariantCulture));
                    break;
            }
        }
    }

    /// <summary>The next <paramref name="count"/> events.</summary>
    public async Task<List<ServerSentEvent>> NextEventsAsync(int count)
    {
        var events = new List<ServerSentEvent>();
        while (events.Count < count)
        {
            events.Add(await NextEventAsync());
        }

        return events;
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
