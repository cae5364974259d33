using System.Net;
using GopherCron.Api.Tests.Infrastructure;

namespace GopherCron.Api.Tests.AdminUi;

/// <summary>The admin UI at /admin: files, client routes, and the note when the host was built without npm.</summary>
public sealed class AdminUiHostingTests(GopherCronApp app) : IClassFixture<GopherCronApp>
{
    private static bool UiBuilt => File.Exists(Path.Combine(AppContext.BaseDirectory, "admin", "index.html"));

    [Fact]
    public async Task The_root_redirects_to_the_admin_ui()
    {
        using var client = app.CreateDefaultClient();

        using var response = await client.GetAsync("/");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldBe("/admin/");
    }

    [Fact]
    public async Task Admin_serves_the_app_for_every_client_route_or_says_it_was_not_built()
    {
        using var client = app.CreateDefaultClient();

        foreach (var path in new[] { "/admin/", "/admin/projects/3/tasks", "/admin/runs/12" })
        {
            using var response = await client.GetAsync(path);
            if (UiBuilt)
            {
                await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
                response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
                response.Headers.CacheControl!.NoCache.ShouldBeTrue();
                (await response.Content.ReadAsStringAsync()).ShouldContain("<div id=\"root\">");
            }
            else
            {
                var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
                problem.Detail().ShouldContain("npm");
            }
        }
    }

    [Fact]
    public async Task Admin_without_a_slash_redirects_to_the_slash()
    {
        using var client = app.CreateDefaultClient();

        using var response = await client.GetAsync("/admin");

        if (UiBuilt)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            response.Headers.Location!.ToString().ShouldBe("/admin/");
        }
        else
        {
            await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task Hashed_assets_are_served_with_their_type_and_cached_and_missing_files_are_404()
    {
        using var client = app.CreateDefaultClient();
        if (UiBuilt)
        {
            var script = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "admin", "assets"), "*.js").First();
            using var asset = await client.GetAsync("/admin/assets/" + Path.GetFileName(script));
            await asset.ShouldHaveStatusAsync(HttpStatusCode.OK);
            asset.Content.Headers.ContentType!.MediaType.ShouldBe("text/javascript");
            asset.Headers.CacheControl!.ToString().ShouldContain("immutable");
        }

        using var missing = await client.GetAsync("/admin/assets/missing-0123.js");
        await missing.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
