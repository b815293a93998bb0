using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kabinet.Web.Tests.Infrastructure;
using static Kabinet.Web.Tests.Features.TestSubscribers;

namespace Kabinet.Web.Tests.Features.Tariffs;

/// <summary>Tariff change (M11) over HTTP: catalogue, quote, refusals, one pending change, cancel; pages and API.</summary>
public abstract class TariffChangeTests
{
    private readonly KabinetFactory _factory;

    protected TariffChangeTests(KabinetFactory factory)
    {
        _factory = factory;
        factory.Clock.Set(Now);
    }

    [Fact]
    public async Task Catalogue_lists_the_callers_audience_only_with_money_as_strings()
    {
        var me = await PrepareAsync(_factory, 2);
        using var api = await me.ApiAsync(_factory);
        var catalogue = await api.GetFromJsonAsync<JsonElement>("/api/v1/tariffs");

        catalogue.GetProperty("audience").GetString().ShouldBe("individual");
        var codes = catalogue.GetProperty("tariffs").EnumerateArray().Select(t => t.GetProperty("code").GetString()).ToList();
        codes.ShouldContain("home-300");
        codes.ShouldNotContain("biz-100", "business tariffs are not offered to a person");
        codes.ShouldNotContain("start-50", "archived tariffs are not offered");
        var home300 = catalogue.GetProperty("tariffs").EnumerateArray().Single(t => t.GetProperty("code").GetString() == "home-300");
        home300.GetProperty("monthly_fee").GetString().ShouldBe("750.00");
        home300.GetProperty("change_modes").EnumerateArray().Select(m => m.GetString()).ShouldBe(["tomorrow", "next_month"]);
        catalogue.GetProperty("accounts")[0].GetProperty("id").GetInt64().ShouldBe(me.AccountId);
    }

    [Fact]
    public async Task Catalogue_page_marks_the_current_tariff_and_switches_accounts()
    {
        var mine = await _factory.AccountsOfAsync(Cabinet.DemoContract);
        using var browser = await _factory.LoggedInBrowserAsync(Cabinet.DemoContract, Cabinet.DemoPassword);

        var first = await browser.PageAsync("/tariffs");
        first.ShouldContain("Текущий тариф");
        first.ShouldContain("Интернет + ТВ 300");
        first.ShouldContain("до 300 Мбит/с");
        first.ShouldContain("550,00\u00A0₽ в месяц");
        first.ShouldNotContain("Бизнес 100");

        var second = await browser.PageAsync($"/tariffs?account={mine[1].Id}");
        second.ShouldContain(mine[1].Number);
        second.ShouldContain("data-testid=\"tariff-dacha-50\"");
        second.ShouldContain($"href=\"/tariffs/change?account={mine[1].Id}&tariff=");
    }

    [Fact]
    public async Task Quote_shows_before_and_after_for_tomorrow_and_next_month()
    {
        var me = await PrepareAsync(_factory, 3, "home-100");
        var target = await IdOfAsync(_factory, "tariffs", "home-300");
        using var api = await me.ApiAsync(_factory);

        var tomorrow = await api.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{me.AccountId}/tariff-change/quote?tariff_id={target}&mode=tomorrow");
        tomorrow.GetProperty("effective_on").GetString().ShouldBe("2027-03-11");
        tomorrow.GetProperty("current").GetProperty("name").GetString().ShouldBe("Домашний 100");
        tomorrow.GetProperty("current_fee").GetString().ShouldBe("550.00");
        tomorrow.GetProperty("new_fee").GetString().ShouldBe("750.00");
        // March has 31 days: 55000 / 31 = 1774 rest 6, 75000 / 31 = 2419 rest 11 (the 11th gets the extra kopeck).
        tomorrow.GetProperty("current_daily_today").GetString().ShouldBe("17.74");
        tomorrow.GetProperty("new_charge_on_effective").GetString().ShouldBe("24.20");
        tomorrow.GetProperty("rest_of_month_current").GetString().ShouldBe("372.54");
        tomorrow.GetProperty("rest_of_month_new").GetString().ShouldBe("508.00");

        var nextMonth = await api.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{me.AccountId}/tariff-change/quote?tariff_id={target}&mode=next_month");
        nextMonth.GetProperty("effective_on").GetString().ShouldBe("2027-04-01");
        nextMonth.GetProperty("new_charge_on_effective").GetString().ShouldBe("25.00");
        nextMonth.GetProperty("rest_of_month_current").GetString().ShouldBe("550.00");
        nextMonth.GetProperty("rest_of_month_new").GetString().ShouldBe("750.00");

        using var browser = await me.BrowserAsync(_factory);
        var page = await browser.PageAsync($"/tariffs/change?account={me.AccountId}&tariff={target}&mode=tomorrow");
        page.ShouldContain("Новый тариф начнёт действовать 11.03.2027.");
        page.ShouldContain("372,54\u00A0₽");
        page.ShouldContain("508,00\u00A0₽");
        page.ShouldContain("value=\"next_month\"");
    }

    [Fact]
    public async Task Each_refusal_has_its_message_next_to_its_field()
    {
        var me = await PrepareAsync(_factory, 4, "home-100");
        using var api = await me.ApiAsync(_factory);
        var archived = await IdOfAsync(_factory, "tariffs", "start-50");
        var business = await IdOfAsync(_factory, "tariffs", "biz-100");
        var same = await IdOfAsync(_factory, "tariffs", "home-100");
        var onlyNextMonth = await IdOfAsync(_factory, "tariffs", "home-1000");
        await ExecuteAsync(_factory, "UPDATE tariffs SET change_modes = 2 WHERE id = @onlyNextMonth", new { onlyNextMonth });
        try
        {
            await Refused(api, me, archived, "tomorrow", "tariff.archived", "tariff_id", "Этот тариф больше не подключается: он в архиве.");
            await Refused(api, me, business, "next_month", "tariff.audience", "tariff_id", "Этот тариф недоступен для вашего типа договора.");
            await Refused(api, me, same, "tomorrow", "tariff.same", "tariff_id", "Это ваш текущий тариф.");
            await Refused(api, me, onlyNextMonth, "tomorrow", "tariff.mode_not_allowed", "mode", "На этот тариф нельзя перейти в выбранный срок. Выберите другой вариант.");
            await Refused(api, me, same + 1, "yesterday", "tariff.mode_invalid", "mode", "Выберите, когда перейти: с завтрашнего дня или с 1-го числа следующего месяца.");
            await Refused(api, me, 987654, "tomorrow", "tariff.not_found", "tariff_id", "Такого тарифа нет.");

            using var english = await me.ApiAsync(_factory, "en");
            await Refused(english, me, archived, "tomorrow", "tariff.archived", "tariff_id", "This tariff is archived and can no longer be chosen.");

            using var post = await api.PostAsJsonAsync($"/api/v1/accounts/{me.AccountId}/tariff-change", new { tariff_id = business, mode = "next_month" });
            (await post.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Code().ShouldBe("tariff.audience");

            using var browser = await me.BrowserAsync(_factory);
            var page = await browser.PageAsync($"/tariffs/change?account={me.AccountId}&tariff={archived}");
            page.ShouldContain("id=\"tariff-error\"");
            page.ShouldContain("aria-describedby=\"tariff-error\"");
            page.ShouldContain("Этот тариф больше не подключается: он в архиве.");
            page.ShouldNotContain("Подтвердить смену тарифа");

            var modePage = await browser.PageAsync($"/tariffs/change?account={me.AccountId}&tariff={onlyNextMonth}&mode=tomorrow");
            modePage.ShouldContain("id=\"mode-error\"");
            modePage.ShouldContain("aria-invalid=\"true\"");
            modePage.ShouldNotContain("value=\"tomorrow\"", Case.Sensitive, "only the allowed modes are offered");
        }
        finally
        {
            await ExecuteAsync(_factory, "UPDATE tariffs SET change_modes = 3 WHERE id = @onlyNextMonth", new { onlyNextMonth });
        }

        (await ScalarAsync<long>(_factory, "SELECT COUNT(*) FROM tariff_changes WHERE account_id = @id", new { id = me.AccountId })).ShouldBe(0);
    }

    [Fact]
    public async Task Leaving_a_monthly_in_advance_tariff_is_offered_and_quoted_from_the_1st_of_next_month_only()
    {
        // Contract 10 is a business on "Бизнес 100", paid a month in advance: March is paid already.
        var me = await PrepareAsync(_factory, 10, "biz-100");
        var target = await IdOfAsync(_factory, "tariffs", "biz-500");
        // The operator lets "Бизнес 500" be joined from tomorrow too (the column default allows both modes).
        await ExecuteAsync(_factory, "UPDATE tariffs SET change_modes = 3 WHERE id = @target", new { target });
        try
        {
            using var api = await me.ApiAsync(_factory);
            await Refused(api, me, target, "tomorrow", "tariff.current_paid_monthly", "mode",
                "Текущий тариф оплачен за месяц вперёд: этот месяц уже оплачен, поэтому перейти можно только с 1-го числа следующего месяца.");
            using var english = await me.ApiAsync(_factory, "en");
            await Refused(english, me, target, "tomorrow", "tariff.current_paid_monthly", "mode",
                "Your current tariff is paid a month in advance: this month is paid already, so you can switch only from the 1st of next month.");
            using (var post = await api.PostAsJsonAsync($"/api/v1/accounts/{me.AccountId}/tariff-change", new { tariff_id = target, mode = "tomorrow" }))
            {
                (await post.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Code().ShouldBe("tariff.current_paid_monthly");
            }

            (await ScalarAsync<long>(_factory, "SELECT COUNT(*) FROM tariff_changes WHERE account_id = @id", new { id = me.AccountId })).ShouldBe(0);

            // From the 1st: nothing is charged today (March was paid on the 1st), April at either fee.
            var quote = await api.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{me.AccountId}/tariff-change/quote?tariff_id={target}&mode=next_month");
            quote.GetProperty("effective_on").GetString().ShouldBe("2027-04-01");
            quote.GetProperty("current_daily_today").GetString().ShouldBe("0.00");
            quote.GetProperty("new_charge_on_effective").GetString().ShouldBe("6000.00");
            quote.GetProperty("rest_of_month_current").GetString().ShouldBe("2500.00");
            quote.GetProperty("rest_of_month_new").GetString().ShouldBe("6000.00");

            using var browser = await me.BrowserAsync(_factory);
            var page = await browser.PageAsync($"/tariffs/change?account={me.AccountId}&tariff={target}");
            page.ShouldNotContain("value=\"tomorrow\"", Case.Sensitive, "from tomorrow is not offered while the month is paid ahead");
            page.ShouldContain("value=\"next_month\"");
            page.ShouldContain("Новый тариф начнёт действовать 01.04.2027.");
            page.ShouldContain("Тариф «Бизнес 100» оплачивается за месяц вперёд: текущий месяц уже оплачен по нему и не пересчитывается, поэтому перейти можно только с 1-го числа следующего месяца.");
            page.ShouldNotContain("по текущему тарифу", Case.Sensitive, "nothing is charged today at the current tariff");

            var asked = await browser.PageAsync($"/tariffs/change?account={me.AccountId}&tariff={target}&mode=tomorrow");
            asked.ShouldContain("id=\"mode-error\"");
            asked.ShouldContain("Текущий тариф оплачен за месяц вперёд: этот месяц уже оплачен, поэтому перейти можно только с 1-го числа следующего месяца.");
            asked.ShouldNotContain("Подтвердить смену тарифа");

            var catalogue = await browser.PageAsync($"/tariffs?account={me.AccountId}");
            catalogue.ShouldContain("Можно перейти: с 1-го числа следующего месяца<");
            catalogue.ShouldNotContain("Можно перейти: с завтрашнего дня");
        }
        finally
        {
            await ExecuteAsync(_factory, "UPDATE tariffs SET change_modes = 2 WHERE id = @target", new { target });
        }
    }

    [Fact]
    public async Task A_change_due_today_cannot_be_cancelled_and_a_closed_account_cannot_change()
    {
        var me = await PrepareAsync(_factory, 11, "home-100");
        var home100 = await IdOfAsync(_factory, "tariffs", "home-100");
        var home300 = await IdOfAsync(_factory, "tariffs", "home-300");
        using var api = await me.ApiAsync(_factory);
        using var english = await me.ApiAsync(_factory, "en");
        // A change booked yesterday "from tomorrow": its day is today, the billing run is applying it.
        await ExecuteAsync(_factory,
            "INSERT INTO tariff_changes (account_id, from_tariff_id, to_tariff_id, effective_on, mode, status, created_at) VALUES (@id, @home100, @home300, @Today, 1, 1, @now)",
            new { id = me.AccountId, home100, home300, Today, now = Now.AddDays(-1) });

        using (var cancel = await api.DeleteAsync($"/api/v1/accounts/{me.AccountId}/tariff-change"))
        {
            var problem = await cancel.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            problem.Code().ShouldBe("tariff.change_in_effect");
            problem.Detail().ShouldBe("Смена тарифа уже вступает в силу, отменить её нельзя.");
        }

        using (var cancel = await english.DeleteAsync($"/api/v1/accounts/{me.AccountId}/tariff-change"))
        {
            (await cancel.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Detail().ShouldBe("The tariff change is taking effect now and can no longer be cancelled.");
        }

        (await ScalarAsync<long>(_factory, "SELECT status FROM tariff_changes WHERE account_id = @id", new { id = me.AccountId })).ShouldBe(1, "still pending");
        await ExecuteAsync(_factory, "DELETE FROM tariff_changes WHERE account_id = @id", new { id = me.AccountId });

        await ExecuteAsync(_factory, "UPDATE accounts SET status = 4 WHERE id = @id", new { id = me.AccountId });
        try
        {
            using (var quote = await api.GetAsync($"/api/v1/accounts/{me.AccountId}/tariff-change/quote?tariff_id={home300}&mode=next_month"))
            {
                var problem = await quote.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
                problem.Code().ShouldBe("tariff.account_closed");
                problem.Detail().ShouldBe("Лицевой счёт закрыт: тариф сменить нельзя.");
            }

            using (var post = await english.PostAsJsonAsync($"/api/v1/accounts/{me.AccountId}/tariff-change", new { tariff_id = home300, mode = "next_month" }))
            {
                var problem = await post.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
                problem.Code().ShouldBe("tariff.account_closed");
                problem.Detail().ShouldBe("The account is closed: its tariff cannot be changed.");
            }

            (await ScalarAsync<long>(_factory, "SELECT COUNT(*) FROM tariff_changes WHERE account_id = @id", new { id = me.AccountId })).ShouldBe(0);
        }
        finally
        {
            await ExecuteAsync(_factory, "UPDATE accounts SET status = 1 WHERE id = @id", new { id = me.AccountId });
        }
    }

    [Fact]
    public async Task One_pending_change_at_a_time_shown_and_cancelled()
    {
        var me = await PrepareAsync(_factory, 5, "home-100");
        var home300 = await IdOfAsync(_factory, "tariffs", "home-300");
        var home1000 = await IdOfAsync(_factory, "tariffs", "home-1000");
        using var api = await me.ApiAsync(_factory);
        var path = $"/api/v1/accounts/{me.AccountId}/tariff-change";

        (await api.GetFromJsonAsync<JsonElement>(path)).GetProperty("pending_change").ValueKind.ShouldBe(JsonValueKind.Null);
        using var created = await api.PostAsJsonAsync(path, new { tariff_id = home300, mode = "next_month" });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var change = await created.Content.ReadFromJsonAsync<JsonElement>();
        change.GetProperty("effective_on").GetString().ShouldBe("2027-04-01");
        change.GetProperty("to").GetProperty("monthly_fee").GetString().ShouldBe("750.00");

        var row = (await QueryAsync<(long Status, long From, long To, long Mode)>(_factory,
            "SELECT status, from_tariff_id, to_tariff_id, mode FROM tariff_changes WHERE account_id = @id", new { id = me.AccountId })).Single();
        row.ShouldBe((1L, await IdOfAsync(_factory, "tariffs", "home-100"), home300, 2L));

        using var second = await api.PostAsJsonAsync(path, new { tariff_id = home1000, mode = "tomorrow" });
        var problem = await second.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.Code().ShouldBe("tariff.change_pending");
        problem.Detail().ShouldBe("Смена тарифа уже запланирована. Чтобы выбрать другой тариф, сначала отмените её.");

        var pending = (await api.GetFromJsonAsync<JsonElement>(path)).GetProperty("pending_change");
        pending.GetProperty("to").GetProperty("id").GetInt64().ShouldBe(home300);
        pending.GetProperty("mode").GetString().ShouldBe("next_month");

        using var browser = await me.BrowserAsync(_factory);
        var page = await browser.PageAsync($"/tariffs?account={me.AccountId}");
        page.ShouldContain("Запланирована смена тарифа");
        page.ShouldContain("С 01.04.2027 тариф сменится на «Домашний 300» (750,00\u00A0₽ в месяц).");

        using var cancelled = await api.DeleteAsync(path);
        cancelled.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ScalarAsync<long>(_factory, "SELECT status FROM tariff_changes WHERE account_id = @id", new { id = me.AccountId })).ShouldBe(3);
        (await ScalarAsync<string?>(_factory, "SELECT CAST(closed_at AS TEXT) FROM tariff_changes WHERE account_id = @id", new { id = me.AccountId })).ShouldNotBeNull();
        (await api.GetFromJsonAsync<JsonElement>(path)).GetProperty("pending_change").ValueKind.ShouldBe(JsonValueKind.Null);
        using var again = await api.DeleteAsync(path);
        (await again.ShouldBeProblemAsync(HttpStatusCode.NotFound)).Code().ShouldBe("tariff.no_pending");

        using var afterCancel = await api.PostAsJsonAsync(path, new { tariff_id = home1000, mode = "tomorrow" });
        afterCancel.StatusCode.ShouldBe(HttpStatusCode.Created, "a cancelled change no longer blocks a new one");
    }

    [Fact]
    public async Task Pages_confirm_show_refuse_a_second_and_cancel()
    {
        var me = await PrepareAsync(_factory, 6, "home-100");
        var home300 = await IdOfAsync(_factory, "tariffs", "home-300");
        var dacha = await IdOfAsync(_factory, "tariffs", "dacha-50");
        using var browser = await me.BrowserAsync(_factory);

        var quote = await browser.PageAsync($"/tariffs/change?account={me.AccountId}&tariff={home300}&mode=next_month");
        System.Text.RegularExpressions.Regex.Count(quote, "name=\"__RequestVerificationToken\"").ShouldBe(1, "the confirmation carries a token; language and logout are checked by origin");
        using var confirmed = await browser.PostFormAsync("/tariffs/change", Cabinet.TokenIn(quote),
            ("account", me.AccountId.ToString()), ("tariff", home300.ToString()), ("mode", "next_month"));
        confirmed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        confirmed.Headers.Location!.ToString().ShouldBe($"/tariffs?account={me.AccountId}&done=changed");

        var list = await browser.PageAsync(confirmed.Headers.Location.ToString());
        list.ShouldContain("Смена тарифа запланирована.");
        list.ShouldContain("data-testid=\"pending-change\"");

        var other = await browser.PageAsync($"/tariffs/change?account={me.AccountId}&tariff={dacha}&mode=tomorrow");
        using var refused = await browser.PostFormAsync("/tariffs/change", Cabinet.TokenIn(other),
            ("account", me.AccountId.ToString()), ("tariff", dacha.ToString()), ("mode", "tomorrow"));
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await refused.ReadHtmlAsync()).ShouldContain("Смена тарифа уже запланирована. Чтобы выбрать другой тариф, сначала отмените её.");

        using var cancel = await browser.PostFormAsync("/tariffs?handler=cancel", Cabinet.TokenIn(list), ("account", me.AccountId.ToString()));
        cancel.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var after = await browser.PageAsync(cancel.Headers.Location!.ToString());
        after.ShouldContain("Смена тарифа отменена.");
        after.ShouldNotContain("data-testid=\"pending-change\"");
    }

    [Fact]
    public async Task Another_contracts_account_is_404_in_the_api_and_the_own_account_on_pages()
    {
        var theirs = await PrepareAsync(_factory, 7, "home-100");
        var me = await PrepareAsync(_factory, 8, "home-100");
        var home300 = await IdOfAsync(_factory, "tariffs", "home-300");
        using var api = await me.ApiAsync(_factory);
        var path = $"/api/v1/accounts/{theirs.AccountId}/tariff-change";

        using (var r = await api.GetAsync($"{path}/quote?tariff_id={home300}&mode=tomorrow")) { await r.ShouldBeProblemAsync(HttpStatusCode.NotFound); }
        using (var r = await api.PostAsJsonAsync(path, new { tariff_id = home300, mode = "tomorrow" })) { await r.ShouldBeProblemAsync(HttpStatusCode.NotFound); }
        using (var r = await api.GetAsync(path)) { await r.ShouldBeProblemAsync(HttpStatusCode.NotFound); }
        using (var r = await api.DeleteAsync(path)) { await r.ShouldBeProblemAsync(HttpStatusCode.NotFound); }
        (await ScalarAsync<long>(_factory, "SELECT COUNT(*) FROM tariff_changes WHERE account_id = @id", new { id = theirs.AccountId })).ShouldBe(0);

        using var browser = await me.BrowserAsync(_factory);
        var page = await browser.PageAsync($"/tariffs?account={theirs.AccountId}");
        page.ShouldContain(me.AccountNumber);
        page.ShouldNotContain(theirs.AccountNumber);
        var quote = await browser.PageAsync($"/tariffs/change?account={theirs.AccountId}&tariff={home300}");
        quote.ShouldContain(me.AccountNumber);
        using var post = await browser.PostFormAsync("/tariffs/change", Cabinet.TokenIn(quote),
            ("account", theirs.AccountId.ToString()), ("tariff", home300.ToString()), ("mode", "tomorrow"));
        post.StatusCode.ShouldNotBe(HttpStatusCode.Redirect);
        (await ScalarAsync<long>(_factory, "SELECT COUNT(*) FROM tariff_changes WHERE account_id = @id", new { id = theirs.AccountId })).ShouldBe(0);
    }

    private static async Task Refused(HttpClient api, Prepared me, long tariffId, string mode, string code, string field, string message)
    {
        using var response = await api.GetAsync($"/api/v1/accounts/{me.AccountId}/tariff-change/quote?tariff_id={tariffId}&mode={mode}");
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.Code().ShouldBe(code);
        problem.Detail().ShouldBe(message);
        problem.GetProperty("errors").GetProperty(field)[0].GetString().ShouldBe(message);
    }
}

public sealed class SqliteTariffChangeTests(SqliteApp app) : TariffChangeTests(app.Factory), IClassFixture<SqliteApp>;

[Collection("postgres")]
public sealed class PostgresTariffChangeTests(PostgresApp app) : TariffChangeTests(app.Factory), IClassFixture<PostgresApp>;
