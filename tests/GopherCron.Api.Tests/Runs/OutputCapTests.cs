using GopherCron.Api.Tests.Infrastructure;

namespace GopherCron.Api.Tests.Runs;

public sealed class SmallOutputCapApp() : GopherCronApp(new Dictionary<string, string?> { ["Logs:OutputCapBytes"] = "4096" });

/// <summary>A chatty run keeps the head and the tail of its output up to the cap, and says how much it left out.</summary>
public sealed class OutputCapTests(SmallOutputCapApp app) : IClassFixture<SmallOutputCapApp>
{
    [Fact]
    public async Task Output_over_the_cap_keeps_head_and_tail_with_an_elision_marker()
    {
        var (_, client) = await app.CreateUserClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(client);
        var taskId = await client.CreateTaskIdAsync(project.Id,
            TaskApi.ShellTask("0 0 1 1 *", "head -c 100000 /dev/zero | tr '\\0' 'a'; echo; echo END"));

        var run = await client.WaitForEndAsync(await client.RunNowAsync(project.Id, taskId));
        var output = await client.OutputAsync(run.Id());

        run.Status().ShouldBe("succeeded");
        System.Text.Encoding.UTF8.GetByteCount(output).ShouldBeLessThanOrEqualTo(4300);
        output.ShouldStartWith("aaa");
        output.ShouldEndWith("aaa\nEND\n");
        output.ShouldContain("bytes of output elided");
        // 100000 'a', the newline after them and "END\n".
        run.GetProperty("outputBytes").GetInt64().ShouldBe(100005);
        run.GetProperty("outputTruncated").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Output_under_the_cap_is_kept_whole()
    {
        var (_, client) = await app.CreateUserClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(client);
        var taskId = await client.CreateTaskIdAsync(project.Id, TaskApi.ShellTask("0 0 1 1 *", "head -c 3000 /dev/zero | tr '\\0' 'b'; echo"));

        var run = await client.WaitForEndAsync(await client.RunNowAsync(project.Id, taskId));

        (await client.OutputAsync(run.Id())).ShouldBe(new string('b', 3000) + "\n");
        run.GetProperty("outputBytes").GetInt64().ShouldBe(3001);
        run.GetProperty("outputTruncated").GetBoolean().ShouldBeFalse();
    }
}
