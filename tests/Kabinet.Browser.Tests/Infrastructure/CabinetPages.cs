using Microsoft.Playwright;

namespace Kabinet.Browser.Tests.Infrastructure;

/// <summary>Steps through the cabinet's pages the way a subscriber does, and where the run keeps screenshots.</summary>
public static class CabinetPages
{
    /// <summary>Opens /login, types the contract and password, submits and waits for the next page.</summary>
    public static async Task LogInAsync(IPage page, string contract = LiveApp.DemoContract, string password = LiveApp.DemoPassword)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/login");
        await page.Locator("#contract").FillAsync(contract);
        await page.Locator("#password").FillAsync(password);
        await ClickAndWaitForPageAsync(page, page.Locator("form:has(#password) button[type=submit]"));
    }

    /// <summary>Clicks (a link or a submit button) and waits until the next page has loaded.</summary>
    public static async Task ClickAndWaitForPageAsync(IPage page, ILocator target)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(target);
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLoad(object? sender, IPage e) => loaded.TrySetResult();
        page.Load += OnLoad;
        try
        {
            await target.ClickAsync();
            await loaded.Task.WaitAsync(TimeSpan.FromMilliseconds(BrowserFixture.StepTimeoutMs));
        }
        finally
        {
            page.Load -= OnLoad;
        }
    }

    /// <summary>The page's horizontal overflow in CSS pixels (0 when nothing scrolls sideways).</summary>
    public static async Task<int> HorizontalOverflowAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
    }

    /// <summary>
    /// The folder for screenshots: $KABINET_ARTIFACTS/screenshots (set by build/test.sh), otherwise
    /// &lt;repo&gt;/artifacts/screenshots.
    /// </summary>
    public static string ScreenshotDirectory
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("KABINET_ARTIFACTS") is { Length: > 0 } set
                ? set
                : Path.Combine(RepoRoot(), "artifacts");
            var dir = Path.Combine(root, "screenshots");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    /// <summary>Saves a full-page PNG under the screenshot folder and returns its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        return path;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kabinet.slnx")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
