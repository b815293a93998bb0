using System.Globalization;
using Dapper;
using Kabinet.Browser.Tests.Infrastructure;
using Kabinet.Domain.Money;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Kabinet.Browser.Tests;

/// <summary>The demo subscriber tops up by card on the sandbox's hosted page, then switches autopay on and off (issue 4, M6, M8).</summary>
[Collection(SharedBrowser.Name)]
public sealed class TopUpBrowserTests(BrowserFixture browser, LiveApp app) : IClassFixture<LiveApp>
{
    private static readonly CultureInfo Ru = new("ru-RU");

    [Fact]
    public async Task Demo_subscriber_tops_up_500_by_card_sees_the_new_balance_and_the_receipt_and_switches_autopay_on_and_off()
    {
        var account = (await app.Factory.AccountsOfAsync(LiveApp.DemoContract))[0].Id;
        var before = await BalanceAsync(account);
        await using var context = await browser.NewContextAsync(app.BaseUrl, "ru-RU");
        var page = await context.NewPageAsync();
        await CabinetPages.LogInAsync(page);

        await CabinetPages.ClickAndWaitForPageAsync(page, page.Locator(".cabinet-nav").GetByRole(AriaRole.Link, new() { Name = "Пополнить", Exact = true }));
        new Uri(page.Url).AbsolutePath.ShouldBe("/pay");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Пополнение счёта");
        await page.GetByLabel("Сумма, ₽").FillAsync("500.00");
        await page.Locator("#consent").CheckAsync();
        await page.Locator("#saveCard").CheckAsync();
        await ScreenshotsAsync(page, "pay");

        await page.GetByRole(AriaRole.Button, new() { Name = "Перейти к оплате" }).ClickAsync();
        await page.WaitForURLAsync("**/sandbox-acquirer/pay/**");
        (await page.GetByTestId("sandbox-amount").InnerTextAsync()).ShouldContain("500,00");
        await page.Locator("#card").FillAsync("5555555555554477");
        await page.Locator("#expiry").FillAsync("12/30");
        await page.Locator("#cvc").FillAsync("123");
        await ScreenshotsAsync(page, "sandbox-pay");

        await page.GetByRole(AriaRole.Button, new() { Name = "Оплатить" }).ClickAsync();
        // The result page asks the gateway and credits before it renders, and refreshes itself while the
        // bank's answer is on its way.
        await page.WaitForURLAsync("**/pay/result/**");
        await page.Locator("[data-testid=pay-result][data-status=succeeded]").WaitForAsync();
        (await page.GetByTestId("pay-result").InnerTextAsync()).ShouldContain("500,00");
        (await page.GetByTestId("new-balance").InnerTextAsync()).ShouldBe(MoneyFormat.Display(new Money(before + 500_00), Ru));
        (await BalanceAsync(account)).ShouldBe(before + 500_00);
        await ScreenshotsAsync(page, "pay-result");

        await CabinetPages.ClickAndWaitForPageAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Квитанция об оплате" }));
        new Uri(page.Url).AbsolutePath.ShouldStartWith("/history/receipts/");
        (await page.GetByTestId("receipt-amount").InnerTextAsync()).ShouldContain("500,00");
        (await page.GetByTestId("receipt-contract").InnerTextAsync()).ShouldBe(LiveApp.DemoContract);

        await CabinetPages.ClickAndWaitForPageAsync(page, page.Locator(".cabinet-nav").GetByRole(AriaRole.Link, new() { Name = "Автоплатёж", Exact = true }));
        new Uri(page.Url).AbsolutePath.ShouldBe("/autopay");
        (await page.GetByTestId("saved-card").InnerTextAsync()).ShouldContain("•••• 4477");
        (await page.GetByTestId("saved-card").InnerTextAsync()).ShouldNotContain("5555");
        (await page.GetByTestId("autopay-state").GetAttributeAsync("data-enabled")).ShouldBe("false");

        await page.GetByLabel("Когда баланс опускается ниже порога").CheckAsync();
        await page.GetByLabel("Порог баланса, ₽").FillAsync("сто");
        await page.GetByLabel("Сумма пополнения, ₽").FillAsync("300.00");
        await CabinetPages.ClickAndWaitForPageAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Сохранить и включить" }));
        (await page.Locator("#below-error").InnerTextAsync()).ShouldContain("Укажите порог");
        (await page.GetByLabel("Порог баланса, ₽").GetAttributeAsync("aria-invalid")).ShouldBe("true");

        await page.GetByLabel("Порог баланса, ₽").FillAsync("100.00");
        await CabinetPages.ClickAndWaitForPageAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Сохранить и включить" }));
        (await page.GetByTestId("autopay-state").GetAttributeAsync("data-enabled")).ShouldBe("true");
        (await page.GetByTestId("autopay-state").InnerTextAsync()).ShouldContain("300,00");
        await ScreenshotsAsync(page, "autopay");

        await CabinetPages.ClickAndWaitForPageAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Выключить автоплатёж" }));
        (await page.GetByTestId("autopay-state").GetAttributeAsync("data-enabled")).ShouldBe("false");
        (await page.GetByTestId("autopay-notice").InnerTextAsync()).ShouldContain("выключен");
    }

    // Full-page shots at 1280 and 360 px; nothing may scroll sideways on a phone.
    private static async Task ScreenshotsAsync(IPage page, string name)
    {
        await page.SetViewportSizeAsync(1280, 800);
        await CabinetPages.ScreenshotAsync(page, $"{name}-ru-1280");
        await page.SetViewportSizeAsync(360, 740);
        (await CabinetPages.HorizontalOverflowAsync(page)).ShouldBeLessThanOrEqualTo(0, $"{name} scrolls sideways at 360 px");
        await CabinetPages.ScreenshotAsync(page, $"{name}-ru-360");
        await page.SetViewportSizeAsync(1280, 800);
    }

    private async Task<long> BalanceAsync(long account)
    {
        using var database = app.Factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT la.balance FROM accounts a JOIN ledger_accounts la ON la.id = a.ledger_account_id WHERE a.id = @account", new { account });
    }
}
