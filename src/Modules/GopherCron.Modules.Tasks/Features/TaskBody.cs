using System.Text.Json;
using FluentValidation;
using GopherCron.Modules.Tasks.Contracts;
using GopherCron.Modules.Tasks.Dispatching;
using GopherCron.Modules.Tasks.Domain;
using GopherCron.Modules.Tasks.Domain.Cron;
using Microsoft.Extensions.Options;

namespace GopherCron.Modules.Tasks.Features;

/// <summary>A task definition as clients send it (create and update). Absent optional fields take their defaults.</summary>
internal sealed record TaskBody
{
    public string? Name { get; init; }
    public string? Cron { get; init; }
    public string? TimeZone { get; init; }
    public string? Executor { get; init; }
    public JsonElement? Config { get; init; }
    public int? TimeoutSeconds { get; init; }
    public bool? Enabled { get; init; }
    public string? Overlap { get; init; }
    public string? Misfire { get; init; }
    public int? CatchUpWindowSeconds { get; init; }
    public bool? Parallel { get; init; }
    public RetryBody? Retry { get; init; }
    public string? Remark { get; init; }

    /// <summary>Labels an agent must carry (every key with exactly this value) to run the task.</summary>
    public Dictionary<string, string>? Labels { get; init; }

    public const int DefaultTimeoutSeconds = 300;
    public const int MaxTimeoutSeconds = 7 * 24 * 3600;

    public string ExecutorOrDefault => string.IsNullOrWhiteSpace(Executor) ? "shell" : Executor.Trim().ToLowerInvariant();

    public string ConfigJson => Config is { ValueKind: JsonValueKind.Object } c ? c.GetRawText() : "{}";

    /// <summary>Writes the (validated) definition onto a row; absent optional fields take their defaults.</summary>
    public void ApplyTo(Data.TaskRow row)
    {
        row.Name = Name!;
        row.Cron = Cron!.Trim();
        row.TimeZone = TimeZone;
        row.Executor = ExecutorOrDefault;
        row.ConfigJson = ConfigJson;
        row.TimeoutSeconds = TimeoutSeconds ?? DefaultTimeoutSeconds;
        row.Enabled = Enabled ?? true;
        row.Overlap = Overlap ?? "allow";
        row.Misfire = Misfire ?? "skip";
        row.CatchUpSeconds = CatchUpWindowSeconds;
        row.Parallel = Parallel ?? false;
        row.RetryAttempts = Retry?.Attempts ?? 0;
        row.RetryBackoffSeconds = Retry?.BackoffSeconds ?? 0;
        row.Remark = Remark ?? "";
        row.RequiredLabels = AgentLabels.Serialize(Labels);
        row.ScheduleError = null;
    }
}

internal sealed record RetryBody(int? Attempts, int? BackoffSeconds);

internal sealed class TaskBodyValidator : AbstractValidator<TaskBody>
{
    public TaskBodyValidator(IOptions<TasksOptions> options, IExecutorDirectory executors, AgentRegistry registry, EtcdAgentDirectory agents)
    {
        var settings = options.Value;
        RuleFor(b => b.Name).NotEmpty().WithMessage("name is required.")
            .MaximumLength(100).WithMessage("name must be at most 100 characters.")
            .Must(n => n is null || !n.Any(char.IsControl)).WithMessage("name must not contain control characters.")
            .Must(n => n is null || n.Trim() == n).WithMessage("name must not start or end with spaces.");

        RuleFor(b => b.Cron).NotEmpty().WithMessage("cron is required.")
            .MaximumLength(200).WithMessage("cron must be at most 200 characters.")
            .Custom((cron, context) =>
            {
                if (string.IsNullOrWhiteSpace(cron) || cron.Length > 200)
                {
                    return;
                }

                if (!CronSchedule.TryParse(cron, out var schedule, out var error))
                {
                    context.AddFailure(error);
                }
                else if (schedule.ShortestInterval < settings.MinimumPeriod)
                {
                    context.AddFailure($"The schedule can fire every {schedule.ShortestInterval.TotalSeconds:0.###} s; the minimum period is {settings.MinimumPeriod.TotalSeconds:0.###} s.");
                }
            });

        RuleFor(b => b.TimeZone).Custom((zone, context) =>
        {
            if (zone is not null && !TimeZones.TryFind(zone, out _, out var error))
            {
                context.AddFailure(error);
            }
        });

        RuleFor(b => b.Executor).Custom((_, context) =>
        {
            var body = context.InstanceToValidate;
            var kind = body.ExecutorOrDefault;
            if (body.Config is { } config && config.ValueKind != JsonValueKind.Object)
            {
                context.AddFailure("config", "config must be a JSON object.");
                return;
            }

            using var empty = JsonDocument.Parse("{}");
            var problems = executors.Validate(kind, body.Config ?? empty.RootElement.Clone());
            if (problems is null)
            {
                // Unknown to the host: an online agent's plugin vouches for it (its config is checked when it runs).
                // Offered by nobody, it is far more likely a typo than a plugin yet to come, so it is refused.
                var online = OnlineAgent.All(registry, agents);
                if (!online.Any(a => a.Offers(kind)))
                {
                    var known = executors.Kinds.Concat(online.SelectMany(a => a.Executors)).Select(k => k.ToLowerInvariant()).Distinct().Order();
                    context.AddFailure("executor", $"The executor '{kind}' is not installed on the host and no online agent offers it; known: {string.Join(", ", known)}.");
                }

                return;
            }

            foreach (var (field, message) in problems)
            {
                context.AddFailure("config." + field, message);
            }
        });

        RuleFor(b => b.TimeoutSeconds).InclusiveBetween(1, TaskBody.MaxTimeoutSeconds).When(b => b.TimeoutSeconds is not null)
            .WithMessage($"timeoutSeconds must be from 1 to {TaskBody.MaxTimeoutSeconds}.");
        RuleFor(b => b.Overlap).Must(o => PolicyNames.Overlap.Contains(o)).When(b => b.Overlap is not null)
            .WithMessage("overlap must be allow, forbid or replace.");
        RuleFor(b => b.Misfire).Must(m => PolicyNames.Misfire.Contains(m)).When(b => b.Misfire is not null)
            .WithMessage("misfire must be skip, fireOnce or fireAll.");
        RuleFor(b => b.CatchUpWindowSeconds).InclusiveBetween(1, 30 * 24 * 3600).When(b => b.CatchUpWindowSeconds is not null)
            .WithMessage("catchUpWindowSeconds must be from 1 to 2592000 (30 days).");
        RuleFor(b => b.Retry!.Attempts).InclusiveBetween(0, 10).When(b => b.Retry?.Attempts is not null)
            .OverridePropertyName("retry.attempts").WithMessage("retry.attempts must be from 0 to 10.");
        RuleFor(b => b.Retry!.BackoffSeconds).InclusiveBetween(0, 86400).When(b => b.Retry?.BackoffSeconds is not null)
            .OverridePropertyName("retry.backoffSeconds").WithMessage("retry.backoffSeconds must be from 0 to 86400.");
        RuleFor(b => b.Remark).MaximumLength(1000).WithMessage("remark must be at most 1000 characters.");
        RuleFor(b => b.Labels).Custom((labels, context) =>
        {
            if (labels is not null && AgentLabels.Validate(labels) is { } error)
            {
                context.AddFailure(error);
            }
        });
    }
}
