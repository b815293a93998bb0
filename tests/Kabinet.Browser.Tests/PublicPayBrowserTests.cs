using Kabinet.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Kabinet.Browser.Tests;

/// <summary>Paying without logging in and the payment QR code in Chromium (issue 4, M6, M7).</summary>
[Collection(SharedBrowser.Name)]
public sealed class PublicPayBrowserTests(BrowserFixture browser, LiveApp app) : IClassFixture<LiveApp>
{
    [Fact]
    public async Task An_anonymous_visitor_pays_300_by_contract_number_through_the_sandbox_and_sees_the_success()
    {
        await using var context = await browser.NewContextAsync(app.BaseUrl, "ru-RU");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");

        await CabinetPages.ClickAndWaitForPageAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Оплатить без входа", Exact = true }));
        new Uri(page.Url).AbsolutePath.ShouldBe("/pay-without-login");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Оплата без входа в кабинет");

        // A wrong number first: the message sits under the field.
        await page.GetByLabel("Номер договора").FillAsync("1000 0000 00");
        await CabinetPages.ClickAndWaitForPageAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Продолжить" }));
        (await page.Locator("#contract-error").InnerTextAsync()).ShouldContain("12 цифр");
        (await page.GetByLabel("Номер договора").GetAttributeAsync("aria-invalid")).ShouldBe("true");
        await CabinetPages.ScreenshotAsync(page, "public-pay-find-ru-1280");
        await page.SetViewportSizeAsync(360, 740);
        (await CabinetPages.HorizontalOverflowAsync(page)).ShouldBeLessThanOrEqualTo(0, "the contract search scrolls sideways at 360 px");
        await CabinetPages.ScreenshotAsync(page, "public-pay-find-ru-360");
        await page.SetViewportSizeAsync(1280, 800);

        await page.GetByLabel("Номер договора").FillAsync(LiveApp.DemoContract);
        await CabinetPages.ClickAndWaitForPageAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Продолжить" }));
        (await page.Locator("#pay-title").InnerTextAsync()).ShouldBe("Оплата по договору 1000****0001");
        var body = await page.Locator("main").InnerTextAsync();
        body.ShouldNotContain("Иванов");
        body.ShouldNotContain("Дача");
        (await page.GetByRole(AriaRole.Img, new() { NameRegex = new System.Text.RegularExpressions.Regex("^QR-код для оплаты по договору 100000000001") }).CountAsync()).ShouldBe(1);
        (await page.GetByTestId("qr-purpose").InnerTextAsync()).ShouldBe("Оплата услуг связи по договору 100000000001");
        await page.EvaluateAsync("() => document.fonts.ready");
        await CabinetPages.ScreenshotAsync(page, "public-pay-ru-1280");
        await page.SetViewportSizeAsync(360, 740);
        (await CabinetPages.HorizontalOverflowAsync(page)).ShouldBeLessThanOrEqualTo(0, "the public payment page scrolls sideways at 360 px");
        await CabinetPages.ScreenshotAsync(page, "public-pay-ru-360");
        await page.SetViewportSizeAsync(1280, 800);

        await page.GetByLabel("Сумма, ₽").FillAsync("300.00");
        await page.GetByLabel("E-mail или телефон для чека").FillAsync("payer@example.ru");
        await page.Locator("#consent").CheckAsync();
        await CabinetPages.ClickAndWaitForPageAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Перейти к оплате" }));
        new Uri(page.Url).AbsolutePath.ShouldStartWith("/sandbox-acquirer/pay/");
        (await page.GetByTestId("sandbox-amount").InnerTextAsync()).ShouldContain("300,00");

        await page.Locator("#card").FillAsync("5555555555554477");
        await page.Locator("#expiry").FillAsync("12/30");
        await page.Locator("#cvc").FillAsync("123");
        await CabinetPages.ClickAndWaitForPageAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Оплатить", Exact = true }));

        new Uri(page.Url).AbsolutePath.ShouldStartWith("/pay/result/");
        var result = page.GetByTestId("pay-result");
        (await result.GetAttributeAsync("data-status")).ShouldBe("succeeded");
        (await result.InnerTextAsync()).ShouldContain("300,00");
        (await page.GetByTestId("new-balance").CountAsync()).ShouldBe(0);
        await CabinetPages.ScreenshotAsync(page, "public-pay-result-ru-1280");
    }

    [Fact]
    public async Task The_dashboard_shows_the_payment_qr_code_with_its_details_as_text()
    {
        await using var context = await browser.NewContextAsync(app.BaseUrl, "ru-RU");
        var page = await context.NewPageAsync();
        await CabinetPages.LogInAsync(page);

        var qr = page.GetByTestId("payment-qr");
        (await qr.Locator("h2").InnerTextAsync()).ShouldBe("Оплата по QR-коду");
        (await qr.GetByRole(AriaRole.Img).CountAsync()).ShouldBe(1);
        (await qr.Locator("img").CountAsync()).ShouldBe(1);
        (await qr.Locator("img").EvaluateAsync<int>("i => i.complete ? i.naturalWidth : 0")).ShouldBeGreaterThan(0, "the QR image loads");
        var details = await qr.Locator("dl").InnerTextAsync();
        details.ShouldContain("40702810744050012345");
        details.ShouldContain("045004999");
        details.ShouldContain("Оплата услуг связи по договору 100000000001");
        await page.EvaluateAsync("() => document.fonts.ready");
        await CabinetPages.ScreenshotAsync(page, "dashboard-qr-ru-1280");
        await qr.ScreenshotAsync(new() { Path = Path.Combine(CabinetPages.ScreenshotDirectory, "dashboard-qr-card-ru-1280.png") });
        await page.SetViewportSizeAsync(360, 740);
        (await CabinetPages.HorizontalOverflowAsync(page)).ShouldBeLessThanOrEqualTo(0, "the dashboard scrolls sideways at 360 px");
        await CabinetPages.ScreenshotAsync(page, "dashboard-qr-ru-360");
        await qr.ScreenshotAsync(new() { Path = Path.Combine(CabinetPages.ScreenshotDirectory, "dashboard-qr-card-ru-360.png") });
    }
}
