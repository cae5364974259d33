using FluentValidation;
using GopherCron.Modules.Shared.Validation;
using GopherCron.Modules.Tasks.Domain.Cron;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace GopherCron.Modules.Tasks.Features;

internal sealed record PreviewCronQuery(string? Expression, string? TimeZone, int? Count)
{
    public const int MaxCount = 100;

    public static ValueTask<PreviewCronQuery?> BindAsync(HttpContext context)
    {
        var q = context.Request.Query;
        int? count = q["count"].Count == 0 ? null : int.TryParse(q["count"][0], out var n) ? n : int.MinValue;
        return ValueTask.FromResult<PreviewCronQuery?>(new(q["expression"].FirstOrDefault(), q["timeZone"].FirstOrDefault(), count));
    }
}

internal sealed record PreviewCronResponse(string Expression, string TimeZone, double ShortestIntervalSeconds, IReadOnlyList<DateTimeOffset> Next);

internal sealed class PreviewCronQueryValidator : AbstractValidator<PreviewCronQuery>
{
    public PreviewCronQueryValidator(IOptions<TasksOptions> options)
    {
        RuleFor(q => q.Expression).NotEmpty().WithMessage("expression is required.")
            .Custom((expression, context) =>
            {
                if (!string.IsNullOrWhiteSpace(expression) && !CronSchedule.TryParse(expression, out var schedule, out var error))
                {
                    context.AddFailure(error);
                }
            });
        RuleFor(q => q.TimeZone).Custom((zone, context) =>
        {
            if (!string.IsNullOrEmpty(zone) && !TimeZones.TryFind(zone, out _, out var error))
            {
                context.AddFailure(error);
            }
        });
        RuleFor(q => q.Count).InclusiveBetween(1, PreviewCronQuery.MaxCount).When(q => q.Count is not null)
            .WithMessage($"count must be a whole number from 1 to {PreviewCronQuery.MaxCount}.");
    }
}

internal static class PreviewCron
{
    public static RouteHandlerBuilder MapPreviewCron(this IEndpointRouteBuilder group) =>
        group.MapGet("/cron/preview", Handle)
            .WithName(nameof(PreviewCron))
            .WithValidation<PreviewCronQuery>();

    private static IResult Handle(PreviewCronQuery query, IOptions<TasksOptions> options, TimeProvider clock)
    {
        var schedule = CronSchedule.Parse(query.Expression!);
        var zoneId = string.IsNullOrEmpty(query.TimeZone) ? options.Value.DefaultTimeZone : query.TimeZone;
        TimeZones.TryFind(zoneId, out var zone, out _);
        var next = new List<DateTimeOffset>();
        var at = clock.GetUtcNow();
        for (var i = 0; i < (query.Count ?? 5); i++)
        {
            if (schedule.GetNextOccurrence(at, zone!) is not { } fire)
            {
                break;
            }

            next.Add(fire);
            at = fire;
        }

        return TypedResults.Ok(new PreviewCronResponse(schedule.Expression, zoneId, schedule.ShortestInterval.TotalSeconds, next));
    }
}
