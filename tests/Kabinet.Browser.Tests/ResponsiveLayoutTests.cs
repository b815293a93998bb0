using Kabinet.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Kabinet.Browser.Tests;

/// <summary>
/// The login page and the dashboard on a small phone (360 px) and a desktop (1280 px), in both
/// languages: nothing scrolls sideways, the balance is on screen. Full-page screenshots are kept
/// as artefacts under screenshots/.
/// </summary>
[Collection(SharedBrowser.Name)]
public sealed class ResponsiveLayoutTests(BrowserFixture browser, LiveApp app) : IClassFixture<LiveApp>
{
    [Theory]
    [InlineData(360, 740, "ru-RU")]
    [InlineData(360, 740, "en-US")]
    [InlineData(1280, 800, "ru-RU")]
    [InlineData(1280, 800, "en-US")]
    public async Task Login_and_dashboard_fit_the_screen(int width, int height, string locale)
    {
        await using var context = await browser.NewContextAsync(app.BaseUrl, locale, width, height);
        var page = await context.NewPageAsync();
        var lang = locale[..2];

        await page.GotoAsync("/login");
        await page.EvaluateAsync("() => document.fonts.ready");
        (await CabinetPages.HorizontalOverflowAsync(page)).ShouldBeLessThanOrEqualTo(0, $"login page scrolls sideways at {width} px ({lang})");
        await ShouldBeInsideViewportAsync(page, page.Locator("#contract"), width);
        await ShouldBeInsideViewportAsync(page, page.Locator("form:has(#password) button[type=submit]"), width);
        await CabinetPages.ScreenshotAsync(page, $"login-{lang}-{width}");

        // The error state is the widest the form gets: a message above the fields.
        await CabinetPages.LogInAsync(page, LiveApp.DemoContract, "wrong-password");
        (await CabinetPages.HorizontalOverflowAsync(page)).ShouldBeLessThanOrEqualTo(0, $"login error page scrolls sideways at {width} px ({lang})");

        await CabinetPages.LogInAsync(page);
        new Uri(page.Url).AbsolutePath.ShouldBe("/");
        await page.EvaluateAsync("() => document.fonts.ready");
        (await CabinetPages.HorizontalOverflowAsync(page)).ShouldBeLessThanOrEqualTo(0, $"dashboard scrolls sideways at {width} px ({lang})");
        var balance = page.GetByTestId("balance");
        (await balance.IsVisibleAsync()).ShouldBeTrue();
        (await balance.InnerTextAsync()).ShouldContain("₽");
        await ShouldBeInsideViewportAsync(page, balance, width);
        // The balance is seen without scrolling down, even on a phone.
        var box = (await balance.BoundingBoxAsync()).ShouldNotBeNull();
        (box.Y + box.Height).ShouldBeLessThanOrEqualTo(height, "the balance is below the first screen");
        await ShouldBeInsideViewportAsync(page, page.Locator("header form.logout button"), width);
        await CabinetPages.ScreenshotAsync(page, $"dashboard-{lang}-{width}");
    }

    [Theory]
    [InlineData(360, 740, "ru-RU")]
    [InlineData(1280, 800, "en-US")]
    public async Task The_public_offer_fits_the_screen_and_prints_without_the_site_chrome(int width, int height, string locale)
    {
        await using var context = await browser.NewContextAsync(app.BaseUrl, locale, width, height);
        var page = await context.NewPageAsync();

        // Reached from the form without login, by its link, as a payer would.
        await page.GotoAsync("/pay-without-login");
        await page.Locator("#contract").FillAsync(LiveApp.DemoContract);
        await page.Locator("#contract").PressAsync("Enter");
        await page.GetByTestId("offer-link").ClickAsync();
        new Uri(page.Url).AbsolutePath.ShouldBe("/offer");
        await page.EvaluateAsync("() => document.fonts.ready");

        (await CabinetPages.HorizontalOverflowAsync(page)).ShouldBeLessThanOrEqualTo(0, $"the offer scrolls sideways at {width} px");
        await ShouldBeInsideViewportAsync(page, page.GetByTestId("offer-details"), width);
        await CabinetPages.ScreenshotAsync(page, $"offer-{locale[..2]}-{width}");
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        (await page.Locator("header.top").IsVisibleAsync()).ShouldBeFalse();
        (await page.GetByTestId("offer").IsVisibleAsync()).ShouldBeTrue();
    }

    private static async Task ShouldBeInsideViewportAsync(IPage page, ILocator element, int width)
    {
        var box = (await element.BoundingBoxAsync()).ShouldNotBeNull();
        box.X.ShouldBeGreaterThanOrEqualTo(0, $"{element} starts left of the screen");
        (box.X + box.Width).ShouldBeLessThanOrEqualTo(width, $"{element} ends right of the screen at {width} px on {page.Url}");
    }
}
