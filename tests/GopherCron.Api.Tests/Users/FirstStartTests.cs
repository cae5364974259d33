using System.Net;
using System.Net.Http.Json;
using GopherCron.Api.Tests.Infrastructure;

namespace GopherCron.Api.Tests.Users;

/// <summary>Each test starts its own app: these are about an empty store.</summary>
public sealed class FirstStartTests
{
    [Fact]
    public async Task The_first_start_creates_admin_with_123456_flagged_must_change_and_the_API_works_until_changed()
    {
        await using var app = new GopherCronApp();

        var admin = await app.SignInAsync("admin", "123456");

        admin.MustChangePassword.ShouldBeTrue();
        await (await admin.Client.GetAsync("/api/v1/users")).ShouldHaveStatusAsync(HttpStatusCode.OK);
        var change = await admin.Client.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = "123456", newPassword = "a-real-password" });
        await change.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        var me = await (await admin.Client.GetAsync("/api/v1/auth/me")).ReadJsonAsync();
        me.GetProperty("mustChangePassword").GetBoolean().ShouldBeFalse();
        me.GetProperty("isAdmin").GetBoolean().ShouldBeTrue();
        using var anonymous = app.CreateAnonymousClient();
        var old = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { account = "admin", password = "123456" });
        await old.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task GOPHERCRON_ADMIN_PASSWORD_sets_the_first_password()
    {
        await using var app = new GopherCronApp { Settings = { ["GOPHERCRON_ADMIN_PASSWORD"] = "configured-secret" } };
        using var anonymous = app.CreateAnonymousClient();

        var defaultPassword = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { account = "admin", password = "123456" });

        await defaultPassword.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        (await app.SignInAsync("admin", "configured-secret")).MustChangePassword.ShouldBeTrue();
    }

    [Fact]
    public async Task Restarting_on_the_same_store_does_not_seed_admin_again()
    {
        await using var store = TestDatabase.Create();
        await using (var first = new GopherCronApp { Database = store })
        {
            var admin = await first.SignInAsync("admin", "123456");
            var change = await admin.Client.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = "123456", newPassword = "changed-once" });
            await change.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        }

        await using var second = new GopherCronApp { Database = store };
        using var anonymous = second.CreateAnonymousClient();

        var seededAgain = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { account = "admin", password = "123456" });

        await seededAgain.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await second.SignInAsync("admin", "changed-once");
    }
}
