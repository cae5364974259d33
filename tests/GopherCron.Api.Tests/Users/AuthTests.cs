using System.Net;
using System.Net.Http.Json;
using GopherCron.Api.Tests.Infrastructure;

namespace GopherCron.Api.Tests.Users;

public sealed class AuthTests(GopherCronApp app) : IClassFixture<GopherCronApp>
{
    [Fact]
    public async Task Login_returns_a_token_that_authenticates_the_user()
    {
        var user = await app.CreateUserAsync();
        using var anonymous = app.CreateAnonymousClient();

        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { account = user.Account, password = user.Password });

        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var body = await response.ReadJsonAsync();
        body.GetProperty("user").GetProperty("account").GetString().ShouldBe(user.Account);
        body.GetProperty("user").GetProperty("isAdmin").GetBoolean().ShouldBeFalse();
        body.GetProperty("expiresAt").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddDays(6));
        using var client = app.CreateClient(body.GetProperty("token").GetString()!);
        var me = await (await client.GetAsync("/api/v1/auth/me")).ReadJsonAsync();
        me.GetProperty("id").GetInt64().ShouldBe(user.Id);
    }

    [Fact]
    public async Task Accounts_are_case_insensitive_at_login()
    {
        var user = await app.CreateUserAsync();

        var signedIn = await app.SignInAsync(user.Account.ToUpperInvariant(), user.Password);

        signedIn.UserId.ShouldBe(user.Id);
    }

    [Fact]
    public async Task Wrong_password_and_unknown_account_get_the_same_401()
    {
        var user = await app.CreateUserAsync();
        using var anonymous = app.CreateAnonymousClient();

        var wrongPassword = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { account = user.Account, password = "not-the-password" });
        var unknownAccount = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { account = GopherCronApp.UniqueName("nobody"), password = user.Password });

        var first = await wrongPassword.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        var second = await unknownAccount.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        first.Detail().ShouldBe("Account or password is wrong.");
        second.Detail().ShouldBe(first.Detail());
    }

    [Fact]
    public async Task Login_with_empty_fields_names_them()
    {
        using var anonymous = app.CreateAnonymousClient();

        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { account = "", password = "" });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "account");
        problem.GetProperty("errors").TryGetProperty("password", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_account_for_a_while_even_for_the_right_password()
    {
        var user = await app.CreateUserAsync();
        using var anonymous = app.CreateAnonymousClient();
        for (var i = 0; i < 5; i++)
        {
            var wrong = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { account = user.Account, password = $"guess-{i}" });
            await wrong.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        }

        var right = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { account = user.Account, password = user.Password });

        await right.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        right.Headers.RetryAfter.ShouldNotBeNull();
    }

    [Fact]
    public async Task Requests_without_a_token_get_401_telling_how_to_sign_in()
    {
        using var anonymous = app.CreateAnonymousClient();

        var response = await anonymous.GetAsync("/api/v1/auth/me");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem.Detail().ShouldContain("POST /api/v1/auth/login");
        response.Headers.WwwAuthenticate.ToString().ShouldContain("Bearer");
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Requests_with_a_bad_token_get_401(string token)
    {
        using var client = app.CreateClient(token);

        var response = await client.GetAsync("/api/v1/projects");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Logout_revokes_only_the_token_used()
    {
        var user = await app.CreateUserAsync();
        var first = await app.SignInAsync(user.Account, user.Password);
        var second = await app.SignInAsync(user.Account, user.Password);
        (await first.Client.GetAsync("/api/v1/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var logout = await first.Client.PostAsync("/api/v1/auth/logout", null);

        await logout.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        await (await first.Client.GetAsync("/api/v1/auth/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await (await second.Client.GetAsync("/api/v1/auth/me")).ShouldHaveStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Changing_the_password_replaces_it_and_ends_the_other_sessions()
    {
        var user = await app.CreateUserAsync();
        var current = await app.SignInAsync(user.Account, user.Password);
        var other = await app.SignInAsync(user.Account, user.Password);
        current.MustChangePassword.ShouldBeTrue("an administrator chose this password");
        (await other.Client.GetAsync("/api/v1/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var change = await current.Client.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = user.Password, newPassword = "brand-new-pass" });

        await change.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        var me = await (await current.Client.GetAsync("/api/v1/auth/me")).ReadJsonAsync();
        me.GetProperty("mustChangePassword").GetBoolean().ShouldBeFalse();
        await (await other.Client.GetAsync("/api/v1/auth/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        using var anonymous = app.CreateAnonymousClient();
        var old = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { account = user.Account, password = user.Password });
        await old.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        (await app.SignInAsync(user.Account, "brand-new-pass")).MustChangePassword.ShouldBeFalse();
    }

    [Fact]
    public async Task A_wrong_current_password_is_a_validation_problem_on_currentPassword()
    {
        var (user, client) = await app.CreateUserClientAsync();

        var response = await client.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = "not-it", newPassword = "brand-new-pass" });

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "currentPassword");
        await app.SignInAsync(user.Account, user.Password);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData(GopherCronApp.DefaultUserPassword)]
    public async Task A_new_password_that_is_too_short_or_unchanged_is_refused(string newPassword)
    {
        var (user, client) = await app.CreateUserClientAsync();

        var response = await client.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = user.Password, newPassword });

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "newPassword");
    }
}
