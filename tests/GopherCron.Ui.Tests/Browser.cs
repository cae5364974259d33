using System.Reflection;
using GopherCron.Testing;
using Microsoft.Playwright;

namespace GopherCron.Ui.Tests;

/// <summary>A browser test: skipped, saying why, only when no Chromium is installed (scripts/test.sh installs Debian's).</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Browser.ChromiumPath is null)
        {
            Skip = "No Chromium found (/usr/bin/chromium, or CHROMIUM_PATH): install Debian's package chromium (scripts/test.sh does).";
        }
        else if (!File.Exists(Path.Combine(Path.GetDirectoryName(Browser.HostDll)!, "admin", "index.html")))
        {
            Skip = "The host was built without its admin UI (npm was not found): install Node.js 20+ and npm and build again.";
        }
    }
}

/// <summary>The real host as a process, and Debian's Chromium driven by Playwright, with screenshots saved as artifacts.</summary>
public static class Browser
{
    public static string? ChromiumPath =>
        new[] { Environment.GetEnvironmentVariable("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/chromium-browser" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    public static string HostDll => typeof(Browser).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "HostDll").Value!;

    /// <summary>Where screenshots go: GOPHERCRON_UI_SCREENSHOTS, else artifacts/ui-screenshots at the repository root.</summary>
    public static string ScreenshotFolder
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("GOPHERCRON_UI_SCREENSHOTS");
            if (!string.IsNullOrEmpty(configured))
            {
                return configured;
            }

            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GopherCron.slnx")))
            {
                dir = dir.Parent;
            }

            return Path.Combine(dir?.FullName ?? Path.GetTempPath(), "artifacts", "ui-screenshots");
        }
    }

    public static async Task<HostProcess> StartHostAsync()
    {
        var data = Path.Combine(Path.GetTempPath(), "gophercron-ui-tests", Guid.NewGuid().ToString("N"));
        return await HostProcess.StartAsync(HostDll, data);
    }

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });

    public static async Task ShotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        // Let transitions and charts settle so the picture shows the page as a person sees it.
        await page.WaitForTimeoutAsync(400);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
    }
}
