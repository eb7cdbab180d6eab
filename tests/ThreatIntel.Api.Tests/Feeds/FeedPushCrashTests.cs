using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ThreatIntel.Api.Tests.Support;
using Xunit.Abstractions;

namespace ThreatIntel.Api.Tests.Feeds;

/// <summary>
/// Runs the crash tests on their own: each one starts, kills and restarts the real service as a child process, which
/// must neither slow the in-memory tests down nor be slowed down by them.
/// </summary>
[CollectionDefinition(nameof(FeedPushCrashTests), DisableParallelization = true)]
public sealed class FeedPushCrashTestsDefinition;

/// <summary>
/// A process killed in the middle of a feed push leaves the feed's previous content intact and starts healthy again.
/// Each test starts the built service (<c>dotnet ThreatIntel.Api.dll</c>) on a fresh SQLite file, pushes a small
/// feed, starts a large sync push of other content, kills the process while that push is in flight (before its
/// response), restarts it on the same file and checks what the database, the look-ups, the matching index and the
/// health check say; then it pushes again to show that the feed still takes pushes.
/// </summary>
[Collection(nameof(FeedPushCrashTests))]
public sealed class FeedPushCrashTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>Where in the large push the process is killed.</summary>
    public enum KillPoint
    {
        /// <summary>Half of the body has been sent and the service is still reading it.</summary>
        WhileReceivingBody,

        /// <summary>The whole body has been sent and the push's transaction has written megabytes to the WAL.</summary>
        WhileWritingTransaction,
    }

    private const string AdminKey = "ti_crash-test-admin-key-0123456789";
    private const string Feed = "crash-feed";
    private const string CsvHeader = "definition,type,value,action,severity,description,expiresAt";

    /// <summary>The small feed that must survive the crash: 50 IOCs in 5 definitions.</summary>
    private const int ContentACount = 50;
    private const int ContentADefinitions = 5;

    /// <summary>The large push that is interrupted: 300,000 IOCs in 300 definitions, none of them in content A.</summary>
    private const int BigCount = 300_000;
    private const int BigDefinitions = 300;

    /// <summary>How far the WAL must grow beyond its size before the large push to show its transaction is writing.</summary>
    private const long WalGrowthProvingWrites = 8L * 1024 * 1024;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PushTimeout = TimeSpan.FromSeconds(90);

    private readonly string _databasePath = Path.Combine(Path.GetTempPath(), $"threatintel-crash-{Guid.NewGuid():N}.db");
    private readonly List<ServiceProcess> _processes = [];

    [Theory]
    [InlineData(KillPoint.WhileReceivingBody)]
    [InlineData(KillPoint.WhileWritingTransaction)]
    public async Task A_process_killed_during_a_sync_push_keeps_the_previous_content_and_restarts_healthy(KillPoint killPoint)
    {
        // 1. Start, push content A and check it.
        var first = await StartServiceAsync();
        string lastPushA;
        using (var client = first.CreateClient())
        {
            var pushedA = await PushCsvAsync(client, new StringContent(ContentA(), Encoding.UTF8, "text/csv"));
            Assert.Equal(ContentACount, pushedA.GetProperty("iocsCreated").GetInt32());
            Assert.Equal(ContentADefinitions, pushedA.GetProperty("definitionsCreated").GetInt32());
            await AssertFeedHoldsAsync(client, ContentADefinitions, ContentACount);
            lastPushA = await LastPushAtAsync(client);
        }

        // 2. Start the large push of other content and kill the process while it is in flight.
        var walBefore = WalSize();
        using var big = new GeneratedCsvContent(
            BigCount, pauseAfterRows: killPoint == KillPoint.WhileReceivingBody ? BigCount / 2 : null);
        using var pushClient = first.CreateClient();
        var push = pushClient.PutAsync(new Uri($"/api/v1/feeds/{Feed}", UriKind.Relative), big);
        try
        {
            string evidence;
            if (killPoint == KillPoint.WhileReceivingBody)
            {
                await WaitForAsync(big.Paused.Task, push, first, "the first half of the large push to be sent");
                evidence = $"{big.RowsSent:N0} of {BigCount:N0} rows sent, the rest held back";
            }
            else
            {
                await WaitForAsync(big.AllSent.Task, push, first, "the whole large push to be sent");
                var growing = WaitForWalGrowthAsync(walBefore + WalGrowthProvingWrites, push);
                await WaitForAsync(growing, push, first, "the push's transaction to write to the WAL");
                evidence = $"the WAL grew from {walBefore:N0} to {WalSize():N0} bytes inside the push's transaction";
            }

            Assert.False(push.IsCompleted, $"The large push was answered before the kill ({evidence}); nothing was proven.");
            first.Kill();
            output.WriteLine($"Killed the service while the large push was in flight: {evidence}.");
            Assert.True(first.HasExited, "The killed service is still running.");
        }
        finally
        {
            big.Resume();
        }

        // The push must never have been answered: its request fails with the connection.
        var outcome = await Record.ExceptionAsync(async () =>
        {
            using var response = await push.WaitAsync(PushTimeout);
            Assert.Fail($"The large push was answered {(int)response.StatusCode} although the service was killed during it.");
        });
        Assert.True(
            outcome is HttpRequestException or IOException or OperationCanceledException,
            $"The large push did not fail with the connection: {outcome}");

        // 3. Restart on the same database: the feed holds exactly content A, and nothing of the large push exists.
        var second = await StartServiceAsync();
        using (var client = second.CreateClient())
        {
            await AssertFeedHoldsAsync(client, ContentADefinitions, ContentACount);
            Assert.Equal(lastPushA, await LastPushAtAsync(client));

            Assert.Equal(ContentACount, await TotalAsync(client, "/api/v1/iocs?pageSize=1"));
            Assert.Equal(ContentADefinitions, await TotalAsync(client, "/api/v1/alert-definitions?pageSize=1"));
            foreach (var index in new[] { 0, ContentACount / 2, ContentACount - 1 })
            {
                var found = await client.GetFromJsonAsync<PageDto<IocDto>>(Routes.Lookup("IpAddress", ValueA(index)));
                var ioc = Assert.Single(found!.Items);
                Assert.Equal(Feed, ioc.Source);
            }

            foreach (var index in new[] { 0, 1, BigCount / 2, BigCount - 1 })
            {
                Assert.Equal(0, await TotalAsync(client, Routes.Lookup("IpAddress", BigValue(index))));
            }

            // Matching answers from content A.
            var status = await client.GetFromJsonAsync<JsonElement>("/api/v1/matching/status");
            Assert.Equal(ContentACount, status.GetProperty("iocCount").GetInt32());
            Assert.Equal(1, await MatchedEventsAsync(client, ValueA(7)));
            Assert.Equal(0, await MatchedEventsAsync(client, BigValue(7)));

            using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

            // 4. A fresh push after the restart is applied as usual.
            var pushedC = await PushCsvAsync(client, new StringContent(ContentC(), Encoding.UTF8, "text/csv"));
            Assert.Equal(ContentCCount, pushedC.GetProperty("iocsCreated").GetInt32());
            Assert.Equal(ContentACount, pushedC.GetProperty("iocsRemoved").GetInt32());
            await AssertFeedHoldsAsync(client, 1, ContentCCount);
            Assert.Equal(0, await TotalAsync(client, Routes.Lookup("IpAddress", ValueA(0))));
            Assert.Equal(1, await TotalAsync(client, Routes.Lookup("IpAddress", ValueC(0))));
            await WaitForIndexAsync(client, ContentCCount, second);
            Assert.Equal(1, await MatchedEventsAsync(client, ValueC(3)));
        }
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

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

    private const int ContentCCount = 20;

    private static string ValueA(int index) => $"198.51.100.{index + 1}";

    private static string ValueC(int index) => $"203.0.113.{index + 1}";

    private static string BigValue(int index) =>
        string.Create(CultureInfo.InvariantCulture, $"10.{(index >> 16) & 255}.{(index >> 8) & 255}.{index & 255}");

    private static string ContentA()
    {
        var csv = new StringBuilder().Append(CsvHeader).Append('\n');
        for (var i = 0; i < ContentACount; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"crash A {i % ContentADefinitions},IpAddress,{ValueA(i)},,High,content A,\n");
        }

        return csv.ToString();
    }

    private static string ContentC()
    {
        var csv = new StringBuilder().Append(CsvHeader).Append('\n');
        for (var i = 0; i < ContentCCount; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"crash C,IpAddress,{ValueC(i)},,Low,,\n");
        }

        return csv.ToString();
    }

    private long WalSize()
    {
        var wal = new FileInfo(_databasePath + "-wal");
        return wal.Exists ? wal.Length : 0;
    }

    private async Task WaitForWalGrowthAsync(long size, Task push)
    {
        while (WalSize() < size && !push.IsCompleted)
        {
            await Task.Delay(20);
        }
    }

    /// <summary>Waits for <paramref name="step"/>, failing if the push is answered, the service dies or it takes too long.</summary>
    private static async Task WaitForAsync(Task step, Task<HttpResponseMessage> push, ServiceProcess service, string what)
    {
        var finished = await Task.WhenAny(step, push, service.Exited, Task.Delay(PushTimeout));
        if (finished == step)
        {
            await step;
            return;
        }

        string reason;
        if (finished == push)
        {
            try
            {
                using var response = await push;
                reason = $"the push was answered {(int)response.StatusCode} first: {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
            {
                reason = $"the push failed first: {ex.Message}";
            }
        }
        else
        {
            reason = finished == service.Exited ? "the service exited" : $"nothing happened within {PushTimeout.TotalSeconds} s";
        }

        Assert.Fail($"Waiting for {what}: {reason}.\n{service.Output}");
    }

    private async Task<ServiceProcess> StartServiceAsync()
    {
        var service = ServiceProcess.Start(_databasePath, AdminKey);
        _processes.Add(service);
        using var client = service.CreateClient();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(service.HasExited, $"The service exited during start-up.\n{service.Output}");
            Assert.True(deadline.Elapsed < StartTimeout, $"The service was not ready within {StartTimeout.TotalSeconds} s.\n{service.Output}");
            try
            {
                using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return service;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }
    }

    private static async Task<JsonElement> PushCsvAsync(HttpClient client, HttpContent content)
    {
        using (content)
        {
            using var response = await client.PutAsync(new Uri($"/api/v1/feeds/{Feed}", UriKind.Relative), content);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
            return JsonSerializer.Deserialize<JsonElement>(text);
        }
    }

    private static async Task AssertFeedHoldsAsync(HttpClient client, int definitions, int iocs)
    {
        var summary = await client.GetFromJsonAsync<JsonElement>($"/api/v1/feeds/{Feed}");
        Assert.Equal(definitions, summary.GetProperty("definitionCount").GetInt32());
        Assert.Equal(iocs, summary.GetProperty("iocCount").GetInt32());
    }

    private static async Task<string> LastPushAtAsync(HttpClient client)
    {
        var summary = await client.GetFromJsonAsync<JsonElement>($"/api/v1/feeds/{Feed}");
        return summary.GetProperty("lastPushAt").GetString()!;
    }

    private static async Task<int> TotalAsync(HttpClient client, string uri)
    {
        var page = await client.GetFromJsonAsync<JsonElement>(uri);
        return page.GetProperty("totalCount").GetInt32();
    }

    private static async Task<int> MatchedEventsAsync(HttpClient client, string ip)
    {
        using var response = await client.PostAsJsonAsync(
            new Uri("/api/v1/events/evaluate?dryRun=true", UriKind.Relative),
            new { events = new[] { new { id = "crash-probe", deviceId = "crash-host", observables = new[] { new { type = "IpAddress", value = ip } } } } });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<JsonElement>(text).GetProperty("matched").GetInt32();
    }

    private static async Task WaitForIndexAsync(HttpClient client, int iocCount, ServiceProcess service)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var status = await client.GetFromJsonAsync<JsonElement>("/api/v1/matching/status");
            if (status.GetProperty("iocCount").GetInt32() == iocCount)
            {
                return;
            }

            Assert.True(deadline.Elapsed < StartTimeout, $"The matching index never reached {iocCount} IOCs: {status}\n{service.Output}");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// A large sync push generated while it is sent (chunked, no length), so the service is busy with it for a while;
    /// it can hold back the rest of the body after <c>pauseAfterRows</c> rows until <see cref="Resume"/>.
    /// </summary>
    private sealed class GeneratedCsvContent : HttpContent
    {
        private const int ChunkChars = 64 * 1024;
        private readonly int _rows;
        private readonly int? _pauseAfterRows;
        private readonly TaskCompletionSource _resume = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _rowsSent;

        public GeneratedCsvContent(int rows, int? pauseAfterRows)
        {
            _rows = rows;
            _pauseAfterRows = pauseAfterRows;
            Headers.ContentType = new("text/csv") { CharSet = "utf-8" };
        }

        /// <summary>Completes when the first <c>pauseAfterRows</c> rows have been written to the connection.</summary>
        public TaskCompletionSource Paused { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when every row has been written to the connection.</summary>
        public TaskCompletionSource AllSent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int RowsSent => Volatile.Read(ref _rowsSent);

        public void Resume() => _resume.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = new StringBuilder(ChunkChars + 256).Append(CsvHeader).Append('\n');
            for (var row = 0; row < _rows; row++)
            {
                if (row == _pauseAfterRows)
                {
                    await FlushAsync(stream, chunk, row);
                    Paused.TrySetResult();
                    await _resume.Task;
                }

                chunk.Append(CultureInfo.InvariantCulture, $"crash big {row % BigDefinitions},IpAddress,{BigValue(row)},,Critical,,\n");
                if (chunk.Length >= ChunkChars)
                {
                    await FlushAsync(stream, chunk, row + 1);
                }
            }

            await FlushAsync(stream, chunk, _rows);
            AllSent.TrySetResult();
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            Resume();
            base.Dispose(disposing);
        }

        private async Task FlushAsync(Stream stream, StringBuilder chunk, int rowsSent)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(chunk.ToString()));
            await stream.FlushAsync();
            chunk.Clear();
            Volatile.Write(ref _rowsSent, rowsSent);
        }
    }
}
