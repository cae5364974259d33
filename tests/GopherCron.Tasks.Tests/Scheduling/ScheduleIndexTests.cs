using GopherCron.Modules.Tasks.Domain;
using GopherCron.Modules.Tasks.Scheduling;
using static GopherCron.Tasks.Tests.Scheduling.TaskFactory;

namespace GopherCron.Tasks.Tests.Scheduling;

public sealed class ScheduleIndexTests
{
    [Fact]
    public void Takes_due_fires_in_instant_order_and_keeps_the_rest()
    {
        var index = new ScheduleIndex();
        var a = Every("* * * * * *") with { Id = 1 };
        var b = Every("* * * * * *") with { Id = 2 };
        index.Set(a, Epoch.AddSeconds(2));
        index.Set(b, Epoch.AddSeconds(1));

        var due = new List<(CronTask Task, DateTimeOffset At)>();
        index.TakeDue(Epoch.AddSeconds(1), due);

        due.Select(d => d.Task.Id).ShouldBe([2L]);
        index.PeekNext().ShouldBe(Epoch.AddSeconds(2));
    }

    [Fact]
    public void A_rescheduled_task_fires_only_at_its_new_instant()
    {
        var index = new ScheduleIndex();
        var task = Every("* * * * * *");
        index.Set(task, Epoch.AddSeconds(1));
        index.Set(task with { Name = "edited" }, Epoch.AddSeconds(5));

        var due = new List<(CronTask Task, DateTimeOffset At)>();
        index.TakeDue(Epoch.AddSeconds(4), due);
        due.ShouldBeEmpty();

        index.TakeDue(Epoch.AddSeconds(5), due);
        due.Single().Task.Name.ShouldBe("edited");
    }

    [Fact]
    public void A_removed_task_never_fires()
    {
        var index = new ScheduleIndex();
        var task = Every("* * * * * *");
        index.Set(task, Epoch.AddSeconds(1));
        index.Remove(task.Id);

        var due = new List<(CronTask Task, DateTimeOffset At)>();
        index.TakeDue(Epoch.AddMinutes(1), due);

        due.ShouldBeEmpty();
        index.PeekNext().ShouldBeNull();
    }
}
