using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace GopherCron.LoadTests.Systems;

/// <summary>Where the built host and the plugin folder (host plugins plus noop) are; set by run.sh.</summary>
internal sealed record HostBuild(string HostDll, string PluginsPath)
{
    public static HostBuild FromEnvironment()
    {
        var dll = Environment.GetEnvironmentVariable("GOPHERCRON_HOST_DLL");
        var plugins = Environment.GetEnvironmentVariable("GOPHERCRON_BENCH_PLUGINS");
        if (string.IsNullOrEmpty(dll) || !File.Exists(dll) || string.IsNullOrEmpty(plugins) || !Directory.Exists(Path.Combine(plugins, "noop")))
        {
            throw new InvalidOperationException("GOPHERCRON_HOST_DLL and GOPHERCRON_BENCH_PLUGINS must point at a built host and a plugin folder with noop/ (run through load-tests/run.sh)");
        }

        return new HostBuild(dll, plugins);
    }
}

/// <summary>
/// A GopherCron host process in the embedded default (SQLite, built-in agent) with its own data folder, and a REST
/// client logged in as the first administrator.
/// </summary>
internal sealed partial class GopherCronHost : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private GopherCronHost(Process process, Uri address, string dataDirectory)
    {
        _process = process;
        Address = address;
        DataDirectory = dataDirectory;
        Http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan, MaxConnectionsPerServer = 256 })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public Uri Address { get; }

    public string DataDirectory { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "gophercron.db");

    public HttpClient Http { get; }

    public int ProcessId => _process.Id;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<GopherCronHost> StartAsync(HostBuild build, string dataDirectory, string? recordPath, IDictionary<string, string>? settings = null)
    {
        Directory.CreateDirectory(dataDirectory);
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(build.HostDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.ToString().TrimEnd('/'));
        var env = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Database:Provider"] = "sqlite",
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(dataDirectory, "gophercron.db")}",
            ["Agent:PluginsPath"] = build.PluginsPath,
            ["Agents:GrpcPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
            // Per-request and per-run log lines would measure the console, not the scheduler.
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:GopherCron.Modules.Tasks.Scheduling"] = "Information",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        foreach (var (key, value) in env)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        if (recordPath is not null)
        {
            start.Environment["GOPHERCRON_NOOP_RECORD"] = recordPath;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the host");
        var host = new GopherCronHost(process, address, dataDirectory);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await host.WaitReadyAsync(TimeSpan.FromSeconds(90));
        return host;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            if (_log.Length < 1_000_000)
            {
                _log.AppendLine(line);
            }
        }
    }

    private async Task WaitReadyAsync(TimeSpan patience)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < patience)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the host exited with {_process.ExitCode}:\n{Log}");
            }

            try
            {
                using var response = await Http.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"the host was not ready within {patience.TotalSeconds} s:\n{Log}");
    }

    /// <summary>Waits until the scheduler has loaded its tasks (it logs "Scheduling N enabled tasks").</summary>
    public async Task WaitSchedulingAsync(TimeSpan patience)
    {
        var deadline = Stopwatch.StartNew();
        while (!Log.Contains("Scheduling ", StringComparison.Ordinal) || !Log.Contains(" enabled tasks", StringComparison.Ordinal))
        {
            if (deadline.Elapsed > patience || _process.HasExited)
            {
                throw new TimeoutException($"the scheduler did not start within {patience.TotalSeconds} s:\n{Log}");
            }

            await Task.Delay(100);
        }
    }

    public async Task LoginAsync()
    {
        using var response = await Http.PostAsJsonAsync("/api/v1/auth/login", new { account = "admin", password = "123456" });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    }

    public async Task<long> CreateProjectAsync(string name)
    {
        using var response = await Http.PostAsJsonAsync("/api/v1/projects", new { name, remark = "load test" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    public async Task<long> CreateTaskAsync(long projectId, object body)
    {
        using var response = await Http.PostAsJsonAsync($"/api/v1/projects/{projectId}/tasks", body);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"creating a task failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    /// <summary>SIGTERM (a graceful stop: the run ledger drains), SIGKILL after the patience.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = SysKill(_process.Id, 15);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Http.Dispose();
        _process.Dispose();
    }

    /// <summary>
    /// Makes a data folder holding one project with <paramref name="count"/> tasks: the host creates the project and
    /// the first task through the API (so every row is one the API wrote), is stopped, and the first task's row is
    /// copied <paramref name="count"/> - 1 times in one SQLite transaction (100k API calls would dominate the run).
    /// </summary>
    public static async Task<(long ProjectId, long FirstTaskId)> PrepareAsync(HostBuild build, string dataDirectory, int count, object taskBody)
    {
        long projectId, taskId;
        await using (var host = await StartAsync(build, dataDirectory, recordPath: null))
        {
            await host.LoginAsync();
            projectId = await host.CreateProjectAsync("bench");
            taskId = await host.CreateTaskAsync(projectId, taskBody);
        }

        if (count > 1)
        {
            CloneTask(Path.Combine(dataDirectory, "gophercron.db"), taskId, count - 1);
        }

        return (projectId, taskId);
    }

    private static void CloneTask(string databasePath, long taskId, int copies)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath}");
        connection.Open();
        // The template's own fires are history from the preparing start; the measured start begins clean.
        using (var purge = connection.CreateCommand())
        {
            purge.CommandText = "DELETE FROM runs";
            purge.ExecuteNonQuery();
        }

        var columns = new List<string>();
        using (var info = connection.CreateCommand())
        {
            info.CommandText = "PRAGMA table_info(tasks)";
            using var reader = info.ExecuteReader();
            while (reader.Read())
            {
                var name = reader.GetString(1);
                if (name is not "id" and not "name")
                {
                    columns.Add(name);
                }
            }
        }

        using var tx = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        var list = string.Join(", ", columns);
        insert.CommandText = $"INSERT INTO tasks (name, {list}) SELECT @name, {list} FROM tasks WHERE id = @id";
        var nameParameter = insert.Parameters.Add("@name", SqliteType.Text);
        insert.Parameters.AddWithValue("@id", taskId);
        insert.Prepare();
        for (var i = 1; i <= copies; i++)
        {
            nameParameter.Value = "bench-" + i.ToString(CultureInfo.InvariantCulture);
            insert.ExecuteNonQuery();
        }

        tx.Commit();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int signal);
}
