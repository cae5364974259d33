using System.Diagnostics;
using System.Text;

namespace GopherCron.LoadTests.Systems;

/// <summary>A scheduler under test, running N no-op tasks every second and writing start records.</summary>
internal interface IFiringSystem : IAsyncDisposable
{
    string Name { get; }

    int ProcessId { get; }

    string RecordPath { get; }

    /// <summary>Seconds from nothing to every task scheduled (GopherCron: copying the rows and starting the host).</summary>
    double SetupSeconds { get; }

    /// <summary>Why the process died, if it did.</summary>
    string? Failure { get; }
}

internal static class FiringSystems
{
    public const string GopherCron = "gophercron";

    public static readonly string[] All = [GopherCron, Peers.QuartzRam, Peers.QuartzAdo, Peers.Hangfire];

    public static async Task<IFiringSystem> StartAsync(string name, int tasks, string workDirectory, string? mysql)
    {
        Directory.CreateDirectory(workDirectory);
        var record = Path.Combine(workDirectory, $"{name}-{tasks}.bin");
        File.Delete(record);
        if (name == GopherCron)
        {
            var build = HostBuild.FromEnvironment();
            var data = Path.Combine(workDirectory, $"{name}-{tasks}");
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }

            var setup = Stopwatch.StartNew();
            await GopherCronHost.PrepareAsync(build, data, tasks, new { name = "bench-0", cron = "* * * * * *", executor = "noop", config = new { } });
            var host = await GopherCronHost.StartAsync(build, data, record);
            await host.WaitSchedulingAsync(TimeSpan.FromMinutes(3));
            return new HostSystem(host, record, setup.Elapsed.TotalSeconds);
        }

        string? database = null;
        if (name == Peers.QuartzAdo)
        {
            database = await Peers.CreateQuartzDatabaseAsync(mysql ?? throw new InvalidOperationException("quartz-ado needs MariaDB (GOPHERCRON_TEST_MYSQL)"));
        }

        return await ChildSystem.StartAsync(name, tasks, record, database);
    }

    private sealed class HostSystem(GopherCronHost host, string record, double setupSeconds) : IFiringSystem
    {
        public string Name => GopherCron;

        public int ProcessId => host.ProcessId;

        public string RecordPath => record;

        public double SetupSeconds => setupSeconds;

        public string? Failure => null;

        public ValueTask DisposeAsync() => host.DisposeAsync();
    }

    private sealed class ChildSystem : IFiringSystem
    {
        private readonly Process _process;
        private readonly string? _database;
        private readonly StringBuilder _output = new();

        private ChildSystem(string name, Process process, string record, string? database)
        {
            Name = name;
            _process = process;
            RecordPath = record;
            _database = database;
        }

        public string Name { get; }

        public int ProcessId => _process.Id;

        public string RecordPath { get; }

        public double SetupSeconds { get; private set; }

        public string? Failure => _process.HasExited ? $"{Name} exited with {_process.ExitCode}: {Output}" : null;

        private string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public static async Task<IFiringSystem> StartAsync(string name, int tasks, string record, string? database)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { typeof(FiringSystems).Assembly.Location, "peer-child", "--system", name, "--tasks", tasks.ToString(System.Globalization.CultureInfo.InvariantCulture), "--record", record })
            {
                start.ArgumentList.Add(arg);
            }

            if (database is not null)
            {
                start.ArgumentList.Add("--mysql");
                start.ArgumentList.Add(database);
            }

            var setup = Stopwatch.StartNew();
            var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {name}");
            var child = new ChildSystem(name, process, record, database);
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    return;
                }

                lock (child._output)
                {
                    if (child._output.Length < 100_000)
                    {
                        child._output.AppendLine(e.Data);
                    }
                }

                if (e.Data.StartsWith("ready", StringComparison.Ordinal))
                {
                    ready.TrySetResult();
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                lock (child._output)
                {
                    if (e.Data is not null && child._output.Length < 100_000)
                    {
                        child._output.AppendLine(e.Data);
                    }
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var patience = TimeSpan.FromSeconds(60 + tasks / 200.0);
            var exited = process.WaitForExitAsync();
            var first = await Task.WhenAny(ready.Task, exited, Task.Delay(patience));
            if (first != ready.Task)
            {
                var why = first == exited ? $"exited with {process.ExitCode}" : $"was not ready within {patience.TotalSeconds:0} s";
                await child.DisposeAsync();
                throw new InvalidOperationException($"{name} {why}: {child.Output}");
            }

            child.SetupSeconds = setup.Elapsed.TotalSeconds;
            return child;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
            if (_database is not null)
            {
                try
                {
                    await Peers.DropDatabaseAsync(_database);
                }
                catch (MySqlConnector.MySqlException e)
                {
                    Console.Error.WriteLine($"could not drop {_database}: {e.Message}");
                }
            }
        }
    }
}
