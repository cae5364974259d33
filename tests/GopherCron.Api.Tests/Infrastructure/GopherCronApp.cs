using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace GopherCron.Api.Tests.Infrastructure;

/// <summary>
/// The real host in memory over its own fresh store (a SQLite file, or a MariaDB database when
/// <c>GOPHERCRON_TEST_STORE=mariadb</c>: see <see cref="TestDatabase"/>). One instance per test class (<c>IClassFixture</c>) when
/// the tests use unique names; a test that needs a pristine store (first start, last admin) creates its own.
/// </summary>
/// <remarks>
/// Extra configuration (applied over appsettings.json, before the host is built on first use):
/// <c>await using var app = new GopherCronApp { Settings = { ["Users:TokenLifetime"] = "00:05:00" } };</c>, or for
/// <c>IClassFixture</c> a derived fixture, <c>public sealed class NoAgentApp() : GopherCronApp(new() { ["Agent:Embedded"] = "false" });</c>
/// (xunit wants exactly one public constructor). Service overrides (a fake clock...): override <see cref="ConfigureTestServices"/>.
/// </remarks>
public class GopherCronApp : WebApplicationFactory<Program>
{
    public const string DefaultAdminPassword = "123456";
    public const string DefaultUserPassword = "user-pass-1";

    private readonly SemaphoreSlim _adminGate = new(1, 1);
    private string? _adminToken;
    private TestDatabase? _database;
    private bool _ownsDatabase = true;

    public GopherCronApp()
    {
        Directory = Path.Combine(Path.GetTempPath(), "gophercron-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    protected GopherCronApp(IDictionary<string, string?> settings)
        : this()
    {
        foreach (var (key, value) in settings)
        {
            Settings[key] = value;
        }
    }

    /// <summary>Configuration overrides; they win over the fixture's own (the temp database, quiet logging).</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>This instance's scratch folder; deleted on dispose.</summary>
    public string Directory { get; }

    /// <summary>
    /// The store this host uses: its own fresh one unless given. Give one <see cref="TestDatabase"/> to several apps
    /// (one after the other: a restart) to make them share data; the app then leaves disposing it to the test.
    /// </summary>
    public TestDatabase Database
    {
        get => _database ??= TestDatabase.Create();
        init
        {
            _database = value;
            _ownsDatabase = false;
        }
    }

    /// <summary>The first administrator's password: <c>GOPHERCRON_ADMIN_PASSWORD</c> when given, else GopherCron's default.</summary>
    public string AdminPassword => Settings.GetValueOrDefault("GOPHERCRON_ADMIN_PASSWORD") is { Length: > 0 } p ? p : DefaultAdminPassword;

    /// <summary>When set (the default), any 500 answer fails the test that received it, whatever it asserts.</summary>
    public bool FailOnServerErrors { get; init; } = true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in Database.Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(ConfigureTestServices);
    }

    /// <summary>Replace or add services after the host registered its own.</summary>
    protected virtual void ConfigureTestServices(IServiceCollection services)
    {
    }

    /// <summary>A client without credentials.</summary>
    public HttpClient CreateAnonymousClient() =>
        FailOnServerErrors ? CreateDefaultClient(new NoServerErrorsHandler()) : CreateClient();

    /// <summary>A client sending <c>Authorization: Bearer <paramref name="token"/></c>.</summary>
    public HttpClient CreateClient(string token)
    {
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Signs in and returns the whole login answer.</summary>
    public async Task<SignedIn> SignInAsync(string account, string password)
    {
        using var anonymous = CreateAnonymousClient();
        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { account, password });
        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        var body = await response.ReadJsonAsync();
        var token = body.GetProperty("token").GetString()!;
        return new SignedIn(
            token,
            body.GetProperty("user").GetProperty("id").GetInt64(),
            body.GetProperty("mustChangePassword").GetBoolean(),
            CreateClient(token));
    }

    /// <summary>Signs in and returns a client carrying the token.</summary>
    public async Task<HttpClient> LoginAsync(string account, string password) => (await SignInAsync(account, password)).Client;

    /// <summary>A client of the first administrator (<c>admin</c>); the sign-in happens once per app.</summary>
    public async Task<HttpClient> AdminClientAsync()
    {
        await _adminGate.WaitAsync();
        try
        {
            _adminToken ??= (await SignInAsync("admin", AdminPassword)).Token;
        }
        finally
        {
            _adminGate.Release();
        }

        return CreateClient(_adminToken);
    }

    /// <summary>Creates a user through the API (as the administrator); the account is unique unless given.</summary>
    public async Task<TestUser> CreateUserAsync(string? account = null, string password = DefaultUserPassword, bool isAdmin = false, string? name = null)
    {
        account ??= UniqueName("user");
        using var admin = await AdminClientAsync();
        var response = await admin.PostAsJsonAsync("/api/v1/users", new { account, name = name ?? account, password, isAdmin });
        await response.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var body = await response.ReadJsonAsync();
        return new TestUser(body.GetProperty("id").GetInt64(), body.GetProperty("account").GetString()!, password);
    }

    /// <summary>Creates a user and signs it in.</summary>
    public async Task<(TestUser User, HttpClient Client)> CreateUserClientAsync(bool isAdmin = false)
    {
        var user = await CreateUserAsync(isAdmin: isAdmin);
        return (user, await LoginAsync(user.Account, user.Password));
    }

    /// <summary>Creates a project as <paramref name="owner"/> (who becomes its admin); the name is unique unless given.</summary>
    public static async Task<TestProject> CreateProjectAsync(HttpClient owner, string? name = null, string remark = "")
    {
        name ??= UniqueName("project");
        var response = await owner.PostAsJsonAsync("/api/v1/projects", new { name, remark });
        await response.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var body = await response.ReadJsonAsync();
        return new TestProject(body.GetProperty("id").GetInt64(), name);
    }

    /// <summary>Adds <paramref name="account"/> to the project with <paramref name="role"/> (admin, manager, viewer).</summary>
    public static async Task AddMemberAsync(HttpClient projectAdmin, long projectId, string account, string role)
    {
        var response = await projectAdmin.PostAsJsonAsync($"/api/v1/projects/{projectId}/members", new { account, role });
        await response.ShouldHaveStatusAsync(HttpStatusCode.Created);
    }

    /// <summary>A name no other test uses (accounts allow 3..64 of [a-zA-Z0-9._@-]).</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _adminGate.Dispose();
            if (_ownsDatabase)
            {
                _database?.Dispose();
            }

            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
                // A pooled connection may still hold the file; the temp folder is cleaned by the OS eventually.
            }
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Turns any 500 into a test failure, so that "never a 500" holds for every request a test makes.</summary>
    private sealed class NoServerErrorsHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.InternalServerError)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new ShouldAssertException($"{request.Method} {request.RequestUri} answered 500: {body}");
            }

            return response;
        }
    }
}

public sealed record SignedIn(string Token, long UserId, bool MustChangePassword, HttpClient Client);

public sealed record TestUser(long Id, string Account, string Password);

public sealed record TestProject(long Id, string Name);
