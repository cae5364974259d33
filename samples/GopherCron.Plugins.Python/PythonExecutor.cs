using System.ComponentModel;
using System.Diagnostics;
using GopherCron.Plugins.Abstractions;

namespace GopherCron.Plugins.Python;

/// <summary>
/// Runs a task's inline Python script: written to a temp file, run by the interpreter, output streamed line by line,
/// the whole process tree killed when the run is cancelled (timeout, manual kill, agent shutdown).
/// </summary>
internal sealed class PythonExecutor(string defaultInterpreter) : ITaskExecutor
{
    public string Kind => "python";

    public ExecutorDescriptor Descriptor { get; } = new(
        "Python script",
        "Runs an inline Python script with python3 (or the interpreter you name), passing arguments and environment variables.",
        PythonConfiguration.Schema);

    public IReadOnlyList<ConfigurationError> Validate(System.Text.Json.JsonElement configuration)
    {
        PythonConfiguration.Parse(configuration, out var errors);
        return errors;
    }

    public async ValueTask<ExecutionResult> ExecuteAsync(ExecutionRequest request, IExecutionOutput output, CancellationToken cancellationToken)
    {
        if (PythonConfiguration.Parse(request.Configuration, out var errors) is not { } config)
        {
            return ExecutionResult.Failed(string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")));
        }

        var scriptPath = Path.Combine(Path.GetTempPath(), $"gophercron-run-{request.RunId}-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(scriptPath, config.Script, CancellationToken.None);
        try
        {
            var start = new ProcessStartInfo(config.Interpreter ?? defaultInterpreter)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(scriptPath);
            foreach (var arg in config.Args)
            {
                start.ArgumentList.Add(arg);
            }

            foreach (var (name, value) in request.Environment.Concat(config.Environment))
            {
                start.Environment[name] = value;
            }

            // Without this Python block-buffers a pipe, and followers would see nothing until the script ends.
            start.Environment["PYTHONUNBUFFERED"] = "1";

            using var process = new Process { StartInfo = start };
            try
            {
                process.Start();
            }
            catch (Win32Exception e)
            {
                return new ExecutionResult(127, $"could not start {start.FileName}: {e.Message}");
            }

            process.StandardInput.Close();
            var gate = new SemaphoreSlim(1, 1);
            var pumps = Task.WhenAll(
                PumpAsync(process.StandardOutput, output, gate),
                PumpAsync(process.StandardError, output, gate));
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // A sample keeps it short: the runtime's tree kill (no grace period, unlike the shell plugin's SIGTERM first).
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                await pumps.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                return new ExecutionResult(process.ExitCode, "killed: the run was cancelled");
            }

            await pumps;
            return process.ExitCode == 0
                ? ExecutionResult.Succeeded
                : new ExecutionResult(process.ExitCode, $"python exited with code {process.ExitCode}");
        }
        finally
        {
            File.Delete(scriptPath);
        }
    }

    private static async Task PumpAsync(StreamReader reader, IExecutionOutput output, SemaphoreSlim gate)
    {
        // Output writes are not thread-safe: stdout and stderr take turns, a line at a time.
        while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
        {
            await gate.WaitAsync(CancellationToken.None);
            try
            {
                await output.WriteLineAsync(line, CancellationToken.None);
            }
            finally
            {
                gate.Release();
            }
        }
    }
}
