using Kabinet.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Kabinet.Browser.Tests;

/// <summary>The subscriber's whole visit in Chromium: log in, see the account, switch accounts, log out.</summary>
[Collection(SharedBrowser.Name)]
public sealed class CabinetLoginTests(BrowserFixture browser, LiveApp app) : IClassFixture<LiveApp>
{
    [Fact]
    public async Task Russian_subscriber_logs_in_sees_balance_switches_account_and_logs_out()
    {
        await using var context = await browser.NewContextAsync(app.BaseUrl, "ru-RU");
        var page = await context.NewPageAsync();

        await page.GotoAsync("/login");
        (await page.GetAttributeAsync("html", "lang")).ShouldBe("ru");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Вход в личный кабинет");
        (await page.Locator("form:has(#password) button[type=submit]").InnerTextAsync()).Trim().ShouldBe("Войти");

        await CabinetPages.LogInAsync(page);

        new Uri(page.Url).AbsolutePath.ShouldBe("/");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Договор №100000000001");
        (await page.Locator("#balance-label").InnerTextAsync()).ShouldBe("Баланс");
        var balance = page.GetByTestId("balance");
        (await balance.IsVisibleAsync()).ShouldBeTrue();
        (await balance.InnerTextAsync()).ShouldContain("₽");
        (await page.GetByTestId("status").InnerTextAsync()).ShouldBeOneOf("Активен", "Заблокирован", "Приостановлен", "Расторгнут");
        (await page.GetByTestId("tariff").InnerTextAsync()).ShouldNotBeNullOrWhiteSpace();

        await SwitchToTheOtherAccountAsync(page);

        var notice = await LogOutAsync(page);
        notice.ShouldContain("вы вышли", Case.Insensitive);
    }

    [Fact]
    public async Task English_subscriber_gets_English_texts_by_Accept_Language()
    {
        await using var context = await browser.NewContextAsync(app.BaseUrl, "en-US");
        var page = await context.NewPageAsync();

        await page.GotoAsync("/login");
        (await page.GetAttributeAsync("html", "lang")).ShouldBe("en");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Log in to your account");
        (await page.GetByLabel("Contract number").IsVisibleAsync()).ShouldBeTrue();
        (await page.GetByLabel("Password", new() { Exact = true }).IsVisibleAsync()).ShouldBeTrue();
        (await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).IsVisibleAsync()).ShouldBeTrue();

        await CabinetPages.LogInAsync(page);

        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Contract No. 100000000001");
        (await page.Locator("#balance-label").InnerTextAsync()).ShouldBe("Balance");
        (await page.GetByTestId("balance").InnerTextAsync()).ShouldContain("₽");
        (await page.GetByTestId("status").InnerTextAsync()).ShouldBeOneOf("Active", "Blocked", "Frozen", "Terminated");
        (await page.Locator("#acc-title").InnerTextAsync()).ShouldContain("Account ");

        await SwitchToTheOtherAccountAsync(page);

        var notice = await LogOutAsync(page);
        notice.ShouldBe("You have logged out.");
    }

    [Fact]
    public async Task Wrong_password_shows_an_error_stays_on_login_keeps_the_contract_and_clears_the_password()
    {
        await using var context = await browser.NewContextAsync(app.BaseUrl, "ru-RU");
        var page = await context.NewPageAsync();

        await CabinetPages.LogInAsync(page, LiveApp.DemoContract, "not-the-password");

        new Uri(page.Url).AbsolutePath.ShouldBe("/login");
        var error = page.Locator("[role=alert], .field-error");
        (await error.CountAsync()).ShouldBeGreaterThan(0);
        (await error.First.IsVisibleAsync()).ShouldBeTrue();
        var message = await error.First.InnerTextAsync();
        message.ShouldNotBeNullOrWhiteSpace();
        // The message must not say which half was wrong: it names neither field alone.
        message.ShouldNotContain("Неверный пароль", Case.Insensitive);
        (await page.Locator("#contract").InputValueAsync()).ShouldBe(LiveApp.DemoContract);
        (await page.Locator("#password").InputValueAsync()).ShouldBeEmpty();

        // The dashboard is still closed.
        await page.GotoAsync("/");
        new Uri(page.Url).AbsolutePath.ShouldBe("/login");
    }

    [Fact]
    public async Task Typing_Cyrillic_into_the_password_shows_the_keyboard_layout_hint()
    {
        await using var context = await browser.NewContextAsync(app.BaseUrl, "ru-RU");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");

        var hint = page.Locator("#keyboard-hint");
        (await hint.IsVisibleAsync()).ShouldBeFalse();

        await page.Locator("#password").PressSequentiallyAsync("лфиштуе");

        await Assertions.Expect(hint).ToBeVisibleAsync();
        (await hint.InnerTextAsync()).ShouldContain("раскладка");

        // Back to Latin: the hint goes away.
        await page.Locator("#password").FillAsync("");
        await page.Locator("#password").PressSequentiallyAsync("kabinet");
        await Assertions.Expect(hint).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Show_password_checkbox_reveals_and_hides_the_password()
    {
        await using var context = await browser.NewContextAsync(app.BaseUrl, "ru-RU");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");

        var password = page.Locator("#password");
        (await password.GetAttributeAsync("type")).ShouldBe("password");
        await page.GetByLabel("Показать пароль").CheckAsync();
        (await password.GetAttributeAsync("type")).ShouldBe("text");
        await page.GetByLabel("Показать пароль").UncheckAsync();
        (await password.GetAttributeAsync("type")).ShouldBe("password");
    }

    private static async Task SwitchToTheOtherAccountAsync(IPage page)
    {
        var links = page.Locator("nav.switcher a");
        (await links.CountAsync()).ShouldBe(2);
        var current = page.Locator("nav.switcher a[aria-current=page]");
        (await current.CountAsync()).ShouldBe(1);
        var firstHref = await current.GetAttributeAsync("href");
        var firstTitle = await page.Locator("#acc-title").InnerTextAsync();

        var other = page.Locator("nav.switcher a:not([aria-current])");
        var otherHref = await other.GetAttributeAsync("href");
        otherHref.ShouldNotBeNull().ShouldStartWith("/?account=");
        await CabinetPages.ClickAndWaitForPageAsync(page, other);

        page.Url.ShouldEndWith(otherHref);
        (await page.Locator("nav.switcher a[aria-current=page]").GetAttributeAsync("href")).ShouldBe(otherHref);
        (await page.Locator($"nav.switcher a[href='{firstHref}']").GetAttributeAsync("aria-current")).ShouldBeNull();
        var secondTitle = await page.Locator("#acc-title").InnerTextAsync();
        secondTitle.ShouldNotBe(firstTitle);
        (await page.GetByTestId("balance").InnerTextAsync()).ShouldContain("₽");
    }

    /// <summary>Logs out with the header button; returns the notice shown on the login page.</summary>
    private static async Task<string> LogOutAsync(IPage page)
    {
        await CabinetPages.ClickAndWaitForPageAsync(page, page.Locator("header form.logout button"));
        new Uri(page.Url).AbsolutePath.ShouldBe("/login");
        (await page.Locator("header form.logout").CountAsync()).ShouldBe(0);
        var notice = await page.Locator("p.notice[role=status]").InnerTextAsync();

        // The cookie is gone: the dashboard asks to log in again.
        await page.GotoAsync("/");
        new Uri(page.Url).AbsolutePath.ShouldBe("/login");
        return notice;
    }
}
