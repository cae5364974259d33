using GopherCron.Modules.Tasks.Domain;
using static GopherCron.Tasks.Tests.Scheduling.TaskFactory;

namespace GopherCron.Tasks.Tests.Scheduling;

public sealed class MisfirePlannerTests
{
    private static readonly TimeSpan Threshold = TimeSpan.FromSeconds(5);

    [Fact]
    public void A_scheduler_that_was_never_away_has_nothing_to_catch_up()
    {
        var task = Every("*/10 * * * * *");
        var plan = MisfirePlanner.Plan(task, Epoch.AddSeconds(-10), Epoch.AddSeconds(3), Threshold, 1000);

        plan.Late.ShouldBe([Epoch]);
        plan.CatchUp.ShouldBeEmpty();
        plan.SkippedUpTo.ShouldBeNull();
        plan.Next.ShouldBe(Epoch.AddSeconds(10));
    }

    [Fact]
    public void Skip_records_the_newest_missed_fire_as_skipped_and_runs_nothing_for_the_gap()
    {
        var task = Every("0 * * * * *", MisfirePolicy.Skip);
        // Down from 12:00:00 (last fire) to 12:10:30.
        var plan = MisfirePlanner.Plan(task, Epoch, Epoch.AddMinutes(10).AddSeconds(30), Threshold, 1000);

        plan.CatchUp.ShouldBeEmpty();
        plan.SkippedUpTo.ShouldBe(Epoch.AddMinutes(10));
        plan.Late.ShouldBeEmpty();
        plan.Next.ShouldBe(Epoch.AddMinutes(11));
    }

    [Fact]
    public void Fire_once_runs_only_the_newest_missed_instant()
    {
        var task = Every("0 * * * * *", MisfirePolicy.FireOnce);
        var plan = MisfirePlanner.Plan(task, Epoch, Epoch.AddMinutes(10).AddSeconds(30), Threshold, 1000);

        plan.CatchUp.ShouldBe([Epoch.AddMinutes(10)]);
        plan.SkippedUpTo.ShouldBeNull();
    }

    [Fact]
    public void Fire_all_runs_every_missed_instant_in_order()
    {
        var task = Every("0 * * * * *", MisfirePolicy.FireAll);
        var plan = MisfirePlanner.Plan(task, Epoch, Epoch.AddMinutes(3).AddSeconds(30), Threshold, 1000);

        plan.CatchUp.ShouldBe([Epoch.AddMinutes(1), Epoch.AddMinutes(2), Epoch.AddMinutes(3)]);
        plan.SkippedUpTo.ShouldBeNull();
    }

    [Fact]
    public void Fire_all_keeps_to_the_catch_up_window_and_records_older_fires_as_skipped()
    {
        var task = Every("0 * * * * *", MisfirePolicy.FireAll, window: TimeSpan.FromMinutes(5));
        var now = Epoch.AddHours(2).AddSeconds(30);
        var plan = MisfirePlanner.Plan(task, Epoch, now, Threshold, 1000);

        plan.CatchUp.Count.ShouldBe(5);
        plan.CatchUp[0].ShouldBe(Epoch.AddHours(2).AddMinutes(-4));
        plan.CatchUp[^1].ShouldBe(Epoch.AddHours(2));
        plan.SkippedUpTo.ShouldBe(Epoch.AddHours(2).AddMinutes(-5));
    }

    [Fact]
    public void Fire_all_caps_the_number_of_catch_up_fires_keeping_the_newest()
    {
        var task = Every("* * * * * *", MisfirePolicy.FireAll, window: TimeSpan.FromHours(1));
        var plan = MisfirePlanner.Plan(task, Epoch, Epoch.AddMinutes(10), Threshold, maxFires: 100);

        plan.CatchUp.Count.ShouldBe(100);
        plan.CatchUp[^1].ShouldBe(Epoch.AddMinutes(10).AddSeconds(-5));
        plan.SkippedUpTo.ShouldBe(plan.CatchUp[0].AddSeconds(-1));
        plan.Late.Count.ShouldBe(5);
    }

    [Fact]
    public void Fire_once_outside_the_window_is_skipped_instead()
    {
        var task = Every("0 0 * * * *", MisfirePolicy.FireOnce, window: TimeSpan.FromMinutes(10));
        var plan = MisfirePlanner.Plan(task, Epoch, Epoch.AddHours(3).AddMinutes(30), Threshold, 1000);

        plan.CatchUp.ShouldBeEmpty();
        plan.SkippedUpTo.ShouldBe(Epoch.AddHours(3));
    }

    [Fact]
    public void Fires_before_the_task_last_changed_are_never_caught_up()
    {
        // Created (or resumed) at 12:30 after fires at 12:00..12:29 would have happened under fire-all.
        var task = Every("0 * * * * *", MisfirePolicy.FireAll, changedAt: Epoch.AddMinutes(30));
        var plan = MisfirePlanner.Plan(task, lastHandled: null, Epoch.AddMinutes(30).AddSeconds(20), Threshold, 1000);

        plan.CatchUp.ShouldBeEmpty();
        plan.SkippedUpTo.ShouldBeNull();
        plan.Next.ShouldBe(Epoch.AddMinutes(31));
    }

    [Fact]
    public void Fires_within_the_threshold_are_late_not_missed_whatever_the_policy()
    {
        var task = Every("* * * * * *", MisfirePolicy.Skip);
        var plan = MisfirePlanner.Plan(task, Epoch, Epoch.AddSeconds(3).AddMilliseconds(500), Threshold, 1000);

        plan.Late.ShouldBe([Epoch.AddSeconds(1), Epoch.AddSeconds(2), Epoch.AddSeconds(3)]);
        plan.SkippedUpTo.ShouldBeNull();
    }

    [Fact]
    public void Finding_the_newest_missed_fire_of_a_sparse_schedule_after_a_long_outage_is_exact()
    {
        // Weekdays at 09:00; down for 40 days. 2026-04-10 is a Friday.
        var task = Every("0 0 9 * * MON-FRI");
        var last = MisfirePlanner.LastIn(task, Epoch, new DateTimeOffset(2026, 4, 12, 8, 0, 0, TimeSpan.Zero));

        last.ShouldBe(new DateTimeOffset(2026, 4, 10, 9, 0, 0, TimeSpan.Zero));
    }
}
