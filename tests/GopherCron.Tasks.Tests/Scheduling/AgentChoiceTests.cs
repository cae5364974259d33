using GopherCron.Modules.Tasks.Contracts;
using GopherCron.Modules.Tasks.Dispatching;
using GopherCron.Modules.Tasks.Domain;
using static GopherCron.Tasks.Tests.Scheduling.TaskFactory;

namespace GopherCron.Tasks.Tests.Scheduling;

public sealed class AgentChoiceTests
{
    private static AgentConnection Agent(string name, int weight, IReadOnlyDictionary<string, string>? labels = null, IReadOnlyCollection<long>? projects = null) =>
        new(new AgentDescriptor(name + "#1", name, "10.0.0.1", "1", ["shell"], labels ?? new Dictionary<string, string>(), weight, projects),
            (_, _) => ValueTask.CompletedTask, Epoch);

    [Fact]
    public void Dispatches_are_shared_in_proportion_to_weight()
    {
        var heavy = Agent("heavy", 75);
        var light = Agent("light", 25);
        var picks = Enumerable.Range(0, 8000).Select(_ => AgentRegistry.Choose([heavy, light])).Count(a => a == heavy);

        // Expected 6000; the standard deviation is about 39, so these bounds fail only on a broken choice.
        picks.ShouldBeInRange(5700, 6300);
    }

    [Fact]
    public void Eligibility_needs_weight_the_executor_the_project_and_every_required_label()
    {
        var task = Every("* * * * * *") with { RequiredLabels = new Dictionary<string, string> { ["zone"] = "north" } };

        Agent("a", 50, new Dictionary<string, string> { ["zone"] = "north", ["gpu"] = "yes" }).CanRun(task).ShouldBeTrue();
        Agent("b", 50, new Dictionary<string, string> { ["zone"] = "south" }).CanRun(task).ShouldBeFalse();
        Agent("c", 50).CanRun(task).ShouldBeFalse();
        Agent("d", 0, new Dictionary<string, string> { ["zone"] = "north" }).CanRun(task).ShouldBeFalse();
        Agent("e", 50, new Dictionary<string, string> { ["zone"] = "north" }, projects: [2]).CanRun(task).ShouldBeFalse();
        Agent("f", 50, new Dictionary<string, string> { ["zone"] = "north" }, projects: [1]).CanRun(task).ShouldBeTrue();
        Agent("g", 50, new Dictionary<string, string> { ["zone"] = "north" }).CanRun(task with { Executor = "http" }).ShouldBeFalse();
    }
}
