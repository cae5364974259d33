using System.Diagnostics;

namespace GopherCron.Testing;

/// <summary>
/// A private MariaDB server on a free loopback port with its own data folder, owned by one test so that the test may
/// stop and restart it (a database outage) without disturbing anything else. Needs the MariaDB server binaries
/// (<c>scripts/services.sh start</c> installs them).
/// </summary>
public sealed class MariaDbProcess : IAsyncDisposable
{
    private const string User = "gophercron";
    private const string Password = "gophercron";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gc-mdb-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly int _port = HostProcess.FreePort();
    private Process? _server;

    private MariaDbProcess()
    {
    }

    private string Socket => Path.Combine(_directory, "s.sock");

    /// <summary>A connection string to the database <c>gophercron</c> on this server.</summary>
    public string ConnectionString => $"Server=127.0.0.1;Port={_port};Database=gophercron;User ID={User};Password={Password}";

    public static async Task<MariaDbProcess> StartAsync()
    {
        var server = new MariaDbProcess();
        Directory.CreateDirectory(server._directory);
        await RunAsync("mariadb-install-db", "--no-defaults", $"--datadir={server._directory}/data", "--user=root",
            "--auth-root-authentication-method=normal", "--skip-test-db");
        await server.StartAgainAsync();
        await RunAsync("mariadb", "--no-defaults", "-hlocalhost", $"--socket={server.Socket}", "-uroot", "-e",
            $"CREATE DATABASE gophercron CHARACTER SET utf8mb4 COLLATE utf8mb4_bin; " +
            $"CREATE USER '{User}'@'127.0.0.1' IDENTIFIED BY '{Password}'; GRANT ALL PRIVILEGES ON gophercron.* TO '{User}'@'127.0.0.1';");
        return server;
    }

    /// <summary>Starts the server (again) on the same port and data.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo(Binary("mariadbd", "/usr/sbin/mariadbd")) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "--no-defaults", "--user=root", $"--datadir={_directory}/data", $"--socket={Socket}", $"--pid-file={_directory}/m.pid",
            $"--port={_port}", "--bind-address=127.0.0.1", "--skip-name-resolve", $"--log-error={_directory}/error.log",
            "--innodb-flush-log-at-trx-commit=2",
        })
        {
            start.ArgumentList.Add(argument);
        }

        _server = Process.Start(start)!;
        _server.OutputDataReceived += (_, _) => { };
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (await TryRunAsync("mariadb-admin", "--no-defaults", "-hlocalhost", $"--socket={Socket}", "-uroot", "ping"))
            {
                return;
            }

            if (DateTime.UtcNow > deadline || _server.HasExited)
            {
                throw new InvalidOperationException("MariaDB did not start: " + ReadLog());
            }

            await Task.Delay(100);
        }
    }

    /// <summary>A clean shutdown (SIGTERM), as a database restart by an operator.</summary>
    public async Task StopAsync()
    {
        if (_server is not null)
        {
            await ProcessSignals.StopAsync(_server);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _server?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string ReadLog() => File.Exists(Path.Combine(_directory, "error.log")) ? File.ReadAllText(Path.Combine(_directory, "error.log")) : "(no log)";

    private static string Binary(string name, string usual) =>
        File.Exists(usual) ? usual
        : new[] { "/usr/bin/", "/usr/sbin/", "/usr/local/bin/" }.Select(d => d + name).FirstOrDefault(File.Exists)
          ?? throw new InvalidOperationException($"{name} is not installed; run scripts/services.sh start (it installs MariaDB).");

    private static async Task RunAsync(string tool, params string[] arguments)
    {
        if (!await TryRunAsync(tool, arguments))
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed");
        }
    }

    private static async Task<bool> TryRunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(Binary(tool, "/usr/bin/" + tool)) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The mariadb tools read MYSQL_HOST and friends from the environment; none of them may steer these calls.
        foreach (var name in new[] { "MYSQL_HOST", "MYSQL_TCP_PORT", "MYSQL_UNIX_PORT", "MYSQL_PWD" })
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)!;
        await process.StandardOutput.ReadToEndAsync();
        await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0;
    }
}
