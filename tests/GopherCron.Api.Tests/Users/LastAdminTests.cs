using System.Net;
using System.Net.Http.Json;
using GopherCron.Api.Tests.Infrastructure;

namespace GopherCron.Api.Tests.Users;

/// <summary>Own app per test: "the last admin" depends on every user in the store.</summary>
public sealed class LastAdminTests
{
    [Fact]
    public async Task The_last_admin_cannot_demote_or_delete_themselves()
    {
        await using var app = new GopherCronApp();
        var admin = await app.SignInAsync("admin", GopherCronApp.DefaultAdminPassword);

        var demote = await admin.Client.PutAsJsonAsync($"/api/v1/users/{admin.UserId}", new { name = "Admin", isAdmin = false });
        var delete = await admin.Client.DeleteAsync($"/api/v1/users/{admin.UserId}");

        await demote.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await delete.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await (await admin.Client.GetAsync("/api/v1/users")).ShouldHaveStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task With_a_second_admin_the_first_may_step_down_but_still_not_delete_themselves()
    {
        await using var app = new GopherCronApp();
        var admin = await app.SignInAsync("admin", GopherCronApp.DefaultAdminPassword);
        await app.CreateUserAsync(isAdmin: true);

        var demote = await admin.Client.PutAsJsonAsync($"/api/v1/users/{admin.UserId}", new { name = "Former admin", isAdmin = false });

        await demote.ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await admin.Client.GetAsync("/api/v1/users")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await admin.Client.DeleteAsync($"/api/v1/users/{admin.UserId}")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_admin_cannot_delete_themselves_even_when_other_admins_exist()
    {
        await using var app = new GopherCronApp();
        var admin = await app.SignInAsync("admin", GopherCronApp.DefaultAdminPassword);
        await app.CreateUserAsync(isAdmin: true);

        var delete = await admin.Client.DeleteAsync($"/api/v1/users/{admin.UserId}");

        (await delete.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Detail().ShouldContain("yourself");
    }
}
