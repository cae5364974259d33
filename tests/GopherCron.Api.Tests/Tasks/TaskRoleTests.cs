using System.Net;
using System.Net.Http.Json;
using GopherCron.Api.Tests.Infrastructure;

namespace GopherCron.Api.Tests.Tasks;

/// <summary>Viewers read, managers operate, non-members see nothing at all.</summary>
public sealed class TaskRoleTests(GopherCronApp app) : IClassFixture<GopherCronApp>
{
    [Fact]
    public async Task A_viewer_reads_tasks_and_runs_but_may_change_nothing()
    {
        var (owner, project, taskId, runId) = await ProjectWithRunningTaskAsync("sleep 41");
        var (viewer, client) = await app.CreateUserClientAsync();
        await GopherCronApp.AddMemberAsync(owner, project, viewer.Account, "viewer");

        await (await client.GetAsync($"/api/v1/projects/{project}/tasks")).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await client.GetAsync($"/api/v1/projects/{project}/tasks/{taskId}")).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await client.GetAsync($"/api/v1/projects/{project}/tasks/{taskId}/runs")).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await client.GetAsync($"/api/v1/runs/{runId}")).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await client.GetAsync($"/api/v1/runs/{runId}/output")).ShouldHaveStatusAsync(HttpStatusCode.OK);

        foreach (var response in await ChangesAsync(client, project, taskId, runId))
        {
            await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        }

        (await owner.RunAsync(runId)).Status().ShouldBe("running");
        var task = await (await owner.GetAsync($"/api/v1/projects/{project}/tasks/{taskId}")).ReadJsonAsync();
        task.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        (await owner.RunsAsync(project, taskId)).Count.ShouldBe(1);
        await owner.PostAsync($"/api/v1/runs/{runId}/kill", null);
    }

    [Fact]
    public async Task A_non_member_gets_404_for_the_tasks_and_runs_of_the_project()
    {
        var (owner, project, taskId, runId) = await ProjectWithRunningTaskAsync("sleep 42");
        var (_, client) = await app.CreateUserClientAsync();

        await (await client.GetAsync($"/api/v1/projects/{project}/tasks")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync($"/api/v1/projects/{project}/tasks/{taskId}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync($"/api/v1/projects/{project}/tasks/{taskId}/runs")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync($"/api/v1/runs/{runId}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync($"/api/v1/runs/{runId}/output")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync($"/api/v1/runs/{runId}/output?follow=true")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        foreach (var response in await ChangesAsync(client, project, taskId, runId))
        {
            await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        (await owner.RunAsync(runId)).Status().ShouldBe("running");
        (await owner.RunsAsync(project, taskId)).Count.ShouldBe(1);
        await owner.PostAsync($"/api/v1/runs/{runId}/kill", null);
    }

    [Fact]
    public async Task A_manager_creates_updates_runs_pauses_resumes_kills_and_deletes()
    {
        var (_, owner) = await app.CreateUserClientAsync();
        var project = (await GopherCronApp.CreateProjectAsync(owner)).Id;
        var (manager, client) = await app.CreateUserClientAsync();
        await GopherCronApp.AddMemberAsync(owner, project, manager.Account, "manager");

        var taskId = await client.CreateTaskIdAsync(project, TaskApi.ShellTask("0 0 1 1 *", "sleep 43", "managed"));
        await (await client.PutAsJsonAsync($"/api/v1/projects/{project}/tasks/{taskId}", TaskApi.ShellTask("0 0 1 1 *", "sleep 44", "managed")))
            .ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await client.PostAsync($"/api/v1/projects/{project}/tasks/{taskId}/pause", null)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await client.PostAsync($"/api/v1/projects/{project}/tasks/{taskId}/resume", null)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        var runId = await client.RunNowAsync(project, taskId);
        await client.WaitForStatusAsync(runId, "running");
        await (await client.PostAsync($"/api/v1/runs/{runId}/kill", null)).ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        (await client.WaitForEndAsync(runId)).Status().ShouldBe("killed");
        await (await client.DeleteAsync($"/api/v1/projects/{project}/tasks/{taskId}")).ShouldHaveStatusAsync(HttpStatusCode.NoContent);
    }

    private async Task<(HttpClient Owner, long Project, long TaskId, long RunId)> ProjectWithRunningTaskAsync(string command)
    {
        var (_, owner) = await app.CreateUserClientAsync();
        var project = (await GopherCronApp.CreateProjectAsync(owner)).Id;
        var taskId = await owner.CreateTaskIdAsync(project, TaskApi.ShellTask("0 0 1 1 *", command, "guarded"));
        var runId = await owner.RunNowAsync(project, taskId);
        await owner.WaitForStatusAsync(runId, "running");
        return (owner, project, taskId, runId);
    }

    private static async Task<List<HttpResponseMessage>> ChangesAsync(HttpClient client, long project, long taskId, long runId) =>
    [
        await client.PostAsJsonAsync($"/api/v1/projects/{project}/tasks", TaskApi.ShellTask("0 0 1 1 *", "true")),
        await client.PutAsJsonAsync($"/api/v1/projects/{project}/tasks/{taskId}", TaskApi.ShellTask("0 0 1 1 *", "true", "renamed")),
        await client.DeleteAsync($"/api/v1/projects/{project}/tasks/{taskId}"),
        await client.PostAsync($"/api/v1/projects/{project}/tasks/{taskId}/run", null),
        await client.PostAsync($"/api/v1/projects/{project}/tasks/{taskId}/pause", null),
        await client.PostAsync($"/api/v1/projects/{project}/tasks/{taskId}/resume", null),
        await client.PostAsync($"/api/v1/runs/{runId}/kill", null),
    ];
}
