using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using GopherCron.Plugins.Abstractions;
using Microsoft.Extensions.Logging;

namespace GopherCron.Plugins.Shell;

/// <summary>
/// Runs a task's command as <c>setsid &lt;shell&gt; -c</c>, so the shell leads a new session and process group
/// that contains everything the command starts.
/// </summary>
/// <remarks>
/// A run owns its process tree, like a systemd unit with <c>KillMode=control-group</c>: on kill or timeout the whole
/// group gets SIGTERM and, after the grace period, SIGKILL; and when the shell exits on its own, whatever it left
/// running in its group (<c>sleep 60 &amp;</c>) is terminated the same way before the run is reported finished.
/// A task that wants to start a long-lived daemon must detach it explicitly (its own <c>setsid</c>); its output is
/// then read only until a short drain timeout passes, so it cannot hold the run open.
/// stderr is sent into stdout by the shell itself (<c>exec 2&gt;&amp;1</c>), so there is one pipe and the output
/// keeps the exact order in which it was written.
/// </remarks>
internal sealed class ShellExecutor : ITaskExecutor
{
    private const int MaxLauncherErrorChars = 4 * 1024;

    private readonly ShellOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ShellExecutor> _logger;
    private readonly string? _setsid;

    public ShellExecutor(ShellOptions options, TimeProvider time, ILogger<ShellExecutor> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _setsid = FindOnPath("setsid");
        if (_setsid is null)
        {
            Log.SetsidMissing(logger);
        }
    }

    public string Kind => "shell";

    public ExecutorDescriptor Descriptor { get; } = new(
        "Shell command",
        "Runs a command with /bin/sh -c (or another shell) on the agent; stdout and stderr are captured together, " +
        "and kill or timeout stop every process the command started.",
        ShellTaskConfiguration.Schema);

    public IReadOnlyList<ConfigurationError> Validate(JsonElement configuration)
    {
        ShellTaskConfiguration.Parse(configuration, out var errors);
        return errors;
    }

    public async ValueTask<ExecutionResult> ExecuteAsync(
        ExecutionRequest request, IExecutionOutput output, CancellationToken cancellationToken)
    {
        var config = ShellTaskConfiguration.Parse(request.Configuration, out var errors);
        if (config is null)
        {
            return ExecutionResult.Failed(
                "invalid configuration: " + string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")));
        }

        var shell = config.Shell ?? _options.DefaultShell;
        if (!File.Exists(shell))
        {
            return ExecutionResult.Failed($"shell '{shell}' does not exist on this agent");
        }

        if (config.WorkingDirectory is { } directory && !Directory.Exists(directory))
        {
            return ExecutionResult.Failed($"working directory '{directory}' does not exist on this agent");
        }

        cancellationToken.ThrowIfCancellationRequested();

        using var process = new Process { StartInfo = CreateStartInfo(request, config, shell) };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return ExecutionResult.Failed($"could not start '{shell}': {e.Message}");
        }

        // .NET does not make its children group leaders, so setsid calls setsid(2) and execs in place: the pid we
        // hold is the new session's and process group's id (a test checks this).
        var group = new ProcessGroup(process.Id, isGroup: _setsid is not null, _time, () => !process.HasExited);
        Log.Started(_logger, request.RunId, shell, process.Id, group.IsGroup);

        // Nothing feeds the command: a script that reads stdin gets end-of-file instead of hanging forever.
        process.StandardInput.Close();
        var launcherErrors = ReadCappedAsync(process.StandardError);

        using var pumpFailed = new CancellationTokenSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, pumpFailed.Token);
        using var abandon = new CancellationTokenSource();
        var pump = new OutputPump(process.StandardOutput.BaseStream, output);
        var reading = PumpAsync(pump, request.RunId, pumpFailed, abandon.Token);

        try
        {
            await process.WaitForExitAsync(stop.Token);
            if (await group.TerminateAsync(_options.KillGracePeriod))
            {
                Log.LeftoversTerminated(_logger, request.RunId, process.ExitCode, group.Id);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Log.Stopping(_logger, request.RunId, group.Id, _options.KillGracePeriod);
            await group.TerminateAsync(_options.KillGracePeriod);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        await DrainAsync(pump, reading, abandon, request.RunId);

        if (await ReadLauncherErrorsAsync(launcherErrors) is { Length: > 0 } launcherText)
        {
            // Only setsid or a shell that failed before `exec 2>&1` writes here; show it rather than lose it.
            await output.WriteAsync(launcherText.AsMemory(), CancellationToken.None);
        }

        return new ExecutionResult(process.ExitCode);
    }

    private ProcessStartInfo CreateStartInfo(ExecutionRequest request, ShellTaskConfiguration config, string shell)
    {
        var startInfo = new ProcessStartInfo
        {
            FileName = _setsid ?? shell,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = config.WorkingDirectory ?? string.Empty,
        };

        if (_setsid is not null)
        {
            // -w: should setsid ever have to fork, it still waits and passes the exit status on.
            startInfo.ArgumentList.Add("-w");
            startInfo.ArgumentList.Add(shell);
        }

        startInfo.ArgumentList.Add("-c");
        // On its own line so that a command ending in a comment or a here-document is untouched.
        startInfo.ArgumentList.Add("exec 2>&1\n" + config.Command);

        // The agent's environment (PATH, HOME...) is inherited, like cron; the task's variables come next, and the
        // run's GOPHERCRON_* variables last, so a script can trust them.
        foreach (var (name, value) in config.Environment)
        {
            startInfo.Environment[name] = value;
        }

        foreach (var (name, value) in request.Environment)
        {
            startInfo.Environment[name] = value;
        }

        return startInfo;
    }

    private async Task PumpAsync(OutputPump pump, long runId, CancellationTokenSource pumpFailed, CancellationToken abandon)
    {
        try
        {
            await pump.RunAsync(abandon);
        }
        catch (Exception e)
        {
            // Nobody reads the pipe any more: the command would block on a full pipe forever, so stop it.
            Log.OutputFailed(_logger, e, runId);
            await pumpFailed.CancelAsync();
            throw;
        }
    }

    private async Task DrainAsync(OutputPump pump, Task reading, CancellationTokenSource abandon, long runId)
    {
        while (!reading.IsCompleted)
        {
            var progress = pump.Progress;
            try
            {
                await reading.WaitAsync(_options.DrainTimeout, _time, CancellationToken.None);
            }
            catch (TimeoutException) when (pump.Progress == progress && pump.WaitingForPipe)
            {
                // Silence on the pipe although the whole group is gone: an escaped process holds it.
                Log.OutputAbandoned(_logger, runId, _options.DrainTimeout);
                await abandon.CancelAsync();
            }
            catch (TimeoutException)
            {
                // Still moving (a slow sink applying backpressure): keep draining.
            }
        }

        await reading;
    }

    private async Task<string> ReadLauncherErrorsAsync(Task<string> reading)
    {
        try
        {
            return await reading.WaitAsync(_options.DrainTimeout, _time, CancellationToken.None);
        }
        catch (TimeoutException)
        {
            // A shell that never ran `exec 2>&1` (not a POSIX shell) let a leftover keep stderr open.
            return string.Empty;
        }
    }

    private static async Task<string> ReadCappedAsync(StreamReader reader)
    {
        var buffer = new char[1024];
        var text = new System.Text.StringBuilder();
        int read;
        while ((read = await reader.ReadAsync(buffer, CancellationToken.None)) > 0)
        {
            if (text.Length < MaxLauncherErrorChars)
            {
                text.Append(buffer, 0, Math.Min(read, MaxLauncherErrorChars - text.Length));
            }
        }

        return text.ToString();
    }

    private static string? FindOnPath(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin").Append("/bin")
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
    }
}
