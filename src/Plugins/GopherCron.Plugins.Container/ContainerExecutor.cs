using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Docker.DotNet;
using Docker.DotNet.Models;
using GopherCron.Plugins.Abstractions;
using Microsoft.Extensions.Logging;

namespace GopherCron.Plugins.Container;

/// <summary>
/// Runs the task in a new container: pulls the image per <c>pullPolicy</c>, creates and starts the container, streams
/// its stdout and stderr to the output as they arrive, and ends with the container's exit code. On kill or timeout the
/// container is stopped (SIGTERM, SIGKILL after the grace period); with <c>autoRemove</c> it is removed on every path.
/// </summary>
internal sealed class ContainerExecutor(IDockerClient docker, ContainerOptions options, TimeProvider time, ILogger<ContainerExecutor> logger)
    : ITaskExecutor
{
    private const int BlockSize = 8 * 1024;

    // Engine calls that are not the run itself (create, stop, remove) must not hang a run on a wedged engine.
    private static readonly TimeSpan ControlCallTimeout = TimeSpan.FromSeconds(60);

    public string Kind => "container";

    public ExecutorDescriptor Descriptor { get; } = new(
        "Container",
        "Runs the task in a new container on the agent's Docker engine and succeeds when the container exits with 0; " +
        "its stdout and stderr are the output.",
        ContainerTaskConfiguration.Schema);

    private string Address => options.DockerHost.OriginalString;

    public IReadOnlyList<ConfigurationError> Validate(JsonElement configuration)
    {
        ContainerTaskConfiguration.Parse(configuration, out var errors);
        return errors;
    }

    public async ValueTask<ExecutionResult> ExecuteAsync(
        ExecutionRequest request, IExecutionOutput output, CancellationToken cancellationToken)
    {
        var config = ContainerTaskConfiguration.Parse(request.Configuration, out var errors);
        if (config is null)
        {
            return ExecutionResult.Failed(
                "invalid configuration: " + string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")));
        }

        // The run's token already carries the run's timeout; the task's own timeout can only shorten it.
        using var timeout = new CancellationTokenSource(config.Timeout ?? Timeout.InfiniteTimeSpan, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        string? containerId = null;
        try
        {
            if (await EnsureImageAsync(config, request.RunId, output, linked.Token) is { } pullFailure)
            {
                return pullFailure;
            }

            // Not the run's token: a create cancelled half-way could leave a container whose id we never learnt.
            using (var createTimeout = new CancellationTokenSource(ControlCallTimeout, time))
            {
                containerId = (await docker.Containers.CreateContainerAsync(CreateParameters(config, request), createTimeout.Token)).ID;
            }

            linked.Token.ThrowIfCancellationRequested();
            await docker.Containers.StartContainerAsync(containerId, new ContainerStartParameters(), linked.Token);
            Log.Started(logger, request.RunId, containerId, config.Image);

            await StreamLogsAsync(containerId, output, linked.Token);
            var exit = await docker.Containers.WaitContainerAsync(containerId, linked.Token).WaitAsync(linked.Token);
            var exitCode = (int)Math.Clamp(exit.StatusCode, int.MinValue, int.MaxValue);
            return exitCode == 0 ? ExecutionResult.Succeeded : new ExecutionResult(exitCode, $"container exited with code {exitCode}");
        }
        catch (Exception) when (linked.IsCancellationRequested)
        {
            // Whatever a cancelled engine call throws (OperationCanceledException, or an IOException from the log stream
            // closed under it), the run was stopped, not broken.
            if (containerId is not null)
            {
                await StopAsync(containerId, request.RunId);
            }

            if (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                var seconds = config.Timeout!.Value.TotalSeconds.ToString(CultureInfo.InvariantCulture);
                await output.WriteLineAsync($"[container timed out after {seconds} s]", CancellationToken.None);
                return ExecutionResult.Failed($"container timed out after {seconds} s (timeoutSeconds)");
            }

            // Killed, timed out by the run, or the agent is stopping: the agent records which.
            return ExecutionResult.Failed(containerId is null ? "cancelled before the container started" : "container stopped");
        }
        catch (DockerApiException e)
        {
            var reason = EngineMessage(e);
            await output.WriteLineAsync($"[Docker engine error: {reason}]", CancellationToken.None);
            return ExecutionResult.Failed($"Docker engine error: {reason}");
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            Log.EngineUnreachable(logger, request.RunId, Address, e);
            // The client reports a missing socket file as "Cannot assign requested address"; say what is actually wrong.
            var reason = options.DockerHost.Scheme == "unix" && !File.Exists(options.DockerHost.LocalPath)
                ? $"the socket {options.DockerHost.LocalPath} does not exist (is the engine installed and running?)"
                : Reason(e);
            var message = $"cannot reach the Docker engine at {Address}: {reason}";
            await output.WriteLineAsync($"[{message}]", CancellationToken.None);
            return ExecutionResult.Failed(message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The contract: expected failures are results. Anything the client library throws is one for the user.
            await output.WriteLineAsync($"[container run failed: {Reason(e)}]", CancellationToken.None);
            return ExecutionResult.Failed($"container run failed: {Reason(e)}");
        }
        finally
        {
            if (containerId is not null && config.AutoRemove)
            {
                await RemoveAsync(containerId, request.RunId);
            }
        }
    }

    private static CreateContainerParameters CreateParameters(ContainerTaskConfiguration config, ExecutionRequest request)
    {
        var environment = new Dictionary<string, string>(config.Environment, StringComparer.Ordinal);
        foreach (var (name, value) in request.Environment)
        {
            // The run's own variables win: a task cannot make GOPHERCRON_RUN_ID lie.
            environment[name] = value;
        }

        var labels = new Dictionary<string, string>(config.Labels, StringComparer.Ordinal)
        {
            ["gophercron.run-id"] = request.RunId.ToString(CultureInfo.InvariantCulture),
            ["gophercron.task-id"] = request.TaskId.ToString(CultureInfo.InvariantCulture),
        };

        return new CreateContainerParameters
        {
            // Unique even when a crashed agent left the previous attempt's container behind.
            Name = $"gophercron-run-{request.RunId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("N")[..8]}",
            Image = config.Image,
            Cmd = config.Command?.ToList(),
            Env = [.. environment.Select(pair => $"{pair.Key}={pair.Value}")],
            Labels = labels,
            WorkingDir = config.WorkingDirectory,
            User = config.User,
            Tty = false,
            AttachStdout = true,
            AttachStderr = true,
            // The engine's own auto-remove would race with reading the exit code and the last logs; we remove it ourselves.
            HostConfig = new HostConfig { AutoRemove = false },
        };
    }

    /// <returns>Null when the image is there; otherwise the failed result.</returns>
    private async Task<ExecutionResult?> EnsureImageAsync(
        ContainerTaskConfiguration config, long runId, IExecutionOutput output, CancellationToken cancellationToken)
    {
        if (config.PullPolicy != PullPolicy.Always)
        {
            try
            {
                await docker.Images.InspectImageAsync(config.Image, cancellationToken);
                return null;
            }
            catch (DockerImageNotFoundException) when (config.PullPolicy == PullPolicy.Missing)
            {
                // Pulled below.
            }
            catch (DockerImageNotFoundException)
            {
                return ExecutionResult.Failed($"image {config.Image} is not on the agent and pullPolicy is \"never\"");
            }
        }

        Log.Pulling(logger, runId, config.Image);
        await output.WriteLineAsync($"[pulling {config.Image}]", cancellationToken);
        var (repository, tag) = ContainerTaskConfiguration.SplitReference(config.Image);
        var progress = new PullProgress();
        var writer = WritePullProgressAsync(progress.Lines.Reader, output, cancellationToken);
        string? failure = null;
        try
        {
            await docker.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = repository, Tag = tag }, null, progress, cancellationToken);
        }
        catch (DockerApiException e)
        {
            failure = EngineMessage(e);
        }
        finally
        {
            progress.Lines.Writer.TryComplete();
            await writer;
        }

        failure ??= progress.Error;
        if (failure is not null)
        {
            await output.WriteLineAsync($"[pull failed: {failure}]", CancellationToken.None);
            return ExecutionResult.Failed($"pulling {config.Image} failed: {failure}");
        }

        return null;
    }

    private static async Task WritePullProgressAsync(ChannelReader<string> lines, IExecutionOutput output, CancellationToken cancellationToken)
    {
        await foreach (var line in lines.ReadAllAsync(CancellationToken.None))
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                await output.WriteLineAsync(line, CancellationToken.None);
            }
        }
    }

    private async Task StreamLogsAsync(string containerId, IExecutionOutput output, CancellationToken cancellationToken)
    {
        using var stream = await docker.Containers.GetContainerLogsAsync(containerId, tty: false,
            new ContainerLogsParameters { Follow = true, ShowStdout = true, ShowStderr = true }, cancellationToken);
        // The library's socket reads do not all observe the token; closing the stream ends a blocked read.
        await using var closeOnCancel = cancellationToken.Register(stream.Dispose);
        var stdout = Encoding.UTF8.GetDecoder();
        var stderr = Encoding.UTF8.GetDecoder();
        var bytes = new byte[BlockSize];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(BlockSize)];
        while (true)
        {
            var read = await stream.ReadOutputAsync(bytes, 0, bytes.Length, cancellationToken).WaitAsync(cancellationToken);
            if (read.EOF)
            {
                foreach (var decoder in new[] { stdout, stderr })
                {
                    var tail = decoder.GetChars([], 0, 0, chars, 0, flush: true);
                    if (tail > 0)
                    {
                        await output.WriteAsync(chars.AsMemory(0, tail), cancellationToken);
                    }
                }

                return;
            }

            // stdout and stderr interleave as the engine frames them; each keeps its own partial UTF-8 sequence.
            var decoded = (read.Target == MultiplexedStream.TargetStream.StandardError ? stderr : stdout)
                .GetChars(bytes, 0, read.Count, chars, 0, flush: false);
            if (decoded > 0)
            {
                await output.WriteAsync(chars.AsMemory(0, decoded), cancellationToken);
            }
        }
    }

    private async Task StopAsync(string containerId, long runId)
    {
        Log.Stopping(logger, runId, containerId, options.StopGrace);
        using var stopTimeout = new CancellationTokenSource(options.StopGrace + ControlCallTimeout, time);
        try
        {
            await docker.Containers.StopContainerAsync(containerId,
                new ContainerStopParameters { WaitBeforeKillSeconds = (uint)Math.Ceiling(options.StopGrace.TotalSeconds) }, stopTimeout.Token);
        }
        catch (Exception e) when (e is not DockerContainerNotFoundException)
        {
            Log.StopFailed(logger, runId, containerId, e);
            try
            {
                using var killTimeout = new CancellationTokenSource(ControlCallTimeout, time);
                await docker.Containers.KillContainerAsync(containerId, new ContainerKillParameters(), killTimeout.Token);
            }
            catch (Exception killError)
            {
                Log.StopFailed(logger, runId, containerId, killError);
            }
        }
        catch (DockerContainerNotFoundException)
        {
            // Already gone.
        }
    }

    private async Task RemoveAsync(string containerId, long runId)
    {
        using var removeTimeout = new CancellationTokenSource(ControlCallTimeout, time);
        try
        {
            // Force: on a failure path the container may still be running.
            await docker.Containers.RemoveContainerAsync(containerId, new ContainerRemoveParameters { Force = true }, removeTimeout.Token);
        }
        catch (DockerContainerNotFoundException)
        {
            // Already gone.
        }
        catch (Exception e)
        {
            Log.RemoveFailed(logger, runId, containerId, e);
        }
    }

    private static bool IsUnreachable(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (current is HttpRequestException or SocketException or IOException or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The exception's message followed by those of its causes, without repeats.</summary>
    private static string Reason(Exception e)
    {
        var parts = new List<string>();
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (!parts.Any(part => part.Contains(current.Message, StringComparison.Ordinal)))
            {
                parts.Add(current.Message);
            }
        }

        return string.Join(": ", parts);
    }

    private static string EngineMessage(DockerApiException e)
    {
        try
        {
            using var body = JsonDocument.Parse(e.ResponseBody);
            if (body.RootElement.TryGetProperty("message", out var message) && message.GetString() is { Length: > 0 } text)
            {
                return text;
            }
        }
        catch (JsonException)
        {
            // Not the engine's JSON error body: fall back to the library's message.
        }

        return e.Message;
    }

    /// <summary>Turns the engine's pull messages into a few output lines, leaving out the progress-bar updates.</summary>
    private sealed class PullProgress : IProgress<JSONMessage>
    {
        public Channel<string> Lines { get; } = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

        public string? Error { get; private set; }

        public void Report(JSONMessage value)
        {
            var error = value.Error?.Message is { Length: > 0 } message ? message : value.ErrorMessage;
            if (!string.IsNullOrEmpty(error))
            {
                Error = error;
                return;
            }

            if (!string.IsNullOrEmpty(value.ProgressMessage) || string.IsNullOrEmpty(value.Status)
                || value.Status is "Downloading" or "Extracting" or "Waiting" or "Verifying Checksum")
            {
                return;
            }

            Lines.Writer.TryWrite(string.IsNullOrEmpty(value.ID) ? $"[pull] {value.Status}" : $"[pull] {value.ID}: {value.Status}");
        }
    }
}
