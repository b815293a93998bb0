using Dapper;
using Kabinet.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Kabinet.Browser.Tests;

/// <summary>The connection page and the captive page in Chromium (issue 5, M14, M33).</summary>
[Collection(SharedBrowser.Name)]
public sealed class ConnectionBrowserTests(BrowserFixture browser, LiveApp app) : IClassFixture<LiveApp>
{
    [Fact]
    public async Task Demo_subscriber_sees_the_live_session_traffic_charts_with_a_table_and_the_sessions()
    {
        var accounts = await AccountsAsync();
        await SeedUsageAsync(accounts[0], live: true, ip: "100.64.10.1");

        await using var context = await browser.NewContextAsync(app.BaseUrl, "ru-RU");
        var page = await context.NewPageAsync();
        await CabinetPages.LogInAsync(page);
        await CabinetPages.ClickAndWaitForPageAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Подключение", Exact = true }));
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Подключение и трафик");
        (await page.GetByTestId("online").InnerTextAsync()).ShouldBe("В сети");
        (await page.GetByTestId("connection-state").InnerTextAsync()).ShouldContain("100.64.10.1");
        (await page.GetByTestId("why-offline").InnerTextAsync()).ShouldContain("всё в порядке");
        (await page.Locator("svg.chart").CountAsync()).ShouldBe(2);
        (await page.Locator("svg.chart").First.GetAttributeAsync("aria-hidden")).ShouldBe("true");
        // The figures are in a table for screen readers, with a caption and header cells.
        var table = page.GetByRole(AriaRole.Table, new() { Name = "Трафик за 30 дней" });
        (await table.Locator("tbody tr").CountAsync()).ShouldBe(30);
        (await page.GetByTestId("sessions").Locator("tbody tr").CountAsync()).ShouldBe(6);
        await CabinetPages.ScreenshotAsync(page, "connection-ru-1280");

        await page.SetViewportSizeAsync(360, 740);
        var box = await page.Locator("svg.chart").First.BoundingBoxAsync();
        box!.Width.ShouldBeLessThanOrEqualTo(360);
        (await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth")).ShouldBeTrue("no sideways scrolling at 360 px");
        await CabinetPages.ScreenshotAsync(page, "connection-ru-360");
    }

    [Fact]
    public async Task A_blocked_subscriber_offline_sees_why_and_the_captive_page_leads_to_paying()
    {
        var accounts = await AccountsAsync();
        var dacha = accounts[1];
        await ExecuteAsync("UPDATE accounts SET status = 2, threshold = 0 WHERE id = @dacha", new { dacha });
        await ExecuteAsync("UPDATE ledger_accounts SET balance = -25050 WHERE id = (SELECT ledger_account_id FROM accounts WHERE id = @dacha)", new { dacha });
        // Chromium reaches the server from 127.0.0.1: the blocked session has that address.
        await SeedUsageAsync(dacha, live: true, ip: "127.0.0.1");

        await using var context = await browser.NewContextAsync(app.BaseUrl, "ru-RU");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/captive");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Доступ в интернет ограничен");
        (await page.GetByTestId("captive-needed").InnerTextAsync()).ShouldContain("250,50");
        (await page.GetByTestId("captive").InnerTextAsync()).ShouldNotContain(LiveApp.DemoContract);
        await page.SetViewportSizeAsync(360, 740);
        await CabinetPages.ScreenshotAsync(page, "captive-ru-360");
        await CabinetPages.ClickAndWaitForPageAsync(page, page.GetByTestId("captive-pay"));
        new Uri(page.Url).AbsolutePath.ShouldBe("/pay-without-login");
        (await page.Locator("#amount").InputValueAsync()).ShouldBe("250.50");

        await ExecuteAsync("UPDATE radius_sessions SET stopped_at = started_at, stop_cause = 'Admin-Reset' WHERE account_id = @dacha", new { dacha });
        await CabinetPages.LogInAsync(page);
        await page.GotoAsync($"/connection?account={dacha}");
        var why = await page.GetByTestId("why-offline").InnerTextAsync();
        why.ShouldContain("не хватает 250,50");
        await page.GetByRole(AriaRole.Link, new() { Name = "Пополнить счёт" }).FocusAsync();
        await CabinetPages.ScreenshotAsync(page, "connection-blocked-ru-360");
    }

    private async Task<List<long>> AccountsAsync()
    {
        using var database = app.Factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<long>(
            "SELECT a.id FROM accounts a JOIN contracts c ON c.id = a.contract_id WHERE c.number = @number ORDER BY a.id", new { number = LiveApp.DemoContract })).ToList();
    }

    private async Task ExecuteAsync(string sql, object args)
    {
        using var database = app.Factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(sql, args);
    }

    /// <summary>A month of believable usage: five finished sessions, a live one, traffic on most days.</summary>
    private async Task SeedUsageAsync(long account, bool live, string ip)
    {
        var now = app.Factory.Clock.GetUtcNow();
        var random = new Random((int)account);
        using var database = app.Factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        for (var d = 0; d < 30; d++)
        {
            if (d % 9 == 4)
            {
                continue;
            }

            await connection.ExecuteAsync(
                "INSERT INTO traffic_daily (account_id, day, bytes_in, bytes_out) VALUES (@account, @day, @up, @down) ON CONFLICT (account_id, day) DO NOTHING",
                new { account, day = DateOnly.FromDateTime(now.AddDays(-d).UtcDateTime), up = random.NextInt64(50_000_000, 900_000_000), down = random.NextInt64(1_000_000_000, 9_000_000_000) });
        }

        for (var s = 0; s < 6; s++)
        {
            var started = now.AddDays(-(5 - s) * 5).AddHours(-3);
            var isLive = live && s == 5;
            await connection.ExecuteAsync(
                """
                INSERT INTO radius_sessions (unique_id, session_id, account_id, user_name, nas_ip, framed_ip, mac, started_at, updated_at, stopped_at, stop_cause, bytes_in, bytes_out)
                VALUES (@unique, @session, @account, 'demo', '127.0.0.1', @ip, '02:4b:00:00:01:01', @started, @updated, @stopped, @cause, @up, @down)
                """,
                new
                {
                    unique = $"demo-{account}-{s}", session = $"8100{s:D4}", account, ip = isLive ? ip : "100.64.10." + (20 + s), started,
                    updated = isLive ? now.AddMinutes(-2) : started.AddDays(4), stopped = isLive ? (DateTimeOffset?)null : started.AddDays(4),
                    cause = isLive ? null : (s % 2 == 0 ? "User-Request" : "Lost-Carrier"), up = random.NextInt64(1_000_000, 5_000_000_000), down = random.NextInt64(1_000_000_000, 40_000_000_000),
                });
        }
    }
}
