using System.Globalization;
using Kabinet.Browser.Tests.Infrastructure;
using Kabinet.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kabinet.Browser.Tests;

/// <summary>The demo subscriber reads the history, a statement and a receipt in Chromium (issue 4, M10).</summary>
[Collection(SharedBrowser.Name)]
public sealed class HistoryBrowserTests(BrowserFixture browser, LiveApp app) : IClassFixture<LiveApp>
{
    [Fact]
    public async Task Demo_subscriber_filters_the_history_and_opens_the_statement_and_a_receipt()
    {
        var today = app.Factory.Services.GetRequiredService<OperatorClock>().Today;
        await using var context = await browser.NewContextAsync(app.BaseUrl, "ru-RU");
        var page = await context.NewPageAsync();
        await CabinetPages.LogInAsync(page);

        await CabinetPages.ClickAndWaitForPageAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "История", Exact = true }));
        new Uri(page.Url).AbsolutePath.ShouldBe("/history");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("История операций");
        (await page.GetByLabel("С", new() { Exact = true }).InputValueAsync()).ShouldBe(Iso(new DateOnly(today.Year, today.Month, 1)));

        // A wrong period first: the message sits under the field.
        await page.GetByLabel("С", new() { Exact = true }).FillAsync(Iso(today));
        await page.GetByLabel("По", new() { Exact = true }).FillAsync(Iso(today.AddDays(-3)));
        await CabinetPages.ClickAndWaitForPageAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Показать" }));
        (await page.Locator("#to-error").InnerTextAsync()).ShouldContain("Конец периода не может быть раньше начала");
        (await page.GetByLabel("По", new() { Exact = true }).GetAttributeAsync("aria-invalid")).ShouldBe("true");

        await page.GetByLabel("С", new() { Exact = true }).FillAsync(Iso(today.AddDays(-40)));
        await page.GetByLabel("По", new() { Exact = true }).FillAsync(Iso(today.AddDays(-10)));
        await CabinetPages.ClickAndWaitForPageAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Показать" }));
        page.Url.ShouldContain("from=" + Iso(today.AddDays(-40)));
        (await page.GetByTestId("history-table").Locator("tbody tr").CountAsync()).ShouldBeGreaterThan(10);
        (await page.GetByTestId("opening").InnerTextAsync()).ShouldContain("₽");
        await page.EvaluateAsync("() => document.fonts.ready");
        await CabinetPages.ScreenshotAsync(page, "history-ru-1280");
        await page.SetViewportSizeAsync(360, 740);
        (await CabinetPages.HorizontalOverflowAsync(page)).ShouldBeLessThanOrEqualTo(0, "history scrolls sideways at 360 px");
        await CabinetPages.ScreenshotAsync(page, "history-ru-360");
        await page.SetViewportSizeAsync(1280, 800);

        await page.GetByLabel("Вид операций", new() { Exact = true }).SelectOptionAsync("payment");
        await CabinetPages.ClickAndWaitForPageAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Показать" }));
        var rows = page.GetByTestId("history-table").Locator("tbody tr");
        (await rows.CountAsync()).ShouldBeGreaterThan(0);
        (await rows.Locator(".op-kind-name").AllInnerTextsAsync()).ShouldAllBe(kind => kind == "Платёж");

        await CabinetPages.ClickAndWaitForPageAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Детализация для печати" }));
        new Uri(page.Url).AbsolutePath.ShouldBe("/history/statement");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Детализация лицевого счёта");
        (await page.GetByTestId("statement").InnerTextAsync()).ShouldContain("ИНН 5406123450");
        (await page.GetByTestId("statement-contract").InnerTextAsync()).ShouldBe(LiveApp.DemoContract);
        await CabinetPages.ScreenshotAsync(page, "statement-ru-1280");
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        (await page.Locator(".cabinet-nav").IsVisibleAsync()).ShouldBeFalse();
        await CabinetPages.ScreenshotAsync(page, "statement-ru-print");
        await page.EmulateMediaAsync(new() { Media = Media.Screen });
        await page.SetViewportSizeAsync(360, 740);
        (await CabinetPages.HorizontalOverflowAsync(page)).ShouldBeLessThanOrEqualTo(0, "statement scrolls sideways at 360 px");
        await CabinetPages.ScreenshotAsync(page, "statement-ru-360");
        await page.SetViewportSizeAsync(1280, 800);

        await page.GoBackAsync();
        await CabinetPages.ClickAndWaitForPageAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Квитанция" }).First);
        new Uri(page.Url).AbsolutePath.ShouldStartWith("/history/receipts/");
        (await page.Locator("h1").InnerTextAsync()).ShouldStartWith("Квитанция об оплате");
        (await page.GetByTestId("receipt").InnerTextAsync()).ShouldContain("ООО «Кабинет Телеком»");
        (await page.GetByTestId("receipt-amount").InnerTextAsync()).ShouldContain("₽");
        await CabinetPages.ScreenshotAsync(page, "receipt-ru-1280");
        await page.SetViewportSizeAsync(360, 740);
        (await CabinetPages.HorizontalOverflowAsync(page)).ShouldBeLessThanOrEqualTo(0, "receipt scrolls sideways at 360 px");
        await CabinetPages.ScreenshotAsync(page, "receipt-ru-360");
    }

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
