using System.Text.Json;

namespace GopherCron.Plugins.Abstractions;

/// <summary>Describes one execution handed to an executor.</summary>
public sealed record ExecutionRequest
{
    /// <summary>The run being executed; unique across the cluster.</summary>
    public required long RunId { get; init; }

    /// <summary>The task the run belongs to.</summary>
    public required long TaskId { get; init; }

    /// <summary>The project the task belongs to.</summary>
    public required long ProjectId { get; init; }

    /// <summary>The task's name, for messages.</summary>
    public required string TaskName { get; init; }

    /// <summary>The instant the run was scheduled for (the cron fire, or the request time of a manual run).</summary>
    public required DateTimeOffset ScheduledAt { get; init; }

    /// <summary>1 for the first attempt, 2 for the first retry, and so on.</summary>
    public required int Attempt { get; init; }

    /// <summary>How long the run may take; the cancellation token fires when it is exceeded.</summary>
    public required TimeSpan Timeout { get; init; }

    /// <summary>The task's executor configuration (its <c>config</c> object), already validated by <see cref="ITaskExecutor.Validate"/>.</summary>
    public required JsonElement Configuration { get; init; }

    /// <summary>
    /// Environment variables describing the run (<c>GOPHERCRON_TASK_ID</c>, <c>GOPHERCRON_PROJECT_ID</c>,
    /// <c>GOPHERCRON_RUN_ID</c>, <c>GOPHERCRON_SCHEDULED_AT</c>, <c>GOPHERCRON_ATTEMPT</c>); executors that start
    /// processes pass them on.
    /// </summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }
}
