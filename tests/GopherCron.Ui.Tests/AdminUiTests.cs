using System.Net.Http.Json;
using System.Text.RegularExpressions;
using GopherCron.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GopherCron.Ui.Tests;

/// <summary>Browser tests share one collection: one Chromium and one host at a time on a small machine.</summary>
[CollectionDefinition("browser", DisableParallelization = true)]
public sealed class BrowserCollection;

/// <summary>
/// The README's curl tour, done in the browser against the real host process: first sign-in with the forced password
/// change, a project, a task made with the cron helper and the executor form, its runs appearing live, a long run's
/// output streaming and the run killed, pausing, errors beside their fields, the other pages, language and theme.
/// Every page is saved as a screenshot (artifacts/ui-screenshots).
/// </summary>
[Collection("browser")]
public sealed class AdminUiTests
{
    private const string NewPassword = "s3cret-pass";

    [BrowserFact]
    public async Task The_tour_works_from_the_browser_alone()
    {
        await using var host = await Browser.StartHostAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 860 }, Locale = "en-US" });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        SetDefaultExpectTimeout(15_000);
        var admin = new Uri(host.BaseAddress, "/admin/");

        // 1–2. Sign in with the initial password; the UI insists on a new one before anything else.
        await page.GotoAsync(host.BaseAddress.ToString());
        await Expect(page).ToHaveURLAsync(new Regex("/admin/login$"));
        await Browser.ShotAsync(page, "01-login");
        await page.Locator("input[name=account]").FillAsync("admin");
        await page.Locator("input[name=password]").FillAsync("123456");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/admin/password$"));
        await Expect(page.GetByText("Choose a new one to continue")).ToBeVisibleAsync();
        await Browser.ShotAsync(page, "02-forced-password-change");
        await page.Locator("input[autocomplete=current-password]").FillAsync("123456");
        await page.Locator("input[autocomplete=new-password]").Nth(0).FillAsync(NewPassword);
        await page.Locator("input[autocomplete=new-password]").Nth(1).FillAsync(NewPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("live-indicator")).ToHaveAttributeAsync("data-connected", "true");
        await Browser.ShotAsync(page, "03-dashboard-empty");

        // 3. A project.
        await page.GetByRole(AriaRole.Link, new() { Name = "Projects" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "New project" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Name").FillAsync("demo");
        await dialog.GetByLabel("Remark").FillAsync("first steps");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "demo" })).ToBeVisibleAsync();
        var projectUrl = page.Url;
        await page.GetByRole(AriaRole.Link, new() { Name = "← Projects" }).ClickAsync();
        await Expect(page.GetByTestId("project-card")).ToHaveCountAsync(1);
        await Browser.ShotAsync(page, "03b-projects");
        await page.GetByTestId("project-card").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "demo" })).ToBeVisibleAsync();

        // A bad task: the API's errors appear beside the fields they name (cron, config.command).
        await page.GetByRole(AriaRole.Link, new() { Name = "New task" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = false }).First.FillAsync("hello");
        var cron = page.GetByTestId("cron-input");
        await cron.FillAsync("61 * * * *");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(cron).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#config-command")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByText("A command is required.")).ToBeVisibleAsync();
        await Browser.ShotAsync(page, "04-task-form-errors");

        // 4–5. The cron helper describes the expression and lists the next five fires as you type.
        await cron.FillAsync("*/2 * * * * *");
        await Expect(page.GetByText("Every 2 seconds")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("cron-preview").Locator("li")).ToHaveCountAsync(5);
        await page.Locator("#config-command").FillAsync("echo hello from $GOPHERCRON_RUN_ID; printf '\\033[32mgreen\\033[0m\\n'");
        await Browser.ShotAsync(page, "05-task-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "hello" })).ToBeVisibleAsync();

        // 6. Runs appear without reloading, and succeed.
        var runsTable = page.GetByTestId("runs-table");
        await Expect(runsTable.Locator("[data-status=succeeded]").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Browser.ShotAsync(page, "06-task-runs-live");

        // 8. Pause: the task says so, and no new runs come.
        await page.GetByTestId("pause").ClickAsync();
        await Expect(page.Locator("[data-status=paused]").First).ToBeVisibleAsync();
        await Expect(page.GetByTestId("resume")).ToBeVisibleAsync();

        // 7. A run's output, with ANSI colours.
        await runsTable.Locator("[data-status=succeeded]").First.Locator("xpath=ancestor::tr").GetByRole(AriaRole.Link).First.ClickAsync();
        var output = page.GetByTestId("run-output");
        await Expect(output).ToContainTextAsync("hello from");
        await Expect(output.Locator("span[style*='color']", new() { HasText = "green" })).ToBeVisibleAsync();
        await Browser.ShotAsync(page, "07-run-output");

        // 9. A long task: run now, watch its output arrive live, kill it.
        await page.GotoAsync(projectUrl + "/tasks");
        await page.GetByRole(AriaRole.Link, new() { Name = "New task" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = false }).First.FillAsync("long");
        await page.GetByTestId("cron-input").FillAsync("0 0 1 1 *");
        await page.Locator("#config-command").FillAsync("for i in $(seq 1 60); do echo tick $i; sleep 1; done");
        await page.GetByRole(AriaRole.Switch, new() { Name = "Enabled" }).SetCheckedAsync(false, new() { Force = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "long" })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-status=paused]").First).ToBeVisibleAsync();
        await page.GetByTestId("run-now").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/admin/runs/\\d+$"));
        await Expect(page.GetByTestId("following")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("run-output")).ToContainTextAsync("tick 2");
        await Expect(page.Locator("[data-status=running]").First).ToBeVisibleAsync();
        await Browser.ShotAsync(page, "08-run-following");
        await page.GetByTestId("kill").ClickAsync();
        await page.GetByTestId("confirm").ClickAsync();
        await Expect(page.Locator("[data-status=killed]").First).ToBeVisibleAsync();
        await Expect(page.GetByTestId("following")).ToBeHiddenAsync();
        await Browser.ShotAsync(page, "09-run-killed");

        // The project's pages: tasks with live state, run history, agents, members, token.
        await page.GotoAsync(projectUrl + "/tasks");
        await Expect(page.GetByTestId("tasks-table").Locator("tr[data-task-name=hello] [data-status=paused]")).ToBeVisibleAsync();
        await Browser.ShotAsync(page, "10-project-tasks");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Runs" }).ClickAsync();
        await Expect(page.GetByTestId("runs-table").Locator("[data-status=killed]")).ToBeVisibleAsync();
        await Browser.ShotAsync(page, "11-project-runs");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Agents" }).ClickAsync();
        await Expect(page.GetByTestId("agents-table")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Members" }).ClickAsync();
        await Expect(page.GetByText("(admin)")).ToBeVisibleAsync();
        await Browser.ShotAsync(page, "12-project-members");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Agent token" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        var token = page.GetByTestId("project-token");
        await Expect(token).Not.ToContainTextAsync("•");
        var oldToken = await token.TextContentAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Regenerate" }).ClickAsync();
        await page.GetByTestId("confirm").ClickAsync();
        await Expect(token).Not.ToHaveTextAsync(oldToken!);
        await Browser.ShotAsync(page, "13-project-token");

        // Copy a task (it starts paused), and resume then pause the original.
        await page.GotoAsync(projectUrl + "/tasks");
        await page.GetByRole(AriaRole.Link, new() { Name = "hello", Exact = true }).ClickAsync();
        await page.GetByTestId("resume").ClickAsync();
        await Expect(page.GetByTestId("pause")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-status=scheduled], [data-status=running]").First).ToBeVisibleAsync();
        await page.GetByTestId("pause").ClickAsync();
        await Expect(page.GetByTestId("resume")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Copy" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "hello (copy)" })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-status=paused]").First).ToBeVisibleAsync();
        await Browser.ShotAsync(page, "13b-task-copied");

        // Agents, cluster, users, profile, and the dashboard with data.
        await page.GetByRole(AriaRole.Link, new() { Name = "Agents" }).ClickAsync();
        await Expect(page.GetByTestId("agents-table").GetByText("online")).ToBeVisibleAsync();
        var weight = page.GetByRole(AriaRole.Textbox, new() { Name = "Weight embedded", Exact = false });
        await weight.FillAsync("50");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save embedded", Exact = false }).ClickAsync();
        await Expect(page.GetByText("Weight 50")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Weight embedded", Exact = false })).ToHaveValueAsync("50");
        await Browser.ShotAsync(page, "14-agents");
        await page.GetByRole(AriaRole.Link, new() { Name = "Cluster" }).ClickAsync();
        await Expect(page.GetByTestId("cluster-role")).ToHaveTextAsync("standalone");
        await Browser.ShotAsync(page, "15-cluster");
        await page.GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "New user" }).ClickAsync();
        dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Account", new() { Exact = false }).FillAsync("x");
        await dialog.GetByLabel("Name", new() { Exact = false }).FillAsync("Alice");
        await dialog.GetByLabel("Password", new() { Exact = false }).FillAsync("alice-pass-1");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(dialog.Locator("input[aria-invalid=true]")).ToHaveCountAsync(1);
        await dialog.GetByLabel("Account", new() { Exact = false }).FillAsync("alice");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(page.GetByText("alice", new() { Exact = true })).ToBeVisibleAsync();
        await Browser.ShotAsync(page, "16-users");

        // Members and roles: an unknown account is named beside the field; alice joins as a manager, then becomes a viewer.
        await page.GotoAsync(projectUrl + "/members");
        var account = page.GetByLabel("Account", new() { Exact = false });
        await account.FillAsync("nobody-here");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add member" }).ClickAsync();
        await Expect(account).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByText("No user has the account 'nobody-here'.")).ToBeVisibleAsync();
        await account.FillAsync("alice");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Role", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "manager" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add member" }).ClickAsync();
        var aliceRole = page.GetByRole(AriaRole.Textbox, new() { Name = "Role alice" });
        await Expect(aliceRole).ToHaveValueAsync("manager");
        await aliceRole.ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "viewer" }).ClickAsync();
        await Expect(aliceRole).ToHaveValueAsync("viewer");
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Role alice" })).ToHaveValueAsync("viewer");
        await Browser.ShotAsync(page, "16b-project-members");
        await page.GetByRole(AriaRole.Link, new() { Name = "Profile" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Profile" })).ToBeVisibleAsync();
        await Browser.ShotAsync(page, "17-profile");
        await page.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "demo" })).ToBeVisibleAsync();
        await Expect(page.GetByText("3 tasks · 0 enabled")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("runs-chart").Locator("svg").First).ToBeVisibleAsync();
        await Browser.ShotAsync(page, "18-dashboard");

        // Language: Simplified Chinese, kept across a reload.
        await page.GetByTestId("language-switch").GetByText("中文").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "概览" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "项目" })).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "概览" })).ToBeVisibleAsync();
        await Browser.ShotAsync(page, "19-dashboard-zh");
        await page.GotoAsync(projectUrl + "/tasks");
        await page.GetByRole(AriaRole.Link, new() { Name = "新建任务" }).ClickAsync();
        await page.GetByTestId("cron-input").FillAsync("*/5 * * * *");
        await Expect(page.GetByTestId("cron-preview").Locator("li")).ToHaveCountAsync(5);
        await Expect(page.GetByText("每隔 5 分钟", new() { Exact = false })).ToBeVisibleAsync();
        await Browser.ShotAsync(page, "20-task-form-zh");
        await page.GetByTestId("language-switch").GetByText("EN").ClickAsync();

        // Dark theme.
        await page.GotoAsync(projectUrl + "/tasks");
        await page.GetByTestId("theme-toggle").ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-mantine-color-scheme", "dark");
        await Browser.ShotAsync(page, "21-project-dark");
        await page.GetByTestId("theme-toggle").ClickAsync();

        // Log out: back to the sign-in page, and the token no longer works.
        await page.GetByTestId("logout").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/admin/login$"));
        await page.GotoAsync(admin + "projects");
        await Expect(page).ToHaveURLAsync(new Regex("/admin/login$"));
    }

    [BrowserFact]
    public async Task A_phone_sized_screen_navigates_master_to_detail()
    {
        await using var host = await Browser.StartHostAsync();
        using var api = host.CreateClient();
        {
            // The forced change is the other test's subject; here it is done through the API (it ends that session).
            var login = await api.PostAsJsonAsync("/api/v1/auth/login", new { account = "admin", password = "123456" });
            var token = (await login.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("token").GetString();
            api.DefaultRequestHeaders.Authorization = new("Bearer", token);
            (await api.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = "123456", newPassword = NewPassword })).EnsureSuccessStatusCode();
            login = await api.PostAsJsonAsync("/api/v1/auth/login", new { account = "admin", password = NewPassword });
            api.DefaultRequestHeaders.Authorization = new("Bearer", (await login.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("token").GetString());
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true, DeviceScaleFactor = 2, Locale = "en-US",
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        SetDefaultExpectTimeout(15_000);
        await page.GotoAsync(new Uri(host.BaseAddress, "/admin/").ToString());
        await page.Locator("input[name=account]").FillAsync("admin");
        await page.Locator("input[name=password]").FillAsync(NewPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToBeVisibleAsync();
        await Browser.ShotAsync(page, "phone-01-dashboard");

        // The navigation is behind the menu button on a phone.
        var menu = page.GetByRole(AriaRole.Button, new() { Name = "Menu" });
        await Expect(menu).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Projects" })).Not.ToBeInViewportAsync();
        await menu.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Projects" })).ToBeInViewportAsync();
        await Browser.ShotAsync(page, "phone-02-menu");
        await page.GetByRole(AriaRole.Link, new() { Name = "Projects" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "New project" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByLabel("Name").FillAsync("phone");
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "phone" })).ToBeVisibleAsync();

        // Master → detail: the list, then the project, then back.
        await page.GetByRole(AriaRole.Link, new() { Name = "← Projects" }).ClickAsync();
        await Expect(page.GetByTestId("project-card")).ToHaveCountAsync(1);
        await Browser.ShotAsync(page, "phone-03-projects");
        await page.GetByTestId("project-card").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "New task" }).ClickAsync();
        await page.GetByTestId("cron-input").FillAsync("*/10 * * * * *");
        await Expect(page.GetByTestId("cron-preview").Locator("li")).ToHaveCountAsync(5);
        await Browser.ShotAsync(page, "phone-04-task-form");

        // Nothing is wider than the screen.
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        overflow.ShouldBeLessThanOrEqualTo(0);

        // A run that fails anywhere the user can see is announced wherever they are, with a link to it.
        var projectId = long.Parse(new Regex("/projects/(\\d+)").Match(page.Url).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var created = await api.PostAsJsonAsync($"/api/v1/projects/{projectId}/tasks", new { name = "breaks", cron = "0 0 1 1 *", config = new { command = "exit 7" } });
        created.EnsureSuccessStatusCode();
        var taskId = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt64();
        var run = await api.PostAsync($"/api/v1/projects/{projectId}/tasks/{taskId}/run", null);
        var runId = (await run.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("runId").GetInt64();
        var toast = page.GetByRole(AriaRole.Link, new() { Name = $"Run #{runId}" });
        await Expect(toast).ToBeVisibleAsync();
        await Browser.ShotAsync(page, "phone-05-failure-toast");
        await toast.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/admin/runs/{runId}$"));
        await Expect(page.Locator("[data-status=failed]").First).ToBeVisibleAsync();
        await Browser.ShotAsync(page, "phone-06-run");
    }
}
