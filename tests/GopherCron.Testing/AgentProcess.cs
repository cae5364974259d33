using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace GopherCron.Testing;

/// <summary>
/// A real standalone agent process (<c>gophercron-agent</c>). <see cref="StopAsync"/> sends SIGTERM (graceful: runs are
/// killed and their results delivered), <see cref="KillAsync"/> SIGKILL (the machine died).
/// </summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly StringBuilder _log = new();
    private readonly Process _process;

    private AgentProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

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

    /// <summary>Starts the agent from <paramref name="agentDll"/>; it connects by itself (see <see cref="WaitForLogAsync"/>).</summary>
    public static AgentProcess Start(string agentDll, string name, IEnumerable<string> hosts, IDictionary<string, string>? settings = null)
    {
        var workingDirectory = Path.Combine(Path.GetTempPath(), "gophercron-agent-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(workingDirectory);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(agentDll);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        start.Environment["Agent__Name"] = name;
        start.Environment["Agent__Hosts"] = string.Join(",", hosts);
        start.Environment["Agent__ReconnectDelay"] = "00:00:00.200";
        start.Environment["Agent__MaxReconnectDelay"] = "00:00:01";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the agent");
        var agent = new AgentProcess(process, name);
        process.OutputDataReceived += (_, e) => agent.Append(e.Data);
        process.ErrorDataReceived += (_, e) => agent.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return agent;
    }

    /// <summary>Waits until the agent's log contains <paramref name="text"/> (after <paramref name="after"/> characters).</summary>
    public async Task WaitForLogAsync(string text, int after = 0, int seconds = 30)
    {
        var deadline = Stopwatch.StartNew();
        while (Log.IndexOf(text, Math.Min(after, Log.Length), StringComparison.Ordinal) < 0)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                throw new TimeoutException($"Agent {Name} never logged '{text}':\n{Log}");
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Agent {Name} exited with code {_process.ExitCode}:\n{Log}");
            }

            await Task.Delay(50);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    /// <summary>Graceful stop (SIGTERM), waiting for the process to exit.</summary>
    public Task StopAsync() => ProcessSignals.StopAsync(_process);

    /// <summary>Crash: SIGKILL; the runs' shells live on as orphans, as on a real machine.</summary>
    public Task KillAsync() => ProcessSignals.KillAsync(_process);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }
}
