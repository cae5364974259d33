using System.Net;
using System.Text;
using GopherCron.Api.Tests.Infrastructure;

namespace GopherCron.Api.Tests.Http;

/// <summary>Bad bodies are answered with problem details naming the field, never a 500 (the fixture fails any 500).</summary>
public sealed class HttpContractTests(GopherCronApp app) : IClassFixture<GopherCronApp>
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Malformed_json_is_a_400_problem()
    {
        using var admin = await app.AdminClientAsync();

        var response = await admin.PostAsync("/api/v1/projects", Json("{\"name\": \"unterminated"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await AssertNoProjectCreatedAsync(admin);
    }

    [Fact]
    public async Task A_wrong_json_type_is_a_400_problem_naming_the_field()
    {
        using var admin = await app.AdminClientAsync();

        var response = await admin.PostAsync("/api/v1/projects", Json("{\"name\": 5, \"remark\": \"\"}"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "name");
    }

    [Fact]
    public async Task An_unknown_json_property_is_a_400_problem()
    {
        using var admin = await app.AdminClientAsync();

        var response = await admin.PostAsync("/api/v1/projects", Json("{\"name\": \"typo\", \"remarks\": \"\"}"));

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Detail().ShouldContain("remarks");
        await AssertNoProjectCreatedAsync(admin);
    }

    [Fact]
    public async Task A_missing_body_is_a_400_problem()
    {
        using var admin = await app.AdminClientAsync();

        var response = await admin.PostAsync("/api/v1/projects", Json(""));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    // The limit is Kestrel's (the in-memory test server does not enforce it), so this one runs over real Kestrel.
    [Fact]
    public async Task A_body_over_one_mebibyte_is_a_413_problem()
    {
        await using var kestrel = new GopherCronApp();
        kestrel.UseKestrel(0);
        kestrel.StartServer();
        using var admin = await kestrel.AdminClientAsync();
        var huge = "{\"name\": \"big\", \"remark\": \"" + new string('x', 1024 * 1024 + 1) + "\"}";

        var response = await admin.PostAsync("/api/v1/projects", Json(huge));

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        await AssertNoProjectCreatedAsync(admin);
    }

    [Fact]
    public async Task A_wrong_type_on_login_names_the_field_even_without_a_token()
    {
        using var anonymous = app.CreateAnonymousClient();

        var response = await anonymous.PostAsync("/api/v1/auth/login", Json("{\"account\": [\"admin\"], \"password\": \"x\"}"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "account");
    }

    [Fact]
    public async Task The_openapi_document_describes_the_user_and_project_endpoints()
    {
        using var anonymous = app.CreateAnonymousClient();

        var document = await (await anonymous.GetAsync("/openapi/v1.json")).ReadJsonAsync();

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        paths.ShouldContain("/api/v1/auth/login");
        paths.ShouldContain("/api/v1/users/{userId}");
        paths.ShouldContain("/api/v1/projects/{projectId}/members/{userId}");
    }

    private static async Task AssertNoProjectCreatedAsync(HttpClient admin) =>
        (await (await admin.GetAsync("/api/v1/projects")).ReadJsonAsync()).GetProperty("total").GetInt64().ShouldBe(0);
}
