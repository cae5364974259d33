using System.Globalization;
using System.Text.Json;
using GopherCron.Agent.Plugins;
using GopherCron.Agent.Protocol;
using GopherCron.Plugins.Abstractions;
using Microsoft.Extensions.Logging;

namespace GopherCron.Agent;

/// <summary>
/// Executes the runs a host dispatches and reports them back over an <see cref="IHostLink"/>: RunStarted, RunOutput
/// (in order, numbered from 1) and exactly one RunFinished per admitted run; a refused dispatch gets a single
/// RunFinished with <see cref="RunOutcome.Rejected"/>.
/// </summary>
/// <remarks>
/// Fencing: the agent remembers the highest leader term it has seen and rejects dispatches from lower terms, so a
/// deposed leader cannot get a run executed. A dispatch for a run that is already running is ignored (dispatch is
/// idempotent while the run is active). Runs execute on their own tasks: <see cref="HandleAsync"/> returns once a
/// dispatch is admitted or refused.
/// </remarks>
public sealed class AgentRuntime
{
    private readonly IHostLink _link;
    private readonly ExecutorCatalog _catalog;
    private readonly AgentOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AgentRuntime> _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<long, ActiveRun> _runs = [];
    private readonly CancellationTokenSource _abort = new();
    private long _highestTerm;
    private bool _stopping;

    /// <summary>Creates a runtime; it accepts dispatches at once.</summary>
    /// <param name="link">The uplink to the host.</param>
    /// <param name="catalog">The executors this agent offers.</param>
    /// <param name="options">The agent's settings.</param>
    /// <param name="timeProvider">The clock for timestamps, timeouts and output batching.</param>
    /// <param name="logger">Logging.</param>
    public AgentRuntime(
        IHostLink link, ExecutorCatalog catalog, AgentOptions options, TimeProvider timeProvider, ILogger<AgentRuntime> logger)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxConcurrentRuns);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.OutputChunkSize, 1);
        _link = link;
        _catalog = catalog;
        _options = options;
        _time = timeProvider;
        _logger = logger;
    }

    /// <summary>The agent's name.</summary>
    public string Name => _options.Name;

    /// <summary>The highest leader term seen in a dispatch.</summary>
    public long HighestTerm
    {
        get
        {
            lock (_gate)
            {
                return _highestTerm;
            }
        }
    }

    /// <summary>The runs admitted and not yet reported finished; what the agent reports as held after a reconnect.</summary>
    public IReadOnlyCollection<long> ActiveRunIds
    {
        get
        {
            lock (_gate)
            {
                return [.. _runs.Keys];
            }
        }
    }

    /// <summary>The executor kinds this agent can run.</summary>
    public IReadOnlyCollection<string> Kinds => _catalog.Kinds;

    /// <summary>Handles a message from the host: a <see cref="DispatchRun"/> or a <see cref="KillRun"/>.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels sending a rejection; never cancels an admitted run.</param>
    public ValueTask HandleAsync(HostMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        switch (message)
        {
            case DispatchRun dispatch:
                return DispatchAsync(dispatch, cancellationToken);
            case KillRun kill:
                Kill(kill);
                return ValueTask.CompletedTask;
            default:
                Log.UnknownMessage(_logger, message.GetType().Name);
                return ValueTask.CompletedTask;
        }
    }

    /// <summary>
    /// Refuses new dispatches, kills every active run with the reason "agent shutting down" and waits until each
    /// one's RunFinished has been sent.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting; pending sends are abandoned.</param>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        List<ActiveRun> runs;
        lock (_gate)
        {
            _stopping = true;
            runs = [.. _runs.Values];
        }

        foreach (var run in runs)
        {
            run.Kill("agent shutting down");
        }

        try
        {
            await Task.WhenAll(runs.Select(r => r.Finished.Task)).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await _abort.CancelAsync();
            throw;
        }
    }

    private async ValueTask DispatchAsync(DispatchRun dispatch, CancellationToken cancellationToken)
    {
        var runId = dispatch.RunId;
        string? rejection;
        lock (_gate)
        {
            // Duplicates first, whatever their term: answering "rejected" about a run that is in fact running would
            // give it two RunFinished messages.
            if (_runs.ContainsKey(runId))
            {
                Log.DuplicateDispatch(_logger, runId);
                return;
            }

            rejection = CheckTerm(dispatch);
        }

        var spec = dispatch.Spec;
        ITaskExecutor? executor = null;
        var configuration = default(JsonElement);
        if (rejection is null && !_catalog.TryGet(spec.Executor, out executor))
        {
            rejection = $"executor '{spec.Executor}' is not available on agent {_options.Name}";
        }

        rejection ??= ParseConfiguration(spec.ConfigurationJson, executor!, out configuration);
        if (rejection is not null)
        {
            await RejectAsync(runId, rejection, cancellationToken);
            return;
        }

        ActiveRun run;
        lock (_gate)
        {
            if (_runs.ContainsKey(runId))
            {
                Log.DuplicateDispatch(_logger, runId);
                return;
            }

            // Checked again: a higher term may have arrived while the configuration was being validated.
            rejection = CheckTerm(dispatch);
            if (rejection is null && _stopping)
            {
                rejection = $"agent {_options.Name} is shutting down";
            }
            else if (rejection is null && _options.MaxConcurrentRuns > 0 && _runs.Count >= _options.MaxConcurrentRuns)
            {
                rejection = $"agent {_options.Name} is at its limit of {_options.MaxConcurrentRuns} concurrent runs";
            }

            run = new ActiveRun(dispatch, _time);
            if (rejection is null)
            {
                _runs.Add(runId, run);
            }
        }

        if (rejection is not null)
        {
            run.Dispose();
            await RejectAsync(runId, rejection, cancellationToken);
            return;
        }

        _ = Task.Run(() => ExecuteAsync(run, executor!, configuration), CancellationToken.None);
    }

    // Caller holds _gate.
    private string? CheckTerm(DispatchRun dispatch)
    {
        if (dispatch.Term < _highestTerm)
        {
            return $"stale leader term {dispatch.Term} < {_highestTerm}";
        }

        _highestTerm = dispatch.Term;
        return null;
    }

    private static string? ParseConfiguration(string json, ITaskExecutor executor, out JsonElement configuration)
    {
        configuration = default;
        try
        {
            using var document = JsonDocument.Parse(json);
            configuration = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return $"invalid configuration JSON: {e.Message}";
        }

        IReadOnlyList<ConfigurationError> errors;
        try
        {
            errors = executor.Validate(configuration);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"the '{executor.Kind}' executor failed to validate the configuration: {e.Message}";
        }

        return errors.Count == 0
            ? null
            : "invalid configuration: " + string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}"));
    }

    private void Kill(KillRun kill)
    {
        ActiveRun? run;
        lock (_gate)
        {
            _runs.TryGetValue(kill.RunId, out run);
        }

        if (run is null)
        {
            Log.KillUnknownRun(_logger, kill.RunId);
            return;
        }

        Log.Killing(_logger, kill.RunId, kill.Reason);
        run.Kill(kill.Reason);
    }

    private async Task ExecuteAsync(ActiveRun run, ITaskExecutor executor, JsonElement configuration)
    {
        var spec = run.Dispatch.Spec;
        var output = new RunOutputSink(run.RunId, _link, _options, _time, _logger, _abort.Token);
        try
        {
            var request = new ExecutionRequest
            {
                RunId = run.RunId,
                TaskId = spec.TaskId,
                ProjectId = spec.ProjectId,
                TaskName = spec.TaskName,
                ScheduledAt = spec.ScheduledAt,
                Attempt = spec.Attempt,
                Timeout = spec.Timeout,
                Configuration = configuration,
                Environment = BuildEnvironment(run.RunId, spec),
            };

            var startedAt = _time.GetUtcNow();
            await SendAsync(new RunStarted(run.RunId, startedAt));
            Log.RunStarted(_logger, run.RunId, spec.Executor, startedAt - spec.ScheduledAt);
            run.StartTimeout();

            ExecutionResult? result = null;
            Exception? failure = null;
            try
            {
                result = await executor.ExecuteAsync(request, output, run.Token);
            }
            catch (OperationCanceledException) when (run.Token.IsCancellationRequested)
            {
                // Throwing on cancellation is a legitimate way to honour it; the stop reason says what happened.
            }
            catch (Exception e)
            {
                failure = e;
                Log.ExecutorFailed(_logger, e, run.RunId, spec.Executor);
            }

            run.MarkCompleted();
            await output.CompleteAsync();

            var finished = Decide(run, result, failure);
            await SendAsync(finished);
            Log.RunFinished(_logger, run.RunId, finished.Outcome, finished.ExitCode, finished.Error);
        }
        catch (Exception e)
        {
            // Only the uplink can get here (SendAsync logs its own failures); keep the agent alive regardless.
            Log.RunCrashed(_logger, e, run.RunId);
        }
        finally
        {
            lock (_gate)
            {
                _runs.Remove(run.RunId);
            }

            run.Dispose();
            run.Finished.TrySetResult();
        }
    }

    private RunFinished Decide(ActiveRun run, ExecutionResult? result, Exception? failure)
    {
        var now = _time.GetUtcNow();
        if (run.Stop is { } stop)
        {
            return new RunFinished(run.RunId, stop.Outcome, result?.ExitCode, stop.Error, now);
        }

        if (failure is not null || result is null)
        {
            return new RunFinished(run.RunId, RunOutcome.Failed, null, failure?.Message ?? "the executor was cancelled without a reason", now);
        }

        return result.ExitCode == 0
            ? new RunFinished(run.RunId, RunOutcome.Succeeded, 0, null, now)
            : new RunFinished(run.RunId, RunOutcome.Failed, result.ExitCode, result.Error ?? $"exit code {result.ExitCode}", now);
    }

    private static Dictionary<string, string> BuildEnvironment(long runId, RunSpec spec) => new(StringComparer.Ordinal)
    {
        ["GOPHERCRON_TASK_ID"] = spec.TaskId.ToString(CultureInfo.InvariantCulture),
        ["GOPHERCRON_PROJECT_ID"] = spec.ProjectId.ToString(CultureInfo.InvariantCulture),
        ["GOPHERCRON_RUN_ID"] = runId.ToString(CultureInfo.InvariantCulture),
        ["GOPHERCRON_SCHEDULED_AT"] = spec.ScheduledAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["GOPHERCRON_ATTEMPT"] = spec.Attempt.ToString(CultureInfo.InvariantCulture),
    };

    private async Task RejectAsync(long runId, string reason, CancellationToken cancellationToken)
    {
        Log.RunRejected(_logger, runId, reason);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _abort.Token);
        await SendAsync(new RunFinished(runId, RunOutcome.Rejected, null, reason, _time.GetUtcNow()), linked.Token);
    }

    private Task SendAsync(AgentMessage message) => SendAsync(message, _abort.Token);

    private async Task SendAsync(AgentMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await _link.SendAsync(message, cancellationToken);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Redelivery after a reconnect is the link's job; the runtime must keep going either way.
            Log.SendFailed(_logger, e, message.GetType().Name, message.RunId);
        }
    }
}
