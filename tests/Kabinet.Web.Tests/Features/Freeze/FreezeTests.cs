using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kabinet.Web.Features.Billing;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Kabinet.Web.Tests.Features.TestSubscribers;

namespace Kabinet.Web.Tests.Features.Freeze;

/// <summary>Voluntary freeze (M13) over HTTP: rules and use, quote, refusals, booking, ending early.</summary>
public abstract class FreezeTests
{
    private readonly KabinetFactory _factory;

    protected FreezeTests(KabinetFactory factory)
    {
        _factory = factory;
        factory.Clock.Set(Now);
    }

    [Fact]
    public async Task Rules_and_days_used_this_year_count_booked_and_finished_freezes_only()
    {
        var me = await PrepareAsync(_factory, 2);
        await InsertFreezeAsync(me, new DateOnly(2027, 1, 10), new DateOnly(2027, 1, 19), 2);
        await InsertFreezeAsync(me, new DateOnly(2027, 2, 1), new DateOnly(2027, 2, 20), 3);
        await InsertFreezeAsync(me, new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 30), 2);
        using var api = await me.ApiAsync(_factory);

        var freeze = await api.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{me.AccountId}/freeze");
        var rules = freeze.GetProperty("rules");
        rules.GetProperty("min_days").GetInt32().ShouldBe(7);
        rules.GetProperty("max_days").GetInt32().ShouldBe(90);
        rules.GetProperty("free_days_per_year").GetInt32().ShouldBe(30);
        rules.GetProperty("daily_fee").GetString().ShouldBe("10.00");
        freeze.GetProperty("year").GetInt32().ShouldBe(2027);
        freeze.GetProperty("used_days").GetInt32().ShouldBe(10, "the cancelled one and last year's do not count");
        freeze.GetProperty("free_days_left").GetInt32().ShouldBe(20);
        freeze.GetProperty("current").ValueKind.ShouldBe(JsonValueKind.Null);

        using var browser = await me.BrowserAsync(_factory);
        var page = await browser.PageAsync($"/freeze?account={me.AccountId}");
        page.ShouldContain("В 2027 году использовано 10 дн. из 90; бесплатных дней осталось: 20.");
        page.ShouldContain("type=\"date\"");
        page.ShouldContain("min=\"2027-03-11\"");
    }

    [Fact]
    public async Task Quote_counts_free_days_first_then_the_daily_fee()
    {
        var me = await PrepareAsync(_factory, 3);
        await InsertFreezeAsync(me, new DateOnly(2027, 1, 1), new DateOnly(2027, 1, 25), 2);
        using var api = await me.ApiAsync(_factory);

        using var response = await api.PostAsJsonAsync($"/api/v1/accounts/{me.AccountId}/freeze/quote", new { start = "2027-03-20", end = "2027-04-02" });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var quote = await response.Content.ReadFromJsonAsync<JsonElement>();
        quote.GetProperty("days").GetInt32().ShouldBe(14);
        quote.GetProperty("free_days").GetInt32().ShouldBe(5);
        quote.GetProperty("paid_days").GetInt32().ShouldBe(9);
        quote.GetProperty("fee").GetString().ShouldBe("90.00");
        (await ScalarAsync<long>(_factory, "SELECT COUNT(*) FROM freezes WHERE account_id = @id AND status = 1", new { id = me.AccountId })).ShouldBe(0, "a quote books nothing");

        using var browser = await me.BrowserAsync(_factory);
        var page = await browser.PageAsync($"/freeze?account={me.AccountId}&start=2027-03-20&end=2027-04-02");
        page.ShouldContain("data-testid=\"freeze-quote\"");
        page.ShouldContain("90,00\u00A0₽");
        page.ShouldContain("Подтвердить блокировку");
    }

    [Fact]
    public async Task The_quote_says_a_monthly_in_advance_month_already_paid_is_not_refunded_for_frozen_days()
    {
        var daily = await PrepareAsync(_factory, 10);
        var monthly = await PrepareAsync(_factory, 11, "biz-100");
        using var dailyBrowser = await daily.BrowserAsync(_factory);
        using var monthlyBrowser = await monthly.BrowserAsync(_factory);
        const string Note = "за дни блокировки в месяце, когда она начинается, плата не возвращается";

        (await dailyBrowser.PageAsync($"/freeze?account={daily.AccountId}&start=2027-03-20&end=2027-03-30")).ShouldNotContain(Note);
        var quoted = await monthlyBrowser.PageAsync($"/freeze?account={monthly.AccountId}&start=2027-03-20&end=2027-03-30");
        quoted.ShouldContain(Note);
        // A freeze from the 1st leaves that month's fee uncharged, so there is nothing to warn of.
        (await monthlyBrowser.PageAsync($"/freeze?account={monthly.AccountId}&start=2027-04-01&end=2027-04-10")).ShouldNotContain(Note);
    }

    [Fact]
    public async Task Each_refusal_has_its_message_on_its_field()
    {
        var me = await PrepareAsync(_factory, 4);
        await InsertFreezeAsync(me, new DateOnly(2027, 1, 1), new DateOnly(2027, 3, 1), 2);
        using var api = await me.ApiAsync(_factory);

        await Refused(api, me, "2027-03-10", "2027-03-20", "freeze.start_in_past", "start", "Блокировка может начаться не раньше завтрашнего дня.");
        await Refused(api, me, "2027-05-10", "2027-05-20", "freeze.too_far", "start", "Начало блокировки — не позже чем через 60 дней.");
        await Refused(api, me, "2027-03-20", "2027-03-19", "freeze.end_before_start", "end", "Последний день не может быть раньше первого.");
        await Refused(api, me, "2027-03-20", "2027-03-25", "freeze.too_short", "end", "Блокировка — не меньше 7 дней.");
        await Refused(api, me, "2027-03-20", "2027-06-30", "freeze.too_long", "end", "Блокировка — не больше 90 дней.");
        await Refused(api, me, "2027-03-20", "2027-04-20", "freeze.yearly_limit", null, "Превышен годовой лимит: в этом году можно заблокировать ещё 30 дн.");
        await Refused(api, me, "20.03.2027", "2027-04-20", "freeze.date_invalid", "start", "Дата в формате ГГГГ-ММ-ДД, например 2026-12-01.");
        await Refused(api, me, "2027-03-20", null, "freeze.date_required", "end", "Укажите дату.");

        using var english = await me.ApiAsync(_factory, "en");
        using var en = await english.PostAsJsonAsync($"/api/v1/accounts/{me.AccountId}/freeze", new { start = "2027-03-20", end = "2027-03-22" });
        (await en.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Detail().ShouldBe("A freeze lasts at least 7 days.");

        using var browser = await me.BrowserAsync(_factory);
        var page = await browser.PageAsync($"/freeze?account={me.AccountId}&start=2027-03-20&end=2027-03-22");
        page.ShouldContain("id=\"end-error\"");
        page.ShouldContain("aria-describedby=\"end-hint end-error\"");
        page.ShouldContain("Блокировка — не меньше 7 дней.");
        (await ScalarAsync<long>(_factory, "SELECT COUNT(*) FROM freezes WHERE account_id = @id AND status = 1", new { id = me.AccountId })).ShouldBe(0);
    }

    [Fact]
    public async Task A_frozen_or_closed_account_is_refused_with_its_message()
    {
        var me = await PrepareAsync(_factory, 11);
        using var api = await me.ApiAsync(_factory);
        using var english = await me.ApiAsync(_factory, "en");
        foreach (var status in new[] { 3, 4 })
        {
            await ExecuteAsync(_factory, "UPDATE accounts SET status = @status WHERE id = @id", new { status, id = me.AccountId });

            await Refused(api, me, "2027-03-20", "2027-03-30", "freeze.not_eligible", null, "Этот счёт нельзя заблокировать: он уже заблокирован или закрыт.");
            await Refused(english, me, "2027-03-20", "2027-03-30", "freeze.not_eligible", null, "This account cannot be frozen: it is already frozen or closed.");
        }

        (await ScalarAsync<long>(_factory, "SELECT COUNT(*) FROM freezes WHERE account_id = @id", new { id = me.AccountId })).ShouldBe(0);
    }

    [Fact]
    public async Task One_open_freeze_booked_shown_and_cancelled_before_it_starts()
    {
        var me = await PrepareAsync(_factory, 5);
        using var api = await me.ApiAsync(_factory);
        var path = $"/api/v1/accounts/{me.AccountId}/freeze";

        using var booked = await api.PostAsJsonAsync(path, new { start = "2027-03-15", end = "2027-05-03" });
        booked.StatusCode.ShouldBe(HttpStatusCode.Created, await booked.Content.ReadAsStringAsync());
        var item = await booked.Content.ReadFromJsonAsync<JsonElement>();
        item.GetProperty("status").GetString().ShouldBe("planned");
        item.GetProperty("paid_from").GetString().ShouldBe("2027-04-14");
        item.GetProperty("fee").GetString().ShouldBe("200.00");
        var row = (await QueryAsync<(DateOnly PaidFrom, long Fee, long Status)>(_factory,
            "SELECT paid_from, daily_fee, status FROM freezes WHERE account_id = @id", new { id = me.AccountId })).Single();
        row.ShouldBe((new DateOnly(2027, 4, 14), 1000L, 1L));

        using var second = await api.PostAsJsonAsync(path, new { start = "2027-05-10", end = "2027-05-20" });
        (await second.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Detail().ShouldBe("Блокировка уже запланирована или действует.");

        (await api.GetFromJsonAsync<JsonElement>(path)).GetProperty("current").GetProperty("start").GetString().ShouldBe("2027-03-15");
        using var browser = await me.BrowserAsync(_factory);
        var page = await browser.PageAsync($"/freeze?account={me.AccountId}");
        page.ShouldContain("Блокировка запланирована");
        page.ShouldContain("С 15.03.2027 по 03.05.2027 включительно.");

        using var cancelled = await api.DeleteAsync(path);
        cancelled.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await cancelled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString().ShouldBe("cancelled");
        (await ScalarAsync<long>(_factory, "SELECT status FROM freezes WHERE account_id = @id", new { id = me.AccountId })).ShouldBe(3);
        using var none = await api.DeleteAsync(path);
        (await none.ShouldBeProblemAsync(HttpStatusCode.NotFound)).Code().ShouldBe("freeze.none");
    }

    [Fact]
    public async Task Ending_a_running_freeze_early_ends_it_yesterday_and_resumes_the_account()
    {
        var me = await PrepareAsync(_factory, 6);
        using (var api = await me.ApiAsync(_factory))
        {
            using var booked = await api.PostAsJsonAsync($"/api/v1/accounts/{me.AccountId}/freeze", new { start = "2027-03-11", end = "2027-03-31" });
            booked.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        // Three days later; the run has started the freeze.
        _factory.Clock.Set(Now.AddDays(3));
        await _factory.Services.GetRequiredService<DayStart>().ApplyAsync(Today.AddDays(3), Now.AddDays(3), CancellationToken.None);
        (await ScalarAsync<long>(_factory, "SELECT status FROM accounts WHERE id = @id", new { id = me.AccountId })).ShouldBe(3);

        using var browser = await me.BrowserAsync(_factory);
        var page = await browser.PageAsync($"/freeze?account={me.AccountId}");
        page.ShouldContain("Блокировка действует");
        using var ended = await browser.PostFormAsync("/freeze?handler=end", Cabinet.TokenIn(page), ("account", me.AccountId.ToString()));
        ended.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await browser.PageAsync(ended.Headers.Location!.ToString())).ShouldContain("Блокировка завершена, счёт снова работает.");

        var row = (await QueryAsync<(DateOnly EndsOn, long Status)>(_factory, "SELECT ends_on, status FROM freezes WHERE account_id = @id", new { id = me.AccountId })).Single();
        row.ShouldBe((new DateOnly(2027, 3, 12), 2L));
        (await ScalarAsync<long>(_factory, "SELECT status FROM accounts WHERE id = @id", new { id = me.AccountId })).ShouldBe(1);
        (await QueryAsync<string>(_factory, "SELECT kind FROM account_events WHERE account_id = @id ORDER BY id", new { id = me.AccountId }))
            .ShouldBe(["frozen", "unfrozen"]);

        using var api2 = await me.ApiAsync(_factory);
        (await api2.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{me.AccountId}/freeze")).GetProperty("used_days").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task Ending_a_freeze_on_its_first_day_cancels_it_and_resumes_the_account()
    {
        var me = await PrepareAsync(_factory, 7);
        using (var api = await me.ApiAsync(_factory))
        {
            using var booked = await api.PostAsJsonAsync($"/api/v1/accounts/{me.AccountId}/freeze", new { start = "2027-03-11", end = "2027-03-20" });
            booked.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        _factory.Clock.Set(Now.AddDays(1));
        await _factory.Services.GetRequiredService<DayStart>().ApplyAsync(Today.AddDays(1), Now.AddDays(1), CancellationToken.None);
        using var client = await me.ApiAsync(_factory);
        using var ended = await client.DeleteAsync($"/api/v1/accounts/{me.AccountId}/freeze");
        (await ended.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString().ShouldBe("cancelled");
        (await ScalarAsync<long>(_factory, "SELECT status FROM freezes WHERE account_id = @id", new { id = me.AccountId })).ShouldBe(3);
        (await ScalarAsync<long>(_factory, "SELECT status FROM accounts WHERE id = @id", new { id = me.AccountId })).ShouldBe(1);
    }

    [Fact]
    public async Task Pages_book_after_the_quote_and_another_contracts_account_is_404()
    {
        var theirs = await PrepareAsync(_factory, 8);
        var me = await PrepareAsync(_factory, 9);
        using var api = await me.ApiAsync(_factory);
        var path = $"/api/v1/accounts/{theirs.AccountId}/freeze";
        using (var r = await api.GetAsync(path)) { await r.ShouldBeProblemAsync(HttpStatusCode.NotFound); }
        using (var r = await api.PostAsJsonAsync(path + "/quote", new { start = "2027-03-20", end = "2027-03-30" })) { await r.ShouldBeProblemAsync(HttpStatusCode.NotFound); }
        using (var r = await api.PostAsJsonAsync(path, new { start = "2027-03-20", end = "2027-03-30" })) { await r.ShouldBeProblemAsync(HttpStatusCode.NotFound); }
        using (var r = await api.DeleteAsync(path)) { await r.ShouldBeProblemAsync(HttpStatusCode.NotFound); }
        (await ScalarAsync<long>(_factory, "SELECT COUNT(*) FROM freezes WHERE account_id = @id", new { id = theirs.AccountId })).ShouldBe(0);

        using var browser = await me.BrowserAsync(_factory);
        var quote = await browser.PageAsync($"/freeze?account={me.AccountId}&start=2027-03-20&end=2027-03-30");
        using var booked = await browser.PostFormAsync("/freeze", Cabinet.TokenIn(quote),
            ("account", me.AccountId.ToString()), ("start", "2027-03-20"), ("end", "2027-03-30"));
        booked.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await browser.PageAsync(booked.Headers.Location!.ToString())).ShouldContain("Блокировка запланирована.");

        var other = await browser.PageAsync($"/freeze?account={theirs.AccountId}");
        other.ShouldContain(me.AccountNumber);
        other.ShouldNotContain(theirs.AccountNumber);
        using var sneaky = await browser.PostFormAsync("/freeze", Cabinet.TokenIn(other),
            ("account", theirs.AccountId.ToString()), ("start", "2027-03-20"), ("end", "2027-03-30"));
        (await ScalarAsync<long>(_factory, "SELECT COUNT(*) FROM freezes WHERE account_id = @id", new { id = theirs.AccountId })).ShouldBe(0);
    }

    private static async Task Refused(HttpClient api, Prepared me, string? start, string? end, string code, string? field, string message)
    {
        foreach (var path in new[] { "/freeze/quote", "/freeze" })
        {
            using var response = await api.PostAsJsonAsync($"/api/v1/accounts/{me.AccountId}{path}", new { start, end });
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            problem.Code().ShouldBe(code);
            problem.Detail().ShouldBe(message);
            if (field is not null)
            {
                problem.GetProperty("errors").GetProperty(field)[0].GetString().ShouldBe(message);
            }
        }
    }

    private Task InsertFreezeAsync(Prepared me, DateOnly start, DateOnly end, int status) =>
        ExecuteAsync(_factory,
            "INSERT INTO freezes (account_id, starts_on, ends_on, paid_from, daily_fee, status, created_at) VALUES (@id, @start, @end, @end, 1000, @status, @now)",
            new { id = me.AccountId, start, end, status, now = Now.AddDays(-100) });
}

public sealed class SqliteFreezeTests(SqliteApp app) : FreezeTests(app.Factory), IClassFixture<SqliteApp>;

[Collection("postgres")]
public sealed class PostgresFreezeTests(PostgresApp app) : FreezeTests(app.Factory), IClassFixture<PostgresApp>;
