using System.Net;
using System.Net.Http.Json;
using GopherCron.Api.Tests.Infrastructure;

namespace GopherCron.Api.Tests.Projects;

public sealed class ProjectTests(GopherCronApp app) : IClassFixture<GopherCronApp>
{
    [Fact]
    public async Task Any_user_creates_a_project_and_becomes_its_admin()
    {
        var (_, client) = await app.CreateUserClientAsync();
        var name = GopherCronApp.UniqueName("billing");

        var response = await client.PostAsJsonAsync("/api/v1/projects", new { name, remark = "nightly jobs" });

        await response.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var created = await response.ReadJsonAsync();
        var id = created.GetProperty("id").GetInt64();
        created.GetProperty("role").GetString().ShouldBe("admin");
        response.Headers.Location!.ToString().ShouldBe($"/api/v1/projects/{id}");
        var fetched = await (await client.GetAsync($"/api/v1/projects/{id}")).ReadJsonAsync();
        fetched.GetProperty("name").GetString().ShouldBe(name);
        fetched.GetProperty("remark").GetString().ShouldBe("nightly jobs");
    }

    [Fact]
    public async Task The_list_shows_the_callers_projects_with_their_role_and_everything_to_system_admins()
    {
        var (_, owner) = await app.CreateUserClientAsync();
        var (_, stranger) = await app.CreateUserClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(owner);
        using var admin = await app.AdminClientAsync();

        var mine = await (await owner.GetAsync("/api/v1/projects")).ReadJsonAsync();
        var theirs = await (await stranger.GetAsync("/api/v1/projects")).ReadJsonAsync();
        var all = await (await admin.GetAsync($"/api/v1/projects?search={project.Name}")).ReadJsonAsync();

        mine.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetInt64()).ShouldBe([project.Id]);
        theirs.GetProperty("total").GetInt64().ShouldBe(0);
        var seen = all.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        seen.GetProperty("id").GetInt64().ShouldBe(project.Id);
        seen.GetProperty("role").GetString().ShouldBe("admin");
    }

    [Fact]
    public async Task Search_filters_by_name()
    {
        var (_, client) = await app.CreateUserClientAsync();
        var wanted = await GopherCronApp.CreateProjectAsync(client, GopherCronApp.UniqueName("reports"));
        await GopherCronApp.CreateProjectAsync(client, GopherCronApp.UniqueName("backups"));

        var found = await (await client.GetAsync("/api/v1/projects?search=reports")).ReadJsonAsync();

        found.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetInt64()).ShouldBe([wanted.Id]);
    }

    [Fact]
    public async Task Non_members_get_the_same_404_as_for_a_project_that_does_not_exist()
    {
        var (_, owner) = await app.CreateUserClientAsync();
        var (_, stranger) = await app.CreateUserClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(owner);

        await (await stranger.GetAsync($"/api/v1/projects/{project.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.PutAsJsonAsync($"/api/v1/projects/{project.Id}", new { name = "taken over", remark = "" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.GetAsync($"/api/v1/projects/{project.Id}/token")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.GetAsync("/api/v1/projects/987654321")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await (await owner.GetAsync($"/api/v1/projects/{project.Id}")).ReadJsonAsync()).GetProperty("name").GetString().ShouldBe(project.Name);
    }

    [Fact]
    public async Task A_system_admin_reaches_any_project_as_admin()
    {
        var (_, owner) = await app.CreateUserClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(owner);
        using var admin = await app.AdminClientAsync();

        var fetched = await (await admin.GetAsync($"/api/v1/projects/{project.Id}")).ReadJsonAsync();
        var token = await admin.GetAsync($"/api/v1/projects/{project.Id}/token");

        fetched.GetProperty("role").GetString().ShouldBe("admin");
        await token.ShouldHaveStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_viewer_reads_but_gets_403_on_changes()
    {
        var (_, owner) = await app.CreateUserClientAsync();
        var (viewer, client) = await app.CreateUserClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(owner);
        await GopherCronApp.AddMemberAsync(owner, project.Id, viewer.Account, "viewer");

        var read = await (await client.GetAsync($"/api/v1/projects/{project.Id}")).ReadJsonAsync();
        var members = await client.GetAsync($"/api/v1/projects/{project.Id}/members");

        read.GetProperty("role").GetString().ShouldBe("viewer");
        await members.ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await client.PutAsJsonAsync($"/api/v1/projects/{project.Id}", new { name = "renamed", remark = "" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await client.DeleteAsync($"/api/v1/projects/{project.Id}")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await client.GetAsync($"/api/v1/projects/{project.Id}/token")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        (await (await owner.GetAsync($"/api/v1/projects/{project.Id}")).ReadJsonAsync()).GetProperty("name").GetString().ShouldBe(project.Name);
    }

    [Fact]
    public async Task A_manager_cannot_manage_members_or_the_token()
    {
        var (_, owner) = await app.CreateUserClientAsync();
        var (manager, client) = await app.CreateUserClientAsync();
        var (viewer, _) = await app.CreateUserClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(owner);
        await GopherCronApp.AddMemberAsync(owner, project.Id, manager.Account, "manager");
        await GopherCronApp.AddMemberAsync(owner, project.Id, viewer.Account, "viewer");
        var outsider = await app.CreateUserAsync();

        await (await client.PostAsJsonAsync($"/api/v1/projects/{project.Id}/members", new { account = outsider.Account, role = "viewer" }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await client.PutAsJsonAsync($"/api/v1/projects/{project.Id}/members/{manager.Id}", new { role = "admin" }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await client.DeleteAsync($"/api/v1/projects/{project.Id}/members/{viewer.Id}")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await client.PostAsync($"/api/v1/projects/{project.Id}/token", null)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var members = await (await owner.GetAsync($"/api/v1/projects/{project.Id}/members")).ReadJsonAsync();
        members.GetArrayLength().ShouldBe(3);
    }

    [Fact]
    public async Task An_admin_updates_the_project()
    {
        var (_, owner) = await app.CreateUserClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(owner);

        var response = await owner.PutAsJsonAsync($"/api/v1/projects/{project.Id}", new { name = "Renamed", remark = "new remark" });

        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var fetched = await (await owner.GetAsync($"/api/v1/projects/{project.Id}")).ReadJsonAsync();
        fetched.GetProperty("name").GetString().ShouldBe("Renamed");
        fetched.GetProperty("remark").GetString().ShouldBe("new remark");
    }

    [Theory]
    [InlineData("", 0, "name")]
    [InlineData("ok", 1001, "remark")]
    public async Task Invalid_projects_are_refused_naming_the_field(string name, int remarkLength, string field)
    {
        var (_, owner) = await app.CreateUserClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(owner);
        var body = new { name, remark = new string('r', remarkLength) };

        await (await owner.PostAsJsonAsync("/api/v1/projects", body)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, field);
        await (await owner.PutAsJsonAsync($"/api/v1/projects/{project.Id}", body)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, field);
        (await (await owner.GetAsync("/api/v1/projects")).ReadJsonAsync()).GetProperty("total").GetInt64().ShouldBe(1);
    }

    [Fact]
    public async Task The_token_is_for_admins_and_regenerating_changes_it()
    {
        var (_, owner) = await app.CreateUserClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(owner);

        var before = (await (await owner.GetAsync($"/api/v1/projects/{project.Id}/token")).ReadJsonAsync()).GetProperty("token").GetString()!;
        var regenerated = (await (await owner.PostAsync($"/api/v1/projects/{project.Id}/token", null)).ReadJsonAsync()).GetProperty("token").GetString()!;
        var after = (await (await owner.GetAsync($"/api/v1/projects/{project.Id}/token")).ReadJsonAsync()).GetProperty("token").GetString()!;

        before.Length.ShouldBe(43);
        regenerated.ShouldNotBe(before);
        after.ShouldBe(regenerated);
    }

    [Fact]
    public async Task Deleting_a_project_removes_it_and_its_memberships()
    {
        var (_, owner) = await app.CreateUserClientAsync();
        var member = await app.CreateUserAsync();
        var project = await GopherCronApp.CreateProjectAsync(owner);
        await GopherCronApp.AddMemberAsync(owner, project.Id, member.Account, "admin");

        var response = await owner.DeleteAsync($"/api/v1/projects/{project.Id}");

        await response.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        await (await owner.GetAsync($"/api/v1/projects/{project.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var admin = await app.AdminClientAsync();
        await (await admin.GetAsync($"/api/v1/projects/{project.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var memberClient = await app.LoginAsync(member.Account, member.Password);
        (await (await memberClient.GetAsync("/api/v1/projects")).ReadJsonAsync()).GetProperty("total").GetInt64().ShouldBe(0);

        // Had the membership survived, the member would still be this project's admin and could not be deleted.
        await (await admin.DeleteAsync($"/api/v1/users/{member.Id}")).ShouldHaveStatusAsync(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Unknown_project_ids_are_404_everywhere()
    {
        using var admin = await app.AdminClientAsync();
        const string missing = "/api/v1/projects/987654321";

        await (await admin.GetAsync(missing)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PutAsJsonAsync(missing, new { name = "x", remark = "" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await admin.DeleteAsync(missing)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync($"{missing}/members")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostAsync($"{missing}/token", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync("/api/v1/projects/not-a-number")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
