using System.Diagnostics;
using System.Net.Http;

namespace GopherCron.Testing;

/// <summary>
/// A real single-member etcd on free loopback ports with its own data folder, owned by one test so that the test may
/// stop and restart it (an etcd outage) without disturbing anything else. Needs the etcd binary
/// (<c>scripts/services.sh start</c> installs it).
/// </summary>
public sealed class EtcdProcess : IAsyncDisposable
{
    private readonly string _dataDirectory;
    private readonly int _clientPort = HostProcess.FreePort();
    private readonly int _peerPort = HostProcess.FreePort();
    private Process? _process;

    private EtcdProcess(string dataDirectory) => _dataDirectory = dataDirectory;

    public string Endpoint => $"http://127.0.0.1:{_clientPort}";

    public static async Task<EtcdProcess> StartAsync()
    {
        var etcd = new EtcdProcess(Path.Combine(Path.GetTempPath(), "gophercron-etcd-" + Guid.NewGuid().ToString("N")));
        await etcd.StartAgainAsync();
        return etcd;
    }

    /// <summary>Starts the server (again) on the same ports and data.</summary>
    public async Task StartAgainAsync()
    {
        var binary = new[] { "/usr/bin/etcd", "/usr/local/bin/etcd" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("etcd is not installed; run scripts/services.sh start (it installs it).");
        var peer = $"http://127.0.0.1:{_peerPort}";
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--name", "test", "--data-dir", _dataDirectory,
            "--listen-client-urls", Endpoint, "--advertise-client-urls", Endpoint,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", "test=" + peer,
            "--logger", "zap", "--log-outputs", "stderr",
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await http.GetStringAsync(Endpoint + "/health")).Contains("\"true\"", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("etcd did not become healthy within 30 s");
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
