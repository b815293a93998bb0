using Kabinet.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Kabinet.Browser.Tests;

/// <summary>The RU/EN switcher in the header (M35): the page, its texts and &lt;html lang&gt; follow it.</summary>
[Collection(SharedBrowser.Name)]
public sealed class LanguageSwitchTests(BrowserFixture browser, LiveApp app) : IClassFixture<LiveApp>
{
    [Fact]
    public async Task Header_buttons_switch_the_login_page_between_Russian_and_English()
    {
        await using var context = await browser.NewContextAsync(app.BaseUrl, "ru-RU");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");

        await ShouldBeInAsync(page, "ru");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Вход в личный кабинет");

        await SwitchLanguageAsync(page, "EN");

        new Uri(page.Url).AbsolutePath.ShouldBe("/login");
        await ShouldBeInAsync(page, "en");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Log in to your account");
        (await page.Locator("label[for=contract]").InnerTextAsync()).ShouldBe("Contract number");
        (await page.Locator("form:has(#password) button[type=submit]").InnerTextAsync()).Trim().ShouldBe("Log in");

        await SwitchLanguageAsync(page, "RU");

        await ShouldBeInAsync(page, "ru");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Вход в личный кабинет");
    }

    [Fact]
    public async Task The_choice_beats_Accept_Language_and_survives_logging_in_and_switching_on_the_dashboard()
    {
        // The browser asks for Russian; the subscriber picks English.
        await using var context = await browser.NewContextAsync(app.BaseUrl, "ru-RU");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await SwitchLanguageAsync(page, "EN");

        await CabinetPages.LogInAsync(page);

        await ShouldBeInAsync(page, "en");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Contract No. 100000000001");
        (await page.Locator("#balance-label").InnerTextAsync()).ShouldBe("Balance");
        var other = page.Locator("nav.switcher a:not([aria-current])");
        var otherHref = (await other.GetAttributeAsync("href")).ShouldNotBeNull();
        await CabinetPages.ClickAndWaitForPageAsync(page, other);

        // Switching back to Russian on the dashboard returns to the same account.
        await SwitchLanguageAsync(page, "RU");

        page.Url.ShouldEndWith(otherHref);
        await ShouldBeInAsync(page, "ru");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Договор №100000000001");
        (await page.Locator("#balance-label").InnerTextAsync()).ShouldBe("Баланс");
        (await page.Locator("nav.switcher a[aria-current=page]").GetAttributeAsync("href")).ShouldBe(otherHref);
    }

    /// <summary>Presses a header language button; the POST /culture must bring the browser back to the page.</summary>
    private static async Task SwitchLanguageAsync(IPage page, string name)
    {
        var before = new Uri(page.Url).PathAndQuery;
        var culture = page.WaitForResponseAsync(r => r.Request.Method == "POST" && new Uri(r.Url).AbsolutePath == "/culture");
        await CabinetPages.ClickAndWaitForPageAsync(page, LanguageButton(page, name));
        var response = await culture;
        response.Status.ShouldBe(302, $"POST /culture from {before} answered {response.Status} instead of redirecting back");
        new Uri(page.Url).PathAndQuery.ShouldBe(before);
    }

    private static ILocator LanguageButton(IPage page, string name) =>
        page.Locator("header form.lang").GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    private static async Task ShouldBeInAsync(IPage page, string lang)
    {
        (await page.GetAttributeAsync("html", "lang")).ShouldBe(lang);
        (await LanguageButton(page, "RU").GetAttributeAsync("aria-pressed")).ShouldBe(lang == "ru" ? "true" : "false");
        (await LanguageButton(page, "EN").GetAttributeAsync("aria-pressed")).ShouldBe(lang == "en" ? "true" : "false");
    }
}
