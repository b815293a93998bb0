using Kabinet.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Kabinet.Browser.Tests;

/// <summary>The demo subscriber takes a promised payment in Chromium (issue 3, M9).</summary>
[Collection(SharedBrowser.Name)]
public sealed class PromisedPaymentBrowserTests(BrowserFixture browser, LiveApp app) : IClassFixture<LiveApp>
{
    [Fact]
    public async Task Demo_subscriber_takes_a_promised_payment_and_the_dashboard_shows_it_with_the_due_date()
    {
        await using var context = await browser.NewContextAsync(app.BaseUrl, "ru-RU");
        var page = await context.NewPageAsync();
        await CabinetPages.LogInAsync(page);
        var before = await page.GetByTestId("balance").InnerTextAsync();

        await CabinetPages.ClickAndWaitForPageAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Обещанный платёж", Exact = true }));
        new Uri(page.Url).AbsolutePath.ShouldBe("/promised-payment");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Обещанный платёж");

        var amount = page.GetByLabel("Сумма, ₽");
        await amount.FillAsync("12,345");
        await CabinetPages.ClickAndWaitForPageAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Взять обещанный платёж" }));
        (await page.Locator("#amount-error").InnerTextAsync()).ShouldContain("Введите сумму в рублях");
        (await amount.GetAttributeAsync("aria-invalid")).ShouldBe("true");

        await amount.FillAsync("200.00");
        await CabinetPages.ClickAndWaitForPageAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Взять обещанный платёж" }));
        (await page.Locator("[role=status]").InnerTextAsync()).ShouldContain("200,00");
        (await page.GetByTestId("promised-open").InnerTextAsync()).ShouldContain("действует до");
        await CabinetPages.ScreenshotAsync(page, "promised-payment-ru-1280");

        await CabinetPages.ClickAndWaitForPageAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Главная", Exact = true }));
        (await page.GetByTestId("dash-promised").InnerTextAsync()).ShouldContain("осталось погасить 200,00");
        (await page.GetByTestId("balance").InnerTextAsync()).ShouldNotBe(before);
        (await page.GetByTestId("forecast").InnerTextAsync()).ShouldNotBeNullOrWhiteSpace();
        await page.SetViewportSizeAsync(360, 740);
        await CabinetPages.ScreenshotAsync(page, "dashboard-forecast-ru-360");
    }
}
