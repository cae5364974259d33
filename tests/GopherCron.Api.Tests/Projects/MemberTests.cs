using System.Net;
using System.Net.Http.Json;
using GopherCron.Api.Tests.Infrastructure;

namespace GopherCron.Api.Tests.Projects;

public sealed class MemberTests(GopherCronApp app) : IClassFixture<GopherCronApp>
{
    [Fact]
    public async Task Members_are_added_by_account_and_listed_with_account_name_and_role()
    {
        var (owner, client) = await app.CreateUserClientAsync();
        var member = await app.CreateUserAsync(name: "Grace Hopper");
        var project = await GopherCronApp.CreateProjectAsync(client);

        var added = await client.PostAsJsonAsync($"/api/v1/projects/{project.Id}/members", new { account = member.Account.ToUpperInvariant(), role = "manager" });

        await added.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var members = await (await client.GetAsync($"/api/v1/projects/{project.Id}/members")).ReadJsonAsync();
        var rows = members.EnumerateArray().ToDictionary(m => m.GetProperty("userId").GetInt64());
        rows.Keys.ShouldBe([owner.Id, member.Id], ignoreOrder: true);
        rows[member.Id].GetProperty("account").GetString().ShouldBe(member.Account);
        rows[member.Id].GetProperty("name").GetString().ShouldBe("Grace Hopper");
        rows[member.Id].GetProperty("role").GetString().ShouldBe("manager");
        rows[owner.Id].GetProperty("role").GetString().ShouldBe("admin");
    }

    [Fact]
    public async Task Adding_an_unknown_account_a_bad_role_or_an_existing_member_is_refused()
    {
        var (owner, client) = await app.CreateUserClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(client);
        var url = $"/api/v1/projects/{project.Id}/members";

        await (await client.PostAsJsonAsync(url, new { account = GopherCronApp.UniqueName("ghost"), role = "viewer" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "account");
        await (await client.PostAsJsonAsync(url, new { account = owner.Account, role = "owner" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "role");
        await (await client.PostAsJsonAsync(url, new { account = owner.Account, role = "viewer" }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);
        var members = await (await client.GetAsync(url)).ReadJsonAsync();
        members.EnumerateArray().ShouldHaveSingleItem().GetProperty("role").GetString().ShouldBe("admin");
    }

    [Fact]
    public async Task An_admin_changes_a_role_and_the_member_gains_its_rights()
    {
        var (_, owner) = await app.CreateUserClientAsync();
        var (member, client) = await app.CreateUserClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(owner);
        await GopherCronApp.AddMemberAsync(owner, project.Id, member.Account, "viewer");
        await (await client.GetAsync($"/api/v1/projects/{project.Id}/token")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        var response = await owner.PutAsJsonAsync($"/api/v1/projects/{project.Id}/members/{member.Id}", new { role = "admin" });

        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await response.ReadJsonAsync()).GetProperty("role").GetString().ShouldBe("admin");
        await (await client.GetAsync($"/api/v1/projects/{project.Id}/token")).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await owner.PutAsJsonAsync($"/api/v1/projects/{project.Id}/members/987654321", new { role = "viewer" }))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_last_admin_can_be_neither_demoted_nor_removed()
    {
        var (owner, client) = await app.CreateUserClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(client);

        var demote = await client.PutAsJsonAsync($"/api/v1/projects/{project.Id}/members/{owner.Id}", new { role = "viewer" });
        var leave = await client.DeleteAsync($"/api/v1/projects/{project.Id}/members/{owner.Id}");

        await demote.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await leave.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        (await (await client.GetAsync($"/api/v1/projects/{project.Id}")).ReadJsonAsync()).GetProperty("role").GetString().ShouldBe("admin");
    }

    [Fact]
    public async Task With_a_second_admin_the_first_may_leave()
    {
        var (owner, client) = await app.CreateUserClientAsync();
        var other = await app.CreateUserAsync();
        var project = await GopherCronApp.CreateProjectAsync(client);
        await GopherCronApp.AddMemberAsync(client, project.Id, other.Account, "admin");

        var leave = await client.DeleteAsync($"/api/v1/projects/{project.Id}/members/{owner.Id}");

        await leave.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        await (await client.GetAsync($"/api/v1/projects/{project.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_viewer_may_leave_but_not_remove_others()
    {
        var (owner, ownerClient) = await app.CreateUserClientAsync();
        var (viewer, client) = await app.CreateUserClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(ownerClient);
        await GopherCronApp.AddMemberAsync(ownerClient, project.Id, viewer.Account, "viewer");

        await (await client.DeleteAsync($"/api/v1/projects/{project.Id}/members/{owner.Id}")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var leave = await client.DeleteAsync($"/api/v1/projects/{project.Id}/members/{viewer.Id}");

        await leave.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        await (await client.GetAsync($"/api/v1/projects/{project.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Deleting_the_only_admin_of_a_project_is_refused_naming_it_until_someone_else_is_admin()
    {
        var (owner, client) = await app.CreateUserClientAsync();
        var project = await GopherCronApp.CreateProjectAsync(client);
        var viewer = await app.CreateUserAsync();
        await GopherCronApp.AddMemberAsync(client, project.Id, viewer.Account, "viewer");
        using var admin = await app.AdminClientAsync();

        var refused = await admin.DeleteAsync($"/api/v1/users/{owner.Id}");

        (await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Detail().ShouldContain(project.Name);
        await (await client.GetAsync("/api/v1/auth/me")).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await client.PutAsJsonAsync($"/api/v1/projects/{project.Id}/members/{viewer.Id}", new { role = "admin" })).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await admin.DeleteAsync($"/api/v1/users/{owner.Id}")).ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        var members = await (await admin.GetAsync($"/api/v1/projects/{project.Id}/members")).ReadJsonAsync();
        members.EnumerateArray().ShouldHaveSingleItem().GetProperty("userId").GetInt64().ShouldBe(viewer.Id);
    }
}
