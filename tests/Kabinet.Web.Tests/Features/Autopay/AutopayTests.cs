using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Kabinet.Domain.Money;
using Kabinet.Web.Features.Autopay;
using Kabinet.Web.Features.Ledger;
using Kabinet.Web.Features.Payments;
using Kabinet.Web.Hosting;
using Kabinet.Web.Tests.Features.Payments;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kabinet.Web.Tests.Features.Autopay;

/// <summary>Autopay by saved card (M8) over real HTTP against the sandbox acquirer, on both engines.</summary>
public abstract class AutopayTests(KabinetFactory factory)
{
    private const string Password = "autopay-test-1";

    [Fact]
    public async Task A_card_paid_with_save_is_kept_with_the_consent_and_shown_only_as_its_last_four_digits()
    {
        var (api, account) = await SubscriberAsync(2);

        var method = await SaveCardAsync(api, account);

        var methods = await api.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{account}/payment-methods");
        methods.GetArrayLength().ShouldBe(1);
        var card = methods[0];
        card.GetProperty("id").GetInt64().ShouldBe(method);
        card.GetProperty("last4").GetString().ShouldBe("4477");
        card.GetProperty("title").GetString().ShouldBe("•••• 4477");
        card.GetProperty("consent_text").GetString()!.ShouldContain("автоплатеж");
        card.GetProperty("consent_at").GetDateTimeOffset().ShouldBe(factory.Clock.GetUtcNow(), TimeSpan.FromMinutes(1));
        card.ToString().ShouldNotContain("5555555555554477");
        var autopay = await api.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{account}/autopay");
        autopay.GetProperty("enabled").GetBoolean().ShouldBeFalse();
        autopay.GetProperty("payment_methods").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task The_balance_rule_charges_once_a_day_even_when_the_job_runs_twice_and_two_instances_run_at_once()
    {
        var (api, account) = await SubscriberAsync(3);
        await SaveCardAsync(api, account);
        var before = await PaymentFlow.BalanceAsync(factory, account);
        await PutRuleAsync(api, account, new { kind = 1, below = Rub(before + 1_000_00), amount = "300.00" });
        var job = Job(factory);

        (await job.RunOnceAsync(CancellationToken.None)).Succeeded.ShouldBe(1);
        await job.RunOnceAsync(CancellationToken.None);
        using var second = factory.Restarted();
        second.StartRealServer();
        second.Clock.Set(factory.Clock.GetUtcNow());
        await Task.WhenAll(job.RunOnceAsync(CancellationToken.None), Job(second).RunOnceAsync(CancellationToken.None), job.RunOnceAsync(CancellationToken.None));

        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before + 300_00);
        (await AutopayPaymentsAsync(account)).ShouldBe(1);
        (await EventsAsync(account, "autopay_succeeded")).ShouldBe(1);
        var run = (await GetAutopayAsync(api, account)).GetProperty("recent")[0];
        run.GetProperty("status").GetString().ShouldBe("succeeded");
        run.GetProperty("amount").GetString().ShouldBe("300.00");

        // The next day the balance is still below the threshold: one more charge, and only one.
        factory.Clock.Advance(TimeSpan.FromDays(1));
        await Task.WhenAll(job.RunOnceAsync(CancellationToken.None), job.RunOnceAsync(CancellationToken.None));
        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before + 600_00);
        (await AutopayPaymentsAsync(account)).ShouldBe(2);
        (await factory.Services.GetRequiredService<LedgerVerifier>().VerifyAsync(CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_balance_rule_waits_while_the_balance_is_above_the_threshold()
    {
        var (api, account) = await SubscriberAsync(4);
        await SaveCardAsync(api, account);
        var before = await PaymentFlow.BalanceAsync(factory, account);
        await PutRuleAsync(api, account, new { kind = 1, below = Rub(Math.Max(0, before - 100_00)), amount = "300.00" });

        await Job(factory).RunOnceAsync(CancellationToken.None);

        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before);
        (await AutopayPaymentsAsync(account)).ShouldBe(0);
    }

    [Fact]
    public async Task The_forecast_rule_charges_the_recommended_payment_once_before_the_block()
    {
        var (api, account) = await SubscriberAsync(5);
        await SaveCardAsync(api, account);
        var balance = await PaymentFlow.BalanceAsync(factory, account);
        // The operator raises the disconnection threshold just above the balance: the forecast blocks today.
        using (var database = factory.OpenDatabase())
        {
            await using var connection = await database.OpenAsync();
            await connection.ExecuteAsync("UPDATE accounts SET threshold = @threshold WHERE id = @account", new { threshold = balance + 1, account });
        }

        var forecast = await ForecastAsync(api, account);
        forecast.GetProperty("block_on").GetString().ShouldBe(Today().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var recommended = forecast.GetProperty("recommended_payment").GetString()!;
        Money.TryParse(recommended, out var expected).ShouldBeTrue();
        expected.IsPositive.ShouldBeTrue();
        await PutRuleAsync(api, account, new { kind = 2, days_before = 3, amount = (string?)null });
        (await GetAutopayAsync(api, account)).GetProperty("rule").GetProperty("recommended").GetBoolean().ShouldBeTrue();
        var job = Job(factory);

        await Task.WhenAll(job.RunOnceAsync(CancellationToken.None), job.RunOnceAsync(CancellationToken.None));
        await job.RunOnceAsync(CancellationToken.None);

        var charged = Math.Clamp(expected.Kopecks, 10_00, 15_000_00);
        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(balance + charged);
        (await AutopayPaymentsAsync(account)).ShouldBe(1);
        (await EventsAsync(account, "autopay_succeeded")).ShouldBe(1);
    }

    [Fact]
    public async Task The_monthly_rule_charges_on_its_day_once_a_month()
    {
        var (api, account) = await SubscriberAsync(6);
        await SaveCardAsync(api, account);
        var before = await PaymentFlow.BalanceAsync(factory, account);
        var today = Today();
        await PutRuleAsync(api, account, new { kind = 3, day_of_month = today.Day, amount = "250.00" });
        var job = Job(factory);

        await job.RunOnceAsync(CancellationToken.None);
        await job.RunOnceAsync(CancellationToken.None);
        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before + 250_00);

        // The day before next month's day: nothing; on the day: the second charge.
        var next = today.AddMonths(1);
        factory.Clock.Advance(TimeSpan.FromDays(next.DayNumber - today.DayNumber - 1));
        await job.RunOnceAsync(CancellationToken.None);
        (await AutopayPaymentsAsync(account)).ShouldBe(1);
        factory.Clock.Advance(TimeSpan.FromDays(1));
        await Task.WhenAll(job.RunOnceAsync(CancellationToken.None), job.RunOnceAsync(CancellationToken.None));
        (await AutopayPaymentsAsync(account)).ShouldBe(2);
        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before + 500_00);
        (await EventsAsync(account, "autopay_succeeded")).ShouldBe(2);
    }

    [Fact]
    public async Task A_monthly_rule_set_after_this_months_day_waits_for_the_next_month()
    {
        var (api, account) = await SubscriberAsync(7);
        await SaveCardAsync(api, account);
        var today = Today();
        if (today.Day == 1)
        {
            factory.Clock.Advance(TimeSpan.FromDays(1));
            today = Today();
            (api, _) = await SubscriberAsync(7);
        }

        await PutRuleAsync(api, account, new { kind = 3, day_of_month = 1, amount = "250.00" });

        await Job(factory).RunOnceAsync(CancellationToken.None);

        (await AutopayPaymentsAsync(account)).ShouldBe(0);
    }

    [Fact]
    public async Task A_card_the_bank_revoked_fails_the_charge_which_is_recorded_credits_nothing_and_switches_the_rule_off()
    {
        var (api, account) = await SubscriberAsync(8);
        var method = await SaveCardAsync(api, account);
        var before = await PaymentFlow.BalanceAsync(factory, account);
        await PutRuleAsync(api, account, new { kind = 1, below = Rub(before + 1_000_00), amount = "300.00" });
        using (var database = factory.OpenDatabase())
        {
            await using var connection = await database.OpenAsync();
            var gatewayMethod = await connection.ExecuteScalarAsync<string>("SELECT gateway_method_id FROM payment_methods WHERE id = @method", new { method });
            using var sandbox = factory.OpenSandboxDatabase();
            await using var bank = await sandbox.OpenAsync();
            (await bank.ExecuteAsync("UPDATE sandbox_payments SET save_method = FALSE WHERE method_id = @gatewayMethod", new { gatewayMethod })).ShouldBe(1);
        }

        var report = await Job(factory).RunOnceAsync(CancellationToken.None);
        await Job(factory).RunOnceAsync(CancellationToken.None);

        report.Failed.ShouldBe(1);
        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before);
        (await EventsAsync(account, "autopay_failed")).ShouldBe(1);
        (await EventsAsync(account, "autopay_succeeded")).ShouldBe(0);
        var autopay = await GetAutopayAsync(api, account);
        autopay.GetProperty("enabled").GetBoolean().ShouldBeFalse();
        autopay.GetProperty("payment_methods").GetArrayLength().ShouldBe(0);
        var run = autopay.GetProperty("recent")[0];
        run.GetProperty("status").GetString().ShouldBe("failed");
        run.GetProperty("reason").GetString().ShouldBe("permission_revoked");
        run.GetProperty("reason_text").GetString().ShouldNotBeNullOrWhiteSpace();
        (await factory.Services.GetRequiredService<LedgerVerifier>().VerifyAsync(CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_saved_card_the_bank_later_declines_for_lack_of_money_fails_the_charge_with_that_reason_and_credits_nothing()
    {
        var (api, account) = await SubscriberAsync(19);
        await SaveCardAsync(api, account, Kabinet.Web.Integrations.Sandbox.SandboxCards.SavedThenInsufficientFunds);
        var before = await PaymentFlow.BalanceAsync(factory, account);
        await PutRuleAsync(api, account, new { kind = 1, below = Rub(before + 1_000_00), amount = "300.00" });

        var report = await Job(factory).RunOnceAsync(CancellationToken.None);

        report.Failed.ShouldBe(1);
        report.Succeeded.ShouldBe(0);
        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before);
        (await EventsAsync(account, "autopay_failed")).ShouldBe(1);
        var run = (await GetAutopayAsync(api, account)).GetProperty("recent")[0];
        run.GetProperty("status").GetString().ShouldBe("failed");
        run.GetProperty("reason").GetString().ShouldBe("insufficient_funds");
        // The rule stays on (the bank may accept the next period); the class shares one app, whose job
        // passes count every account, so it is switched off for the tests that count a pass's charges.
        (await api.DeleteAsync($"/api/v1/accounts/{account}/autopay")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task A_rule_whose_card_was_unlinked_behind_its_back_records_a_failure_and_charges_nothing()
    {
        var (api, account) = await SubscriberAsync(9);
        var method = await SaveCardAsync(api, account);
        var before = await PaymentFlow.BalanceAsync(factory, account);
        await PutRuleAsync(api, account, new { kind = 1, below = Rub(before + 1_000_00), amount = "300.00" });
        using (var database = factory.OpenDatabase())
        {
            await using var connection = await database.OpenAsync();
            await connection.ExecuteAsync("UPDATE payment_methods SET revoked_at = @now WHERE id = @method", new { now = factory.Clock.GetUtcNow(), method });
        }

        (await Job(factory).RunOnceAsync(CancellationToken.None)).Failed.ShouldBe(1);

        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before);
        (await AutopayPaymentsAsync(account)).ShouldBe(0);
        (await EventsAsync(account, "autopay_failed")).ShouldBe(1);
        (await GetAutopayAsync(api, account)).GetProperty("enabled").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Switching_autopay_off_or_unlinking_the_card_stops_the_charges()
    {
        var (api, account) = await SubscriberAsync(10);
        var method = await SaveCardAsync(api, account);
        var before = await PaymentFlow.BalanceAsync(factory, account);
        var rule = new { kind = 1, below = Rub(before + 1_000_00), amount = "300.00" };
        await PutRuleAsync(api, account, rule);

        (await api.DeleteAsync($"/api/v1/accounts/{account}/autopay")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await api.DeleteAsync($"/api/v1/accounts/{account}/autopay")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await Job(factory).RunOnceAsync(CancellationToken.None);
        (await AutopayPaymentsAsync(account)).ShouldBe(0);
        (await GetAutopayAsync(api, account)).GetProperty("enabled").GetBoolean().ShouldBeFalse();

        await PutRuleAsync(api, account, rule);
        (await api.DeleteAsync($"/api/v1/accounts/{account}/payment-methods/{method}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await Job(factory).RunOnceAsync(CancellationToken.None);

        (await AutopayPaymentsAsync(account)).ShouldBe(0);
        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before);
        var autopay = await GetAutopayAsync(api, account);
        autopay.GetProperty("enabled").GetBoolean().ShouldBeFalse();
        autopay.GetProperty("payment_methods").GetArrayLength().ShouldBe(0);
        (await EventsAsync(account, "autopay_disabled")).ShouldBe(2);
        (await (await api.PutAsJsonAsync($"/api/v1/accounts/{account}/autopay", rule)).ShouldBeProblemAsync(HttpStatusCode.Conflict)).Code().ShouldBe("autopay.no_card");
    }

    [Theory]
    [InlineData(ProxyFault.DropAnswer, 16)]
    [InlineData(ProxyFault.BadGateway, 17)]
    public async Task A_charge_whose_answer_is_lost_after_the_bank_took_it_is_credited_once_by_reconciliation_and_recorded(ProxyFault fault, int n)
    {
        var (api, account) = await SubscriberAsync(n);
        var method = await SaveCardAsync(api, account);
        var before = await PaymentFlow.BalanceAsync(factory, account);
        await PutRuleAsync(api, account, new { kind = 1, below = Rub(before + 100_00), amount = "300.00" });
        // Kabinet reaches the gateway (this Kabinet's sandbox acquirer) through a real HTTP proxy that
        // passes the charge on and then loses the gateway's answer: the card is charged, Kabinet hears
        // a reset connection or a 502. No notification comes either, so only reconciliation can tell.
        await using var proxy = await GatewayProxy.StartAsync(factory.ClientOptions.BaseAddress);
        using var app = ThroughProxy(proxy);
        proxy.Spoil(fault, "POST", "/sandbox-acquirer/v3/payments");

        var report = await Job(app).RunOnceAsync(CancellationToken.None);

        proxy.Spoiled.ShouldBe(1);
        report.ShouldBe(new AutopayReport(1, 0, 0));
        (await BankChargesAsync(method)).ShouldBe(1, "the sandbox took the charge");
        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before);
        var payment = await AutopayPaymentAsync(account);
        payment.Status.ShouldBe(1, "pending: the gateway's answer is unknown, not a failure");
        payment.FailureCode.ShouldBe("gateway_no_answer");
        payment.GatewayPaymentId.ShouldBeNull();
        (await RunStatusAsync(account)).ShouldBe(1);
        (await EventsAsync(account, "autopay_failed")).ShouldBe(0);

        // Another pass meanwhile charges nothing new: the rule waits for its undecided charge.
        (await Job(app).RunOnceAsync(CancellationToken.None)).Charged.ShouldBe(0);

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await Reconciliation(app).RunOnceAsync(CancellationToken.None);
        await Reconciliation(app).RunOnceAsync(CancellationToken.None);

        payment = await AutopayPaymentAsync(account);
        payment.Status.ShouldBe(2);
        payment.FailureCode.ShouldBeNull();
        (await PaymentFlow.CreditsAsync(factory, payment.GatewayPaymentId!)).ShouldBe(1);
        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before + 300_00);
        (await BankChargesAsync(method)).ShouldBe(1, "asking again with the same Idempotence-Key charged nothing more");

        (await Job(app).RunOnceAsync(CancellationToken.None)).Succeeded.ShouldBe(1);
        (await Job(app).RunOnceAsync(CancellationToken.None)).Succeeded.ShouldBe(0);
        var run = (await GetAutopayAsync(api, account)).GetProperty("recent")[0];
        run.GetProperty("status").GetString().ShouldBe("succeeded");
        (await EventsAsync(account, "autopay_succeeded")).ShouldBe(1);
        (await EventsAsync(account, "autopay_failed")).ShouldBe(0);

        // The next period: the money arrived, the balance is above the threshold, no second charge.
        app.Clock.Advance(TimeSpan.FromDays(1));
        (await Job(app).RunOnceAsync(CancellationToken.None)).Charged.ShouldBe(0);
        (await BankChargesAsync(method)).ShouldBe(1);
        (await AutopayPaymentsAsync(account)).ShouldBe(1);
        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before + 300_00);
        (await factory.Services.GetRequiredService<LedgerVerifier>().VerifyAsync(CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_charge_cut_off_by_a_shutdown_after_the_bank_took_it_is_credited_and_recorded_after_the_restart()
    {
        var (api, account) = await SubscriberAsync(18);
        var method = await SaveCardAsync(api, account);
        var before = await PaymentFlow.BalanceAsync(factory, account);
        await PutRuleAsync(api, account, new { kind = 1, below = Rub(before + 100_00), amount = "300.00" });
        await using var proxy = await GatewayProxy.StartAsync(factory.ClientOptions.BaseAddress);
        using (var app = ThroughProxy(proxy))
        {
            // The gateway charges the card; its answer is slow, and the process stops meanwhile.
            proxy.Spoil(ProxyFault.Hold, "POST", "/sandbox-acquirer/v3/payments");
            using var stopping = new CancellationTokenSource();
            var pass = Job(app).RunOnceAsync(stopping.Token);
            await proxy.Held.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await stopping.CancelAsync();
            await Should.ThrowAsync<OperationCanceledException>(pass);
        }

        (await BankChargesAsync(method)).ShouldBe(1);
        (await RunStatusAsync(account)).ShouldBe(1);
        (await AutopayPaymentAsync(account)).Status.ShouldBe(1);
        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before);

        using var restarted = factory.Restarted();
        restarted.StartRealServer();
        restarted.Clock.Set(factory.Clock.GetUtcNow() + TimeSpan.FromMinutes(10));
        // The autopay pass finishes its own run: it asks the gateway again, with the run's key.
        (await Job(restarted).RunOnceAsync(CancellationToken.None)).ShouldBe(new AutopayReport(0, 1, 0));

        var payment = await AutopayPaymentAsync(account);
        payment.Status.ShouldBe(2);
        (await PaymentFlow.CreditsAsync(factory, payment.GatewayPaymentId!)).ShouldBe(1);
        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before + 300_00);
        (await BankChargesAsync(method)).ShouldBe(1);
        (await RunStatusAsync(account)).ShouldBe(2);
        (await EventsAsync(account, "autopay_succeeded")).ShouldBe(1);
    }

    [Fact]
    public async Task Changing_the_rule_keeps_one_rule()
    {
        var (api, account) = await SubscriberAsync(11);
        await SaveCardAsync(api, account);

        await PutRuleAsync(api, account, new { kind = 1, below = "100.00", amount = "300.00" });
        var changed = await PutRuleAsync(api, account, new { kind = 3, day_of_month = 31, amount = (string?)null });

        var rule = changed.GetProperty("rule");
        rule.GetProperty("kind").GetInt32().ShouldBe(3);
        rule.GetProperty("day_of_month").GetInt32().ShouldBe(31);
        rule.GetProperty("recommended").GetBoolean().ShouldBeTrue();
        rule.GetProperty("card_last4").GetString().ShouldBe("4477");
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM autopay_rules WHERE account_id = @account", new { account })).ShouldBe(1);
    }

    [Theory]
    [InlineData("{\"kind\": 7, \"amount\": \"300.00\"}", "autopay.kind_invalid", "kind")]
    [InlineData("{\"kind\": 1, \"below\": \"100.00\"}", "autopay.amount_required", "amount")]
    [InlineData("{\"kind\": 1, \"below\": \"100.00\", \"amount\": \"10.005\"}", "payment.amount_invalid", "amount")]
    [InlineData("{\"kind\": 1, \"below\": \"100.00\", \"amount\": \"0.00\"}", "payment.amount_invalid", "amount")]
    [InlineData("{\"kind\": 1, \"below\": \"100.00\", \"amount\": \"15000.01\"}", "payment.amount_out_of_range", "amount")]
    [InlineData("{\"kind\": 1, \"below\": \"-1.00\", \"amount\": \"300.00\"}", "autopay.below_invalid", "below")]
    [InlineData("{\"kind\": 1, \"below\": \"abc\", \"amount\": \"300.00\"}", "autopay.below_invalid", "below")]
    [InlineData("{\"kind\": 2, \"days_before\": 0}", "autopay.days_before_invalid", "days_before")]
    [InlineData("{\"kind\": 2, \"days_before\": 31, \"amount\": \"300.00\"}", "autopay.days_before_invalid", "days_before")]
    [InlineData("{\"kind\": 3, \"day_of_month\": 32}", "autopay.day_invalid", "day_of_month")]
    [InlineData("{\"kind\": 3}", "autopay.day_invalid", "day_of_month")]
    public async Task Bad_rules_are_refused_with_the_field_and_nothing_is_saved(string body, string code, string field)
    {
        var (api, account) = await SubscriberAsync(12);
        if ((await api.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{account}/payment-methods")).GetArrayLength() == 0)
        {
            await SaveCardAsync(api, account);
        }

        using var response = await api.PutAsync($"/api/v1/accounts/{account}/autopay", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.Code().ShouldBe(code);
        problem.GetProperty("errors").GetProperty(field).GetArrayLength().ShouldBe(1);
        (await GetAutopayAsync(api, account)).GetProperty("enabled").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Another_contracts_card_and_rule_are_not_found()
    {
        var (owner, account) = await SubscriberAsync(13);
        var method = await SaveCardAsync(owner, account);
        await PutRuleAsync(owner, account, new { kind = 1, below = "100.00", amount = "300.00" });
        var (stranger, own) = await SubscriberAsync(14);

        (await stranger.GetAsync($"/api/v1/accounts/{account}/autopay")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.GetAsync($"/api/v1/accounts/{account}/payment-methods")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.PutAsJsonAsync($"/api/v1/accounts/{account}/autopay", new { kind = 1, below = "100.00", amount = "300.00" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.DeleteAsync($"/api/v1/accounts/{account}/autopay")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.DeleteAsync($"/api/v1/accounts/{account}/payment-methods/{method}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // The owner's card through the stranger's own account is not theirs either.
        (await stranger.PutAsJsonAsync($"/api/v1/accounts/{own}/autopay", new { kind = 1, below = "100.00", amount = "300.00", payment_method_id = method })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.DeleteAsync($"/api/v1/accounts/{own}/payment-methods/{method}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var autopay = await GetAutopayAsync(owner, account);
        autopay.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        autopay.GetProperty("payment_methods").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task The_cabinet_page_shows_the_card_and_turns_autopay_on_and_off()
    {
        var (api, account) = await SubscriberAsync(15);
        await SaveCardAsync(api, account);
        using var browser = PaymentFlow.RealBrowser(factory.ClientOptions.BaseAddress);
        (await browser.LogInAsync(Contract(15), Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var page = await browser.PageAsync("/autopay");
        page.ShouldContain("•••• 4477");
        page.ShouldContain("data-enabled=\"false\"");

        using var bad = await browser.PostFormAsync("/autopay?handler=Save", Cabinet.TokenIn(page),
            ("account", account.ToString(CultureInfo.InvariantCulture)), ("kind", "1"), ("below", "сто"), ("amount", "300.00"), ("recommended", "false"));
        var refused = await bad.ReadHtmlAsync();
        refused.ShouldContain("id=\"below-error\"");
        refused.ShouldContain("data-enabled=\"false\"");

        using var on = await browser.PostFormAsync("/autopay?handler=Save", Cabinet.TokenIn(refused),
            ("account", account.ToString(CultureInfo.InvariantCulture)), ("kind", "1"), ("below", "100.00"), ("amount", "300.00"), ("recommended", "false"));
        var enabled = await on.ReadHtmlAsync();
        enabled.ShouldContain("data-enabled=\"true\"");
        (await GetAutopayAsync(api, account)).GetProperty("rule").GetProperty("below").GetString().ShouldBe("100.00");

        using var off = await browser.PostFormAsync("/autopay?handler=Off", Cabinet.TokenIn(enabled), ("account", account.ToString(CultureInfo.InvariantCulture)));
        (await off.ReadHtmlAsync()).ShouldContain("data-enabled=\"false\"");
        (await GetAutopayAsync(api, account)).GetProperty("enabled").GetBoolean().ShouldBeFalse();
    }

    private static AutopayJob Job(KabinetFactory app) => app.Services.GetServices<IHostedService>().OfType<AutopayJob>().Single();

    private static PaymentReconciliationJob Reconciliation(KabinetFactory app) =>
        app.Services.GetServices<IHostedService>().OfType<PaymentReconciliationJob>().Single();

    // A second Kabinet over the same database whose gateway calls go through the proxy, on the same clock; no notifications.
    private KabinetFactory ThroughProxy(GatewayProxy proxy)
    {
        var app = factory.Restarted(new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Kabinet:Gateway:BaseUrl"] = new Uri(proxy.Address, "sandbox-acquirer/v3/").ToString(),
            ["Kabinet:Sandbox:FailNotifications"] = "true",
        });
        app.StartRealServer();
        app.Clock.Set(factory.Clock.GetUtcNow());
        return app;
    }

    // How many charges of the saved card the sandbox acquirer made (its own records, not Kabinet's).
    private async Task<long> BankChargesAsync(long method)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        var gatewayMethod = await connection.ExecuteScalarAsync<string>("SELECT gateway_method_id FROM payment_methods WHERE id = @method", new { method });
        using var sandbox = factory.OpenSandboxDatabase();
        await using var bank = await sandbox.OpenAsync();
        return await bank.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM sandbox_payments WHERE method_id = @gatewayMethod AND idempotence_key LIKE 'autopay:%' AND status = 'succeeded'",
            new { gatewayMethod });
    }

    private async Task<(int Status, string? FailureCode, string? GatewayPaymentId)> AutopayPaymentAsync(long account)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleAsync<(int, string?, string?)>(
            "SELECT status, failure_code, gateway_payment_id FROM payments WHERE account_id = @account AND source = 4", new { account });
    }

    private async Task<int> RunStatusAsync(long account)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleAsync<int>("SELECT status FROM autopay_runs WHERE account_id = @account", new { account });
    }

    private static string Contract(int n) => (100_000_000_000 + n).ToString(CultureInfo.InvariantCulture);

    private static string Rub(long kopecks) => new Money(kopecks).ToString();

    private DateOnly Today() => factory.Services.GetRequiredService<OperatorClock>().Today;

    private async Task<(HttpClient Api, long Account)> SubscriberAsync(int n)
    {
        await factory.SetPasswordAsync(Contract(n), Password);
        var account = (await factory.AccountsOfAsync(Contract(n)))[0].Id;
        return (await factory.ApiClientAsync(Contract(n), Password), account);
    }

    // Pays 500.00 by a sandbox card that succeeds, with "remember the card"; returns the saved card's id.
    private async Task<long> SaveCardAsync(HttpClient api, long account, string card = "5555555555554477")
    {
        var (id, page) = await PaymentFlow.StartAsync(api, account, "500.00", saveMethod: true);
        await PaymentFlow.PayAsync(factory, page, card);
        (await PaymentFlow.GetAsync(api, id)).GetProperty("status").GetString().ShouldBe("succeeded");
        var methods = await api.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{account}/payment-methods");
        return methods[0].GetProperty("id").GetInt64();
    }

    private static async Task<JsonElement> PutRuleAsync(HttpClient api, long account, object rule)
    {
        using var response = await api.PutAsJsonAsync($"/api/v1/accounts/{account}/autopay", rule);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        return body;
    }

    private static Task<JsonElement> GetAutopayAsync(HttpClient api, long account) =>
        api.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{account}/autopay");

    private static async Task<JsonElement> ForecastAsync(HttpClient api, long account)
    {
        var me = await api.GetFromJsonAsync<JsonElement>("/api/v1/me");
        return me.GetProperty("accounts").EnumerateArray().Single(a => a.GetProperty("id").GetInt64() == account).GetProperty("forecast");
    }

    private async Task<long> AutopayPaymentsAsync(long account)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM payments WHERE account_id = @account AND source = 4 AND status = 2 AND ledger_transaction_id IS NOT NULL", new { account });
    }

    private async Task<long> EventsAsync(long account, string kind)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM account_events WHERE account_id = @account AND kind = @kind", new { account, kind });
    }
}

public sealed class SqliteAutopayTests(LiveSqlitePayments app) : AutopayTests(app.Factory), IClassFixture<LiveSqlitePayments>;

[Collection("postgres")]
public sealed class PostgresAutopayTests(LivePostgresPayments app) : AutopayTests(app.Factory), IClassFixture<LivePostgresPayments>;
