using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kabinet.Web.Features.Billing;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Kabinet.Web.Tests.Features.TestSubscribers;

namespace Kabinet.Web.Tests.Features.Services;

/// <summary>Extra services (M12) over HTTP: list, switch on and off with the right ledger entries and events, Turbo once per key.</summary>
public abstract class ExtraServiceTests
{
    private readonly KabinetFactory _factory;

    protected ExtraServiceTests(KabinetFactory factory)
    {
        _factory = factory;
        factory.Clock.Set(Now);
    }

    [Fact]
    public async Task List_shows_price_state_and_the_proration_of_switching_on()
    {
        var me = await PrepareAsync(_factory, 2);
        var staticIp = await IdOfAsync(_factory, "extra_services", "static-ip");
        await ExecuteAsync(_factory, "INSERT INTO account_services (account_id, service_id, active_from) VALUES (@id, @staticIp, @from)",
            new { id = me.AccountId, staticIp, from = Today.AddDays(-10) });
        using var api = await me.ApiAsync(_factory);

        var list = await api.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{me.AccountId}/services");
        var services = list.GetProperty("services").EnumerateArray().ToDictionary(s => s.GetProperty("code").GetString()!);
        services["static-ip"].GetProperty("is_on").GetBoolean().ShouldBeTrue();
        var antivirus = services["antivirus"];
        antivirus.GetProperty("is_on").GetBoolean().ShouldBeFalse();
        antivirus.GetProperty("price").GetString().ShouldBe("99.00");
        // 9900 / 31 = 319 rest 11: the 10th costs 3.20; the 11th..31st cost 21 * 3.19 + 0.01.
        antivirus.GetProperty("charge_now").GetString().ShouldBe("3.20");
        antivirus.GetProperty("rest_of_month").GetString().ShouldBe("67.00");
        services["turbo"].GetProperty("kind").GetString().ShouldBe("one_off");
        services["turbo"].GetProperty("charge_now").GetString().ShouldBe("50.00");

        using var browser = await me.BrowserAsync(_factory);
        var page = await browser.PageAsync($"/services?account={me.AccountId}&confirm={services["antivirus"].GetProperty("id").GetInt64()}");
        page.ShouldContain("Подключение услуги «Антивирус»");
        page.ShouldContain("3,20\u00A0₽");
        page.ShouldContain("67,00\u00A0₽");
    }

    [Fact]
    public async Task Switching_on_charges_today_under_the_runs_key_and_off_takes_effect_tomorrow()
    {
        var me = await PrepareAsync(_factory, 3);
        var antivirus = await IdOfAsync(_factory, "extra_services", "antivirus");
        using var api = await me.ApiAsync(_factory);
        var path = $"/api/v1/accounts/{me.AccountId}/services/{antivirus}";
        var balanceBefore = await BalanceAsync(me);
        var revenueBefore = await ScalarAsync<long>(_factory, "SELECT balance FROM ledger_accounts WHERE id = 1");

        using var on = await api.PostAsync(path, null);
        on.StatusCode.ShouldBe(HttpStatusCode.OK, await on.Content.ReadAsStringAsync());
        var outcome = await on.Content.ReadFromJsonAsync<JsonElement>();
        outcome.GetProperty("action").GetString().ShouldBe("on");
        outcome.GetProperty("charged").GetString().ShouldBe("3.20");
        outcome.GetProperty("active_from").GetString().ShouldBe("2027-03-10");

        var key = $"charge:2027-03-10:{me.AccountId}:service:{antivirus}";
        var entries = await QueryAsync<(long Ledger, long Amount)>(_factory,
            "SELECT e.ledger_account_id, e.amount FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id WHERE t.idempotency_key = @key ORDER BY e.amount",
            new { key });
        entries.ShouldBe([(me.LedgerAccountId, -320L), (1L, 320L)]);
        (await BalanceAsync(me)).ShouldBe(balanceBefore - 320);
        (await ScalarAsync<long>(_factory, "SELECT balance FROM ledger_accounts WHERE id = 1")).ShouldBe(revenueBefore + 320);
        (await EventsAsync(me)).ShouldContain($"service_on:service={antivirus}");

        using var twice = await api.PostAsync(path, null);
        (await twice.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Detail().ShouldBe("Услуга уже подключена.");

        // The day's billing run finds today's part already charged under its own key.
        var report = await _factory.Services.GetRequiredService<BillingRun>().RunUpToAsync(Today, CancellationToken.None);
        report.Days.ShouldNotBeEmpty();
        (await ScalarAsync<long>(_factory, "SELECT COUNT(*) FROM ledger_transactions WHERE idempotency_key LIKE @prefix",
            new { prefix = $"charge:%:{me.AccountId}:service:{antivirus}" })).ShouldBe(1);

        using var off = await api.DeleteAsync(path);
        off.StatusCode.ShouldBe(HttpStatusCode.OK, await off.Content.ReadAsStringAsync());
        (await off.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("off_from").GetString().ShouldBe("2027-03-11");
        (await ScalarAsync<DateOnly>(_factory, "SELECT active_to FROM account_services WHERE account_id = @id AND service_id = @antivirus",
            new { id = me.AccountId, antivirus })).ShouldBe(new DateOnly(2027, 3, 11));
        (await EventsAsync(me)).ShouldContain($"service_off:service={antivirus};from=2027-03-11");

        var list = await api.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{me.AccountId}/services");
        var item = list.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("id").GetInt64() == antivirus);
        item.GetProperty("is_on").GetBoolean().ShouldBeTrue("today is paid, so it stays on until tomorrow");
        item.GetProperty("off_from").GetString().ShouldBe("2027-03-11");

        using var offAgain = await api.DeleteAsync(path);
        (await offAgain.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetBoolean().ShouldBeTrue();

        // Changing one's mind the same day keeps it on without a second charge.
        using var keep = await api.PostAsync(path, null);
        keep.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await keep.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("charged").GetString().ShouldBe("0.00");
        (await ScalarAsync<DateOnly?>(_factory, "SELECT active_to FROM account_services WHERE account_id = @id AND service_id = @antivirus",
            new { id = me.AccountId, antivirus })).ShouldBeNull();

        // The next day it is gone only if switched off: here it stays, and is not switched on twice.
        _factory.Clock.Advance(TimeSpan.FromDays(1));
        using var nextDayApi = await me.ApiAsync(_factory);
        using var stillOn = await nextDayApi.PostAsync(path, null);
        (await stillOn.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Code().ShouldBe("service.already_on");
    }

    [Fact]
    public async Task Turbo_is_charged_once_for_a_repeated_idempotency_key()
    {
        var me = await PrepareAsync(_factory, 4);
        var turbo = await IdOfAsync(_factory, "extra_services", "turbo");
        using var api = await me.ApiAsync(_factory);
        var balanceBefore = await BalanceAsync(me);

        using var first = await BuyAsync(api, me, turbo, "purchase-1");
        first.StatusCode.ShouldBe(HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        var bought = await first.Content.ReadFromJsonAsync<JsonElement>();
        bought.GetProperty("charged").GetString().ShouldBe("50.00");
        bought.GetProperty("replayed").GetBoolean().ShouldBeFalse();
        bought.GetProperty("expires_at").GetDateTimeOffset().ShouldBe(Now.AddHours(24));

        _factory.Clock.Advance(TimeSpan.FromMinutes(1));
        using var repeat = await BuyAsync(api, me, turbo, "purchase-1");
        repeat.StatusCode.ShouldBe(HttpStatusCode.OK);
        var replayed = await repeat.Content.ReadFromJsonAsync<JsonElement>();
        replayed.GetProperty("replayed").GetBoolean().ShouldBeTrue();
        replayed.GetProperty("expires_at").GetDateTimeOffset().ShouldBe(Now.AddHours(24));

        (await BalanceAsync(me)).ShouldBe(balanceBefore - 5000);
        var keys = await QueryAsync<string>(_factory, "SELECT idempotency_key FROM ledger_transactions WHERE account_id = @id AND idempotency_key LIKE 'oneoff:%'", new { id = me.AccountId });
        keys.ShouldBe([$"oneoff:{me.AccountId}:turbo:purchase-1"]);
        (await ScalarAsync<long>(_factory, "SELECT COUNT(*) FROM account_services WHERE account_id = @id AND service_id = @turbo AND expires_at IS NOT NULL",
            new { id = me.AccountId, turbo })).ShouldBe(1);
        (await EventsAsync(me)).Count(e => e.StartsWith("turbo:", StringComparison.Ordinal)).ShouldBe(1);

        using var another = await BuyAsync(api, me, turbo, "purchase-2");
        (await another.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Detail().ShouldBe("Турбо уже включено.");

        using var off = await api.DeleteAsync($"/api/v1/accounts/{me.AccountId}/services/{turbo}");
        (await off.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Code().ShouldBe("service.one_off");

        using var badKey = await BuyAsync(api, me, turbo, new string('x', 101));
        (await badKey.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("idempotency_key").GetArrayLength().ShouldBe(1);

        // A day later Turbo can be bought again.
        _factory.Clock.Advance(TimeSpan.FromHours(24));
        using var nextDayApi = await me.ApiAsync(_factory);
        using var nextDay = await BuyAsync(nextDayApi, me, turbo, "purchase-3");
        nextDay.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await BalanceAsync(me)).ShouldBe(balanceBefore - 10000);
    }

    [Fact]
    public async Task Turbo_is_refused_without_money_and_on_a_blocked_frozen_or_terminated_account()
    {
        var me = await PrepareAsync(_factory, 5);
        var turbo = await IdOfAsync(_factory, "extra_services", "turbo");
        using var api = await me.ApiAsync(_factory);
        var balance = await BalanceAsync(me);

        // The threshold 30.00 under the balance leaves 20.00 short of the 50.00 price.
        await ExecuteAsync(_factory, "UPDATE accounts SET threshold = @t WHERE id = @id", new { t = balance - 3000, id = me.AccountId });
        using (var poor = await BuyAsync(api, me, turbo, "k1"))
        {
            var problem = await poor.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            problem.Code().ShouldBe("service.not_enough_money");
            problem.Detail().ShouldBe("Недостаточно средств: пополните счёт на 20,00\u00A0₽.");
            problem.GetProperty("needed").GetString().ShouldBe("20.00");
        }

        using (var english = await me.ApiAsync(_factory, "en"))
        using (var poor = await BuyAsync(english, me, turbo, "k1"))
        {
            (await poor.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Detail().ShouldBe("Not enough money: top up the account by 20.00\u00A0₽.");
        }

        await ExecuteAsync(_factory, "UPDATE accounts SET threshold = -100000000 WHERE id = @id", new { id = me.AccountId });
        foreach (var (status, message) in new[]
        {
            (2, "Счёт заблокирован за неуплату: пополните баланс, чтобы подключать услуги."),
            (3, "Счёт на добровольной блокировке: услуги можно подключить после её окончания."),
            (4, "Лицевой счёт закрыт."),
        })
        {
            await ExecuteAsync(_factory, "UPDATE accounts SET status = @status WHERE id = @id", new { status, id = me.AccountId });
            using var refused = await BuyAsync(api, me, turbo, "k" + status);
            (await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Detail().ShouldBe(message);
        }

        (await BalanceAsync(me)).ShouldBe(balance, "a refusal moves no money");
        (await ScalarAsync<long>(_factory, "SELECT COUNT(*) FROM account_services WHERE account_id = @id", new { id = me.AccountId })).ShouldBe(0);
        (await EventsAsync(me)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Pages_switch_on_after_the_price_and_show_a_refusal_next_to_the_service()
    {
        var me = await PrepareAsync(_factory, 6);
        var cinema = await IdOfAsync(_factory, "extra_services", "tv-cinema");
        var turbo = await IdOfAsync(_factory, "extra_services", "turbo");
        using var browser = await me.BrowserAsync(_factory);

        var confirm = await browser.PageAsync($"/services?account={me.AccountId}&confirm={cinema}");
        using var on = await browser.PostFormAsync("/services?handler=on", Cabinet.TokenIn(confirm),
            ("account", me.AccountId.ToString()), ("service", cinema.ToString()));
        on.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var page = await browser.PageAsync(on.Headers.Location!.ToString());
        page.ShouldContain("Услуга «ТВ-пакет «Кино»» подключена.");
        page.ShouldContain("Отключить");

        using var off = await browser.PostFormAsync("/services?handler=off", Cabinet.TokenIn(page),
            ("account", me.AccountId.ToString()), ("service", cinema.ToString()));
        off.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await browser.PageAsync(off.Headers.Location!.ToString())).ShouldContain("отключится с 11.03.2027");

        await ExecuteAsync(_factory, "UPDATE accounts SET threshold = 100000000 WHERE id = @id", new { id = me.AccountId });
        var buy = await browser.PageAsync($"/services?account={me.AccountId}&confirm={turbo}");
        using var refused = await browser.PostFormAsync("/services?handler=on", Cabinet.TokenIn(buy),
            ("account", me.AccountId.ToString()), ("service", turbo.ToString()), ("key", "page-key-1"));
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await refused.ReadHtmlAsync();
        html.ShouldContain($"id=\"service-{turbo}-error\"");
        html.ShouldContain($"aria-describedby=\"service-{turbo}-error\"");
        html.ShouldContain("Недостаточно средств: пополните счёт на");
    }

    [Fact]
    public async Task Another_contracts_account_is_404_and_nothing_is_charged()
    {
        var theirs = await PrepareAsync(_factory, 7);
        var me = await PrepareAsync(_factory, 8);
        var antivirus = await IdOfAsync(_factory, "extra_services", "antivirus");
        var turbo = await IdOfAsync(_factory, "extra_services", "turbo");
        using var api = await me.ApiAsync(_factory);

        using (var r = await api.GetAsync($"/api/v1/accounts/{theirs.AccountId}/services")) { await r.ShouldBeProblemAsync(HttpStatusCode.NotFound); }
        using (var r = await api.PostAsync($"/api/v1/accounts/{theirs.AccountId}/services/{antivirus}", null)) { await r.ShouldBeProblemAsync(HttpStatusCode.NotFound); }
        using (var r = await BuyAsync(api, theirs, turbo, "steal")) { await r.ShouldBeProblemAsync(HttpStatusCode.NotFound); }
        using (var r = await api.DeleteAsync($"/api/v1/accounts/{theirs.AccountId}/services/{antivirus}")) { await r.ShouldBeProblemAsync(HttpStatusCode.NotFound); }
        using (var r = await api.PostAsync($"/api/v1/accounts/{me.AccountId}/services/987654", null)) { await r.ShouldBeProblemAsync(HttpStatusCode.NotFound); }
        (await ScalarAsync<long>(_factory, "SELECT COUNT(*) FROM account_services WHERE account_id = @id", new { id = theirs.AccountId })).ShouldBe(0);

        using var browser = await me.BrowserAsync(_factory);
        var page = await browser.PageAsync($"/services?account={theirs.AccountId}");
        page.ShouldContain(me.AccountNumber);
        page.ShouldNotContain(theirs.AccountNumber);
        // A valid token of this session; the header forms no longer carry one, and this page may show no form.
        var token = Cabinet.TokenIn(await browser.PageAsync("/pay"));
        using var post = await browser.PostFormAsync("/services?handler=on", token,
            ("account", theirs.AccountId.ToString()), ("service", antivirus.ToString()));
        (await ScalarAsync<long>(_factory, "SELECT COUNT(*) FROM account_services WHERE account_id = @id", new { id = theirs.AccountId })).ShouldBe(0);
    }

    private static Task<HttpResponseMessage> BuyAsync(HttpClient api, Prepared account, long serviceId, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{account.AccountId}/services/{serviceId}");
        request.Headers.Add("Idempotency-Key", key);
        return api.SendAsync(request);
    }

    private Task<long> BalanceAsync(Prepared me) =>
        ScalarAsync<long>(_factory, "SELECT balance FROM ledger_accounts WHERE id = @id", new { id = me.LedgerAccountId });

    private async Task<List<string>> EventsAsync(Prepared me) =>
        (await QueryAsync<(string Kind, string Details)>(_factory, "SELECT kind, details FROM account_events WHERE account_id = @id ORDER BY id", new { id = me.AccountId }))
        .Select(e => $"{e.Kind}:{e.Details}").ToList();
}

public sealed class SqliteExtraServiceTests(SqliteApp app) : ExtraServiceTests(app.Factory), IClassFixture<SqliteApp>;

[Collection("postgres")]
public sealed class PostgresExtraServiceTests(PostgresApp app) : ExtraServiceTests(app.Factory), IClassFixture<PostgresApp>;
