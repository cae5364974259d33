using System.Net;
using System.Net.Http.Json;
using GopherCron.Api.Tests.Infrastructure;

namespace GopherCron.Api.Tests.Users;

public sealed class UserManagementTests(GopherCronApp app) : IClassFixture<GopherCronApp>
{
    [Fact]
    public async Task An_admin_creates_a_user_who_can_then_sign_in()
    {
        using var admin = await app.AdminClientAsync();
        var account = GopherCronApp.UniqueName("New.User");

        var response = await admin.PostAsJsonAsync("/api/v1/users", new { account, name = "New User", password = "first-pass", isAdmin = false });

        await response.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var created = await response.ReadJsonAsync();
        created.GetProperty("account").GetString().ShouldBe(account.ToLowerInvariant());
        created.GetProperty("mustChangePassword").GetBoolean().ShouldBeTrue();
        response.Headers.Location!.ToString().ShouldBe($"/api/v1/users/{created.GetProperty("id").GetInt64()}");
        var signedIn = await app.SignInAsync(account, "first-pass");
        signedIn.UserId.ShouldBe(created.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Creating_an_existing_account_in_any_case_is_409()
    {
        var user = await app.CreateUserAsync();
        using var admin = await app.AdminClientAsync();

        var response = await admin.PostAsJsonAsync("/api/v1/users", new { account = user.Account.ToUpperInvariant(), name = "Again", password = "whatever1", isAdmin = false });

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("ab", "Name", "good-pass", "account")]
    [InlineData("has space", "Name", "good-pass", "account")]
    [InlineData("fine-account", "", "good-pass", "name")]
    [InlineData("fine-account", "Name", "12345", "password")]
    public async Task Invalid_new_users_are_refused_naming_the_field(string account, string name, string password, string field)
    {
        using var admin = await app.AdminClientAsync();

        var response = await admin.PostAsJsonAsync("/api/v1/users", new { account, name, password, isAdmin = false });

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Normal_users_get_403_on_user_administration()
    {
        var (other, _) = await app.CreateUserClientAsync();
        var (_, client) = await app.CreateUserClientAsync();

        await (await client.GetAsync("/api/v1/users")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await client.PostAsJsonAsync("/api/v1/users", new { account = GopherCronApp.UniqueName("x"), name = "x", password = "password", isAdmin = true }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await client.PutAsJsonAsync($"/api/v1/users/{other.Id}", new { name = "hacked", isAdmin = true }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await client.DeleteAsync($"/api/v1/users/{other.Id}")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await app.SignInAsync(other.Account, other.Password);
    }

    [Fact]
    public async Task A_user_can_read_itself_but_not_others()
    {
        var (other, _) = await app.CreateUserClientAsync();
        var (me, client) = await app.CreateUserClientAsync();

        var self = await client.GetAsync($"/api/v1/users/{me.Id}");
        var someoneElse = await client.GetAsync($"/api/v1/users/{other.Id}");

        (await self.ReadJsonAsync()).GetProperty("account").GetString().ShouldBe(me.Account);
        await someoneElse.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_user_list_is_paged()
    {
        await app.CreateUserAsync();
        await app.CreateUserAsync();
        using var admin = await app.AdminClientAsync();

        var page = await (await admin.GetAsync("/api/v1/users?page=2&pageSize=1")).ReadJsonAsync();

        page.GetProperty("items").GetArrayLength().ShouldBe(1);
        page.GetProperty("page").GetInt32().ShouldBe(2);
        page.GetProperty("total").GetInt64().ShouldBeGreaterThanOrEqualTo(3);
        await (await admin.GetAsync("/api/v1/users?pageSize=0")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "pageSize");
        await (await admin.GetAsync("/api/v1/users?page=abc")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Promoting_a_user_takes_effect_on_their_existing_token_at_once()
    {
        var (user, client) = await app.CreateUserClientAsync();
        await (await client.GetAsync("/api/v1/users")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        using var admin = await app.AdminClientAsync();

        var promote = await admin.PutAsJsonAsync($"/api/v1/users/{user.Id}", new { name = "Promoted", isAdmin = true });

        await promote.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await promote.ReadJsonAsync()).GetProperty("isAdmin").GetBoolean().ShouldBeTrue();
        await (await client.GetAsync("/api/v1/users")).ShouldHaveStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_admin_password_reset_flags_must_change_and_ends_the_users_sessions()
    {
        var user = await app.CreateUserAsync();
        var session = await app.SignInAsync(user.Account, user.Password);
        await session.Client.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = user.Password, newPassword = "chosen-by-me" });
        using var admin = await app.AdminClientAsync();

        var reset = await admin.PutAsJsonAsync($"/api/v1/users/{user.Id}", new { name = "Reset", isAdmin = false, password = "temporary-1" });

        await reset.ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await session.Client.GetAsync("/api/v1/auth/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        (await app.SignInAsync(user.Account, "temporary-1")).MustChangePassword.ShouldBeTrue();
    }

    [Fact]
    public async Task Updating_without_isAdmin_is_refused_rather_than_demoting()
    {
        var user = await app.CreateUserAsync(isAdmin: true);
        using var admin = await app.AdminClientAsync();

        var response = await admin.PutAsJsonAsync($"/api/v1/users/{user.Id}", new { name = "No flag" });

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "isAdmin");
        (await (await admin.GetAsync($"/api/v1/users/{user.Id}")).ReadJsonAsync()).GetProperty("isAdmin").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Deleting_a_user_ends_their_access()
    {
        var user = await app.CreateUserAsync();
        var session = await app.SignInAsync(user.Account, user.Password);
        using var admin = await app.AdminClientAsync();

        var response = await admin.DeleteAsync($"/api/v1/users/{user.Id}");

        await response.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        await (await session.Client.GetAsync("/api/v1/auth/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await (await admin.GetAsync($"/api/v1/users/{user.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var anonymous = app.CreateAnonymousClient();
        await (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { account = user.Account, password = user.Password }))
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Unknown_user_ids_are_404()
    {
        using var admin = await app.AdminClientAsync();

        await (await admin.GetAsync("/api/v1/users/987654321")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PutAsJsonAsync("/api/v1/users/987654321", new { name = "x", isAdmin = false })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await admin.DeleteAsync("/api/v1/users/987654321")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync("/api/v1/users/not-a-number")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
