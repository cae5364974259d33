namespace GopherCron.Modules.Tasks.Domain;

/// <summary>
/// Decides what to do about the fires a task missed while no scheduler ran it (downtime, failover, overload).
/// Fires less late than the misfire threshold are simply late and run as usual; older ones follow the task's policy.
/// </summary>
internal static class MisfirePlanner
{
    /// <param name="task">The task.</param>
    /// <param name="lastHandled">The latest fire already claimed for the task, if any.</param>
    /// <param name="now">The present.</param>
    /// <param name="threshold">How late a fire may be and still count as on time.</param>
    /// <param name="maxFires">The most missed fires caught up at once; older ones are skipped.</param>
    public static MisfirePlan Plan(CronTask task, DateTimeOffset? lastHandled, DateTimeOffset now, TimeSpan threshold, int maxFires)
    {
        // Fires at or before the definition's last change belong to an older schedule (or a paused task).
        var anchor = lastHandled is { } last && last > task.ChangedAt ? last : task.ChangedAt;
        var onTimeFrom = now - threshold;

        var late = new List<DateTimeOffset>();
        for (var next = task.NextFireAfter(anchor > onTimeFrom ? anchor : onTimeFrom); next is { } at && at <= now; next = task.NextFireAfter(at))
        {
            late.Add(at);
        }

        var plan = new MisfirePlan(late, [], null, task.NextFireAfter(now));
        if (anchor >= onTimeFrom)
        {
            return plan;
        }

        var windowStart = now - task.CatchUpWindow;
        switch (task.Misfire)
        {
            case MisfirePolicy.Skip:
                return plan with { SkippedUpTo = LastIn(task, anchor, onTimeFrom) };

            case MisfirePolicy.FireOnce:
                var newest = LastIn(task, anchor, onTimeFrom);
                return newest is { } once && once > windowStart
                    ? plan with { CatchUp = [once] }
                    : plan with { SkippedUpTo = newest };

            default:
                DateTimeOffset? skipped = anchor < windowStart ? LastIn(task, anchor, windowStart) : null;
                var missed = new Queue<DateTimeOffset>();
                for (var next = task.NextFireAfter(anchor > windowStart ? anchor : windowStart); next is { } at && at <= onTimeFrom; next = task.NextFireAfter(at))
                {
                    missed.Enqueue(at);
                    if (missed.Count > maxFires)
                    {
                        skipped = missed.Dequeue();
                    }
                }

                return plan with { CatchUp = missed.ToList(), SkippedUpTo = skipped };
        }
    }

    /// <summary>
    /// The latest fire in (after, atOrBefore]. Searches backwards from the end in doubling spans, so the work is
    /// proportional to the fires near the end, not to everything since <paramref name="after"/>.
    /// </summary>
    public static DateTimeOffset? LastIn(CronTask task, DateTimeOffset after, DateTimeOffset atOrBefore)
    {
        var span = task.Schedule.ShortestInterval > TimeSpan.FromSeconds(1) ? task.Schedule.ShortestInterval : TimeSpan.FromSeconds(1);
        while (true)
        {
            var start = atOrBefore - span > after ? atOrBefore - span : after;
            DateTimeOffset? found = null;
            for (var next = task.NextFireAfter(start); next is { } at && at <= atOrBefore; next = task.NextFireAfter(at))
            {
                found = at;
            }

            if (found is not null || start == after)
            {
                return found;
            }

            span *= 2;
        }
    }
}

/// <param name="Late">Fires within the threshold: run as ordinary cron fires.</param>
/// <param name="CatchUp">Missed fires to run per the policy, oldest first.</param>
/// <param name="SkippedUpTo">The newest missed fire that will not run, recorded as skipped; null when none.</param>
/// <param name="Next">The first fire after now.</param>
internal sealed record MisfirePlan(
    IReadOnlyList<DateTimeOffset> Late,
    IReadOnlyList<DateTimeOffset> CatchUp,
    DateTimeOffset? SkippedUpTo,
    DateTimeOffset? Next);
