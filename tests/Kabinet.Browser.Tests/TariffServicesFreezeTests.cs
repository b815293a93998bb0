using System.Globalization;
using Kabinet.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Kabinet.Browser.Tests;

/// <summary>
/// The demo subscriber in Chromium changes the tariff from next month, sees and cancels the pending
/// change, and switches a service on; the tariff, quote, services and freeze pages fit 360 and
/// 1280 px (screenshots kept under screenshots/).
/// </summary>
[Collection(SharedBrowser.Name)]
public sealed class TariffServicesFreezeTests(BrowserFixture browser, LiveApp app) : IClassFixture<LiveApp>
{
    [Fact]
    public async Task Demo_subscriber_schedules_a_tariff_change_from_next_month_cancels_it_and_switches_a_service_on()
    {
        await using var context = await browser.NewContextAsync(app.BaseUrl, "ru-RU");
        var page = await context.NewPageAsync();
        await CabinetPages.LogInAsync(page);

        await CabinetPages.ClickAndWaitForPageAsync(page, page.Locator("nav.cabinet-nav a[href='/tariffs']"));
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Тарифы");
        (await page.GetByTestId("current-tariff").InnerTextAsync()).ShouldBe("Интернет + ТВ 300");

        await CabinetPages.ClickAndWaitForPageAsync(page, page.GetByTestId("tariff-home-1000").GetByRole(AriaRole.Link));
        (await page.GetByTestId("target-tariff").InnerTextAsync()).ShouldContain("Максимум 1000");
        await page.GetByLabel("с 1-го числа следующего месяца").CheckAsync();
        await CabinetPages.ClickAndWaitForPageAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Пересчитать" }));
        var firstOfNextMonth = new DateOnly(Today.Year, Today.Month, 1).AddMonths(1).ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);
        (await page.GetByTestId("effective").InnerTextAsync()).ShouldContain(firstOfNextMonth);
        (await page.GetByTestId("new-fee").InnerTextAsync()).ShouldContain("990,00");

        await CabinetPages.ClickAndWaitForPageAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Подтвердить смену тарифа" }));
        new Uri(page.Url).AbsolutePath.ShouldBe("/tariffs");
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldBe("Смена тарифа запланирована.");
        var pending = page.GetByTestId("pending-change");
        (await pending.InnerTextAsync()).ShouldContain($"С {firstOfNextMonth} тариф сменится на «Максимум 1000»");

        await CabinetPages.ClickAndWaitForPageAsync(page, pending.GetByRole(AriaRole.Button, new() { Name = "Отменить смену тарифа" }));
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldBe("Смена тарифа отменена.");
        (await page.GetByTestId("pending-change").CountAsync()).ShouldBe(0);

        await CabinetPages.ClickAndWaitForPageAsync(page, page.Locator("nav.cabinet-nav a[href='/services']"));
        var antivirus = page.GetByTestId("service-antivirus");
        (await antivirus.GetByTestId("state").InnerTextAsync()).ShouldBe("Не подключена");
        await CabinetPages.ClickAndWaitForPageAsync(page, antivirus.GetByRole(AriaRole.Link, new() { Name = "Подключить" }));
        (await antivirus.GetByTestId("charge-now").InnerTextAsync()).ShouldContain("₽");
        await CabinetPages.ClickAndWaitForPageAsync(page, antivirus.GetByRole(AriaRole.Button, new() { Name = "Подтвердить" }));
        (await page.GetByTestId("done").InnerTextAsync()).ShouldBe("Услуга «Антивирус» подключена.");
        (await page.GetByTestId("service-antivirus").GetByTestId("state").InnerTextAsync()).ShouldBe("Подключена");
    }

    [Theory]
    [InlineData(360, 740, "ru-RU")]
    [InlineData(1280, 800, "ru-RU")]
    [InlineData(360, 740, "en-US")]
    [InlineData(1280, 800, "en-US")]
    public async Task Tariff_services_and_freeze_pages_fit_the_screen(int width, int height, string locale)
    {
        await using var context = await browser.NewContextAsync(app.BaseUrl, locale, width, height);
        var page = await context.NewPageAsync();
        var lang = locale[..2];
        await CabinetPages.LogInAsync(page);

        await page.GotoAsync("/tariffs");
        await FitsAsync(page, width, $"tariffs-{lang}-{width}");

        await CabinetPages.ClickAndWaitForPageAsync(page, page.GetByTestId("tariff-home-1000").GetByRole(AriaRole.Link));
        await FitsAsync(page, width, $"tariff-quote-{lang}-{width}");

        await page.GotoAsync("/services");
        await CabinetPages.ClickAndWaitForPageAsync(page, page.GetByTestId("service-cctv").GetByRole(AriaRole.Link));
        await FitsAsync(page, width, $"services-{lang}-{width}");

        var start = Today.AddDays(10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var end = Today.AddDays(50).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await page.GotoAsync($"/freeze?start={start}&end={end}");
        (await page.GetByTestId("freeze-quote").IsVisibleAsync()).ShouldBeTrue();
        await FitsAsync(page, width, $"freeze-{lang}-{width}");

        await page.GotoAsync($"/freeze?start={start}&end={Today.AddDays(12).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
        (await page.Locator("#end-error").IsVisibleAsync()).ShouldBeTrue();
        await FitsAsync(page, width, $"freeze-error-{lang}-{width}");
    }

    private DateOnly Today =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(app.Factory.Clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Asia/Novosibirsk")).DateTime);

    private static async Task FitsAsync(IPage page, int width, string screenshot)
    {
        await page.EvaluateAsync("() => document.fonts.ready");
        (await CabinetPages.HorizontalOverflowAsync(page)).ShouldBeLessThanOrEqualTo(0, $"{page.Url} scrolls sideways at {width} px");
        await CabinetPages.ScreenshotAsync(page, screenshot);
    }
}
