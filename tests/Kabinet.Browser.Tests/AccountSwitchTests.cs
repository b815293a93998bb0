using Kabinet.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Kabinet.Browser.Tests;

/// <summary>The account switcher (M15) on the dashboard of a contract with two accounts.</summary>
[Collection(SharedBrowser.Name)]
public sealed class AccountSwitchTests(BrowserFixture browser, LiveApp app) : IClassFixture<LiveApp>
{
    [Fact]
    public async Task Each_account_shows_its_own_number_title_and_balance_and_the_switcher_marks_it_current()
    {
        await using var context = await browser.NewContextAsync(app.BaseUrl, "ru-RU");
        var page = await context.NewPageAsync();
        await CabinetPages.LogInAsync(page);

        var links = page.Locator("nav.switcher a");
        (await links.CountAsync()).ShouldBe(2);
        (await page.Locator("nav.switcher").GetAttributeAsync("aria-label")).ShouldNotBeNullOrWhiteSpace();
        var hrefs = new List<string>();
        foreach (var link in await links.AllAsync())
        {
            hrefs.Add((await link.GetAttributeAsync("href")).ShouldNotBeNull());
        }

        hrefs.Distinct(StringComparer.Ordinal).Count().ShouldBe(2);

        // With no account asked for, the first one is shown and marked.
        (await links.Nth(0).GetAttributeAsync("aria-current")).ShouldBe("page");
        (await links.Nth(1).GetAttributeAsync("aria-current")).ShouldBeNull();

        var seen = new List<(string Title, string Balance)>();
        for (var i = 0; i < hrefs.Count; i++)
        {
            await CabinetPages.ClickAndWaitForPageAsync(page, page.Locator($"nav.switcher a[href='{hrefs[i]}']"));
            page.Url.ShouldEndWith(hrefs[i]);

            var current = page.Locator("nav.switcher a[aria-current=page]");
            (await current.CountAsync()).ShouldBe(1);
            (await current.GetAttributeAsync("href")).ShouldBe(hrefs[i]);

            // The switcher's card and the account section agree on the title, number and balance.
            var switcherTitle = await current.Locator(".sw-title").InnerTextAsync();
            var switcherMeta = await current.Locator(".sw-meta").InnerTextAsync();
            var accountNumber = switcherMeta.Split('·')[0].Trim();
            var heading = await page.Locator("#acc-title").InnerTextAsync();
            heading.ShouldContain(switcherTitle);
            heading.ShouldContain($"Счёт {accountNumber}");
            var balance = await page.GetByTestId("balance").InnerTextAsync();
            balance.ShouldContain("₽");
            switcherMeta.ShouldContain(balance.Trim());
            (await page.GetByTestId("status").IsVisibleAsync()).ShouldBeTrue();
            seen.Add((heading, balance));
        }

        seen[0].Title.ShouldNotBe(seen[1].Title);
    }

    [Fact]
    public async Task The_switcher_works_from_the_keyboard()
    {
        await using var context = await browser.NewContextAsync(app.BaseUrl, "ru-RU");
        var page = await context.NewPageAsync();
        await CabinetPages.LogInAsync(page);

        var other = page.Locator("nav.switcher a:not([aria-current])");
        var href = (await other.GetAttributeAsync("href")).ShouldNotBeNull();
        await other.FocusAsync();
        var loaded = page.WaitForURLAsync(url => url.EndsWith(href, StringComparison.Ordinal));
        await page.Keyboard.PressAsync("Enter");
        await loaded;

        (await page.Locator("nav.switcher a[aria-current=page]").GetAttributeAsync("href")).ShouldBe(href);
    }

    [Fact]
    public async Task An_account_id_that_is_not_the_contracts_shows_the_first_account()
    {
        await using var context = await browser.NewContextAsync(app.BaseUrl, "ru-RU");
        var page = await context.NewPageAsync();
        await CabinetPages.LogInAsync(page);
        var first = await page.Locator("nav.switcher a").Nth(0).GetAttributeAsync("href");

        var response = await page.GotoAsync("/?account=987654321");

        response.ShouldNotBeNull().Status.ShouldBe(200);
        (await page.Locator("nav.switcher a[aria-current=page]").GetAttributeAsync("href")).ShouldBe(first);
        (await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync()).ShouldBe("Договор №100000000001");
    }
}
