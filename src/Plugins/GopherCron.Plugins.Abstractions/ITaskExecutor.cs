namespace GopherCron.Plugins.Abstractions;

/// <summary>
/// Executes one kind of task (for example <c>shell</c> or <c>http</c>).
/// One instance serves many runs and may be called concurrently.
/// </summary>
public interface ITaskExecutor
{
    /// <summary>Stable identifier that task definitions use to select this executor, in lower case (for example <c>shell</c>).</summary>
    string Kind { get; }

    /// <summary>Describes the executor and the shape of its configuration, so that clients can draw a form.</summary>
    ExecutorDescriptor Descriptor { get; }

    /// <summary>
    /// Checks a task's executor configuration before it is saved.
    /// </summary>
    /// <param name="configuration">The task's <c>config</c> object as sent by the client.</param>
    /// <returns>Every problem found, each naming the configuration field; empty when the configuration is valid.</returns>
    IReadOnlyList<ConfigurationError> Validate(System.Text.Json.JsonElement configuration);

    /// <summary>Runs a single task execution.</summary>
    /// <param name="request">What to run, with the run's metadata, its configuration, timeout and environment.</param>
    /// <param name="output">Sink for output as it is produced; text is streamed live to followers and stored capped.</param>
    /// <param name="cancellationToken">
    /// Signalled on timeout, on a manual kill and on agent shutdown. It must be honoured: stop the work
    /// (and everything it started) and return promptly.
    /// </param>
    /// <returns>The outcome. Expected failures (a non-zero exit code, an unreachable URL) are reported here, not thrown.</returns>
    ValueTask<ExecutionResult> ExecuteAsync(ExecutionRequest request, IExecutionOutput output, CancellationToken cancellationToken);
}
