using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ThreatIntel.Api.Tests.Support;

/// <summary>
/// The built service (<c>ThreatIntel.Api.dll</c>, copied next to the tests by the project reference) run with
/// <c>dotnet</c> as a child process on a free loopback port; its console output is kept for failure messages.
/// </summary>
internal sealed class ServiceProcess : IDisposable
{
    private const int KeptLines = 200;
    private readonly Process _process;
    private readonly string _adminKey;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceProcess(Process process, Uri baseAddress, string adminKey)
    {
        _process = process;
        BaseAddress = baseAddress;
        _adminKey = adminKey;
    }

    public Uri BaseAddress { get; }

    public bool HasExited => _process.HasExited;

    public Task Exited => _exited.Task;

    /// <summary>The last lines the service wrote.</summary>
    public string Output => $"--- service output (last {KeptLines} lines) ---\n{string.Join('\n', _output)}";

    /// <summary>
    /// Starts the service on <paramref name="databasePath"/> with <paramref name="adminKey"/> as its bootstrap key and
    /// <paramref name="settings"/> (configuration keys such as <c>Webhooks:LeaseSeconds</c>) on top.
    /// </summary>
    public static ServiceProcess Start(string databasePath, string adminKey, IEnumerable<KeyValuePair<string, string>>? settings = null)
    {
        var dll = typeof(Program).Assembly.Location;
        var runtimeConfig = Path.ChangeExtension(dll, ".runtimeconfig.json");
        Assert.True(File.Exists(runtimeConfig), $"{runtimeConfig} is missing: the service cannot be started with 'dotnet {dll}'.");

        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["Database__MigrateOnStartup"] = "true";
        start.Environment["ConnectionStrings__ThreatIntel"] = $"Data Source={databasePath}";
        start.Environment["Auth__BootstrapAdminKey"] = adminKey;
        start.Environment["Matching__RefreshIntervalSeconds"] = "0.5";
        start.Environment["Serilog__MinimumLevel__Default"] = "Information";
        foreach (var (key, value) in settings ?? [])
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var service = new ServiceProcess(process, new Uri($"http://127.0.0.1:{port}"), adminKey);
        process.OutputDataReceived += (_, line) => service.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => service.Keep(line.Data);
        process.Exited += (_, _) => service._exited.TrySetResult();
        Assert.True(process.Start(), "The service process did not start.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    public HttpClient CreateClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(3) };
        client.DefaultRequestHeaders.Add("X-Api-Key", _adminKey);
        return client;
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200, failing if the process exits or <paramref name="timeout"/> passes.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var client = CreateClient();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(HasExited, $"The service exited during start-up.\n{Output}");
            Assert.True(deadline.Elapsed < timeout, $"The service was not ready within {timeout.TotalSeconds} s.\n{Output}");
            try
            {
                using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Kills the process (and anything it started) at once, as a crash or an OOM kill would.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has exited already.
        }

        _process.WaitForExit(30_000);
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > KeptLines)
        {
            _output.TryDequeue(out _);
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The <c>dotnet</c> host running the tests, so the service runs on the same runtime.</summary>
    private static string DotnetHost()
    {
        var fromCli = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromCli) && File.Exists(fromCli))
        {
            return fromCli;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? current
            : "dotnet";
    }
}
