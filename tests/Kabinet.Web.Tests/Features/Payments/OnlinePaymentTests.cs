using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Kabinet.Web.Features.Payments;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kabinet.Web.Tests.Features.Payments;

/// <summary>Top-up through the sandbox acquirer over real HTTP (M6), on both engines.</summary>
public abstract class OnlinePaymentTests(KabinetFactory factory)
{
    private const string Password = "payments-test-1";

    public static TheoryData<string, string, string?> Cards => new()
    {
        { "5555555555554477", "succeeded", null },
        { "2200000000000004", "succeeded", null },
        { "4000000000000051", "canceled", "insufficient_funds" },
        { "4000000000000069", "canceled", "card_expired" },
        { "4000000000000101", "canceled", "3d_secure_failed" },
        { "4000000000000119", "canceled", "issuer_unavailable" },
        { "4000000000000127", "canceled", "fraud_suspected" },
        { "4000000000000002", "canceled", "general_decline" },
        { "4000000000000077", "pending", null },
    };

    [Theory]
    [MemberData(nameof(Cards))]
    public async Task Every_test_card_ends_in_its_state_and_only_success_moves_money(string card, string status, string? reason)
    {
        var (api, account) = await SubscriberAsync(10 + Array.FindIndex(Cards.ToArray(), c => (string)c[0] == card));
        var before = await PaymentFlow.BalanceAsync(factory, account);
        var (id, page) = await PaymentFlow.StartAsync(api, account, "500.00");

        var back = await PaymentFlow.PayAsync(factory, page, card);

        back!.AbsolutePath.ShouldBe($"/pay/result/{id}");
        var payment = await PaymentFlow.GetAsync(api, id);
        payment.GetProperty("status").GetString().ShouldBe(status);
        (payment.GetProperty("failure_code").ValueKind == JsonValueKind.Null ? null : payment.GetProperty("failure_code").GetString()).ShouldBe(reason);
        if (reason is not null)
        {
            payment.GetProperty("failure_reason").GetString().ShouldNotBeNullOrWhiteSpace();
        }

        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before + (status == "succeeded" ? 500_00 : 0));
    }

    [Theory]
    [InlineData("123456", "succeeded")]
    [InlineData("000000", "canceled")]
    public async Task The_three_d_secure_card_asks_for_a_code(string code, string status)
    {
        var (api, account) = await SubscriberAsync(code == "123456" ? 20 : 21);
        var (id, page) = await PaymentFlow.StartAsync(api, account, "100.00");

        await PaymentFlow.PayAsync(factory, page, "5555555555554444", code);

        (await PaymentFlow.GetAsync(api, id)).GetProperty("status").GetString().ShouldBe(status);
    }

    [Fact]
    public async Task The_result_page_shows_the_new_balance_to_the_owner_and_the_reason_of_a_failure()
    {
        await factory.SetPasswordAsync(Contract(22), Password);
        var account = (await factory.AccountsOfAsync(Contract(22)))[0].Id;
        var api = await factory.ApiClientAsync(Contract(22), Password);
        var server = factory.ClientOptions.BaseAddress;
        using var browser = PaymentFlow.RealBrowser(server);
        (await browser.LogInAsync(Contract(22), Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var (ok, okPage) = await PaymentFlow.StartAsync(api, account, "250.00");
        await PaymentFlow.PayAsync(factory, okPage, "5555555555554477");
        var success = await browser.PageAsync($"/pay/result/{ok}");
        success.ShouldContain("data-status=\"succeeded\"");
        success.ShouldContain("data-testid=\"new-balance\"");

        var (failed, failedPage) = await PaymentFlow.StartAsync(api, account, "250.00");
        await PaymentFlow.PayAsync(factory, failedPage, "4000000000000051");
        var failure = await browser.PageAsync($"/pay/result/{failed}");
        failure.ShouldContain("недостаточно средств");

        // Someone else's browser sees the state, never the balance.
        using var stranger = PaymentFlow.RealBrowser(server);
        (await stranger.PageAsync($"/pay/result/{ok}")).ShouldNotContain("new-balance");
    }

    [Fact]
    public async Task The_same_notification_delivered_100_times_at_once_credits_once()
    {
        var (api, account) = await SubscriberAsync(23);
        var before = await PaymentFlow.BalanceAsync(factory, account);
        var (id, page) = await PaymentFlow.StartAsync(api, account, "300.00");
        await PaymentFlow.PayAsync(factory, page, "5555555555554477");
        var gatewayId = await PaymentFlow.GatewayIdAsync(factory, id);
        using var client = factory.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => PaymentFlow.NotifyAsync(client, gatewayId)));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        (await PaymentFlow.CreditsAsync(factory, gatewayId)).ShouldBe(1);
        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before + 300_00);
    }

    [Fact]
    public async Task A_stale_notification_after_the_success_changes_nothing()
    {
        var (api, account) = await SubscriberAsync(24);
        var (id, page) = await PaymentFlow.StartAsync(api, account, "120.00");
        await PaymentFlow.PayAsync(factory, page, "5555555555554477");
        var gatewayId = await PaymentFlow.GatewayIdAsync(factory, id);
        using var client = factory.CreateClient();
        (await PaymentFlow.GetAsync(api, id)).GetProperty("status").GetString().ShouldBe("succeeded");
        var after = await PaymentFlow.BalanceAsync(factory, account);

        (await PaymentFlow.NotifyAsync(client, gatewayId, "canceled")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await PaymentFlow.NotifyAsync(client, gatewayId, "waiting_for_capture")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await PaymentFlow.GetAsync(api, id)).GetProperty("status").GetString().ShouldBe("succeeded");
        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(after);
        (await PaymentFlow.CreditsAsync(factory, gatewayId)).ShouldBe(1);
    }

    [Fact]
    public async Task A_forged_notification_for_a_payment_the_gateway_does_not_confirm_credits_nothing()
    {
        var (api, account) = await SubscriberAsync(25);
        var before = await PaymentFlow.BalanceAsync(factory, account);
        var (id, _) = await PaymentFlow.StartAsync(api, account, "700.00");
        var gatewayId = await PaymentFlow.GatewayIdAsync(factory, id);
        using var client = factory.CreateClient();

        // Claims success for a payment nobody paid, and for one that does not exist at all.
        (await PaymentFlow.NotifyAsync(client, gatewayId)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await PaymentFlow.NotifyAsync(client, "sbx_" + Guid.NewGuid().ToString("N"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.PostAsync("/payments/notifications/yookassa", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        (await PaymentFlow.GetAsync(api, id)).GetProperty("status").GetString().ShouldBe("pending");
        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before);
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"x\"")]
    [InlineData("5")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("{\"object\":[1]}")]
    [InlineData("{\"object\":{\"id\":5}}")]
    [InlineData("")]
    public async Task A_notification_whose_body_is_not_the_protocols_object_is_refused_with_400(string body)
    {
        using var client = factory.CreateClient();

        using var response = await client.PostAsync("/payments/notifications/yookassa", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_notification_for_an_id_that_is_not_ours_is_answered_200_without_asking_the_gateway()
    {
        var (api, account) = await SubscriberAsync(29);
        var before = await PaymentFlow.BalanceAsync(factory, account);
        var (id, page) = await PaymentFlow.StartAsync(api, account, "130.00");
        var gatewayId = await PaymentFlow.GatewayIdAsync(factory, id);
        // A second Kabinet over the same database whose gateway calls go through a real HTTP proxy
        // that records them: what it sees is every call Kabinet made to the gateway.
        await using var proxy = await GatewayProxy.StartAsync(factory.ClientOptions.BaseAddress);
        using var app = factory.Restarted(new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Kabinet:Gateway:BaseUrl"] = new Uri(proxy.Address, "sandbox-acquirer/v3/").ToString(),
        });
        app.StartRealServer();
        app.Clock.Set(factory.Clock.GetUtcNow());
        using var client = app.CreateClient();
        var stranger = "sbx_" + Guid.NewGuid().ToString("N");

        (await PaymentFlow.NotifyAsync(client, stranger)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await PaymentFlow.NotifyAsync(client, stranger, "canceled")).StatusCode.ShouldBe(HttpStatusCode.OK);

        proxy.Seen.ShouldNotContain(call => call.Contains(stranger, StringComparison.Ordinal));
        (await PaymentFlow.CreditsAsync(factory, stranger)).ShouldBe(0);

        // One of ours that is pending is asked about; once it is decided, a notification asks nothing more.
        var check = "GET /sandbox-acquirer/v3/payments/" + gatewayId;
        (await PaymentFlow.NotifyAsync(client, gatewayId)).StatusCode.ShouldBe(HttpStatusCode.OK);
        proxy.Seen.Count(call => call == check).ShouldBe(1);
        await PaymentFlow.PayAsync(factory, page, "5555555555554477");
        (await PaymentFlow.GetAsync(api, id)).GetProperty("status").GetString().ShouldBe("succeeded");
        (await PaymentFlow.NotifyAsync(client, gatewayId)).StatusCode.ShouldBe(HttpStatusCode.OK);
        proxy.Seen.Count(call => call == check).ShouldBe(1);
        (await PaymentFlow.CreditsAsync(factory, gatewayId)).ShouldBe(1);
        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before + 130_00);
    }

    [Fact]
    public async Task A_gateway_success_for_another_amount_or_for_a_payment_Kabinet_never_started_credits_nothing()
    {
        var (api, account) = await SubscriberAsync(22);
        var before = await PaymentFlow.BalanceAsync(factory, account);
        var (id, _) = await PaymentFlow.StartAsync(api, account, "650.00");
        var gatewayId = await PaymentFlow.GatewayIdAsync(factory, id);
        var stranger = "sbx_" + Guid.NewGuid().ToString("N");

        // The bank says both succeeded: ours for 6.50 RUB instead of 650.00, and one Kabinet never asked for.
        using (var database = factory.OpenSandboxDatabase())
        {
            await using var connection = await database.OpenAsync();
            (await connection.ExecuteAsync(
                "UPDATE sandbox_payments SET status = 'succeeded', paid = TRUE, amount = 650 WHERE id = @gatewayId", new { gatewayId })).ShouldBe(1);
            await connection.ExecuteAsync(
                """
                INSERT INTO sandbox_payments (id, shop_id, idempotence_key, amount, status, paid, method_type, created_at)
                SELECT @stranger, shop_id, @stranger, 650_00, 'succeeded', TRUE, method_type, created_at FROM sandbox_payments WHERE id = @gatewayId
                """,
                new { stranger, gatewayId });
        }

        using var client = factory.CreateClient();
        (await PaymentFlow.NotifyAsync(client, gatewayId)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await PaymentFlow.NotifyAsync(client, stranger)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await PaymentFlow.GetAsync(api, id)).GetProperty("status").GetString().ShouldBe("pending");
        (await PaymentFlow.CreditsAsync(factory, gatewayId)).ShouldBe(0);
        (await PaymentFlow.CreditsAsync(factory, stranger)).ShouldBe(0);
        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before);
    }

    [Fact]
    public async Task A_success_whose_notification_is_lost_is_credited_once_by_reconciliation_after_a_restart()
    {
        var (api, account) = await SubscriberAsync(26);
        var before = await PaymentFlow.BalanceAsync(factory, account);
        var (id, page) = await PaymentFlow.StartAsync(api, account, "440.00");
        var gatewayId = await PaymentFlow.GatewayIdAsync(factory, id);

        // The acquirer takes the money but Kabinet never hears of it: the hosted page's outcome is
        // written straight to the sandbox's table, as if Kabinet had crashed before any notification.
        using (var database = factory.OpenSandboxDatabase())
        {
            await using var connection = await database.OpenAsync();
            (await connection.ExecuteAsync(
                "UPDATE sandbox_payments SET status = 'succeeded', paid = TRUE, method_id = 'pm_' || id, card_last4 = '4477' WHERE id = @gatewayId",
                new { gatewayId })).ShouldBe(1);
        }

        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before);
        using var restarted = factory.Restarted();
        restarted.StartRealServer();
        restarted.Clock.Advance(TimeSpan.FromMinutes(1));
        var job = restarted.Services.GetServices<IHostedService>().OfType<PaymentReconciliationJob>().Single();

        await job.RunOnceAsync(CancellationToken.None);
        await job.RunOnceAsync(CancellationToken.None);

        (await PaymentFlow.CreditsAsync(factory, gatewayId)).ShouldBe(1);
        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before + 440_00);
    }

    [Fact]
    public async Task A_payment_the_gateway_fails_on_does_not_keep_reconciliation_from_crediting_the_others_even_a_week_later()
    {
        var (api, account) = await SubscriberAsync(31);
        var before = await PaymentFlow.BalanceAsync(factory, account);
        var (broken, _) = await PaymentFlow.StartAsync(api, account, "110.00");
        var (paid, _) = await PaymentFlow.StartAsync(api, account, "220.00");
        var (paidLater, _) = await PaymentFlow.StartAsync(api, account, "330.00");
        var brokenId = await PaymentFlow.GatewayIdAsync(factory, broken);
        var paidId = await PaymentFlow.GatewayIdAsync(factory, paid);
        var paidLaterId = await PaymentFlow.GatewayIdAsync(factory, paidLater);
        using (var database = factory.OpenSandboxDatabase())
        {
            await using var connection = await database.OpenAsync();
            // The acquirer can no longer read its own record of the first payment: it answers 500 for
            // it, every time. The second is paid, and Kabinet never hears of it; the third is still
            // pending at the acquirer.
            (await connection.ExecuteAsync("UPDATE sandbox_payments SET metadata = '{not json' WHERE id = @brokenId", new { brokenId })).ShouldBe(1);
            (await connection.ExecuteAsync(
                "UPDATE sandbox_payments SET status = 'succeeded', paid = TRUE, method_id = 'pm_' || id, card_last4 = '4477' WHERE id = @paidId",
                new { paidId })).ShouldBe(1);
        }

        var failure = await Should.ThrowAsync<Kabinet.Web.Integrations.YooKassa.GatewayException>(
            factory.Services.GetRequiredService<Kabinet.Web.Integrations.YooKassa.YooKassaClient>().GetPaymentAsync(brokenId, CancellationToken.None));
        ((int)failure.Status).ShouldBe(500);

        using var restarted = factory.Restarted();
        restarted.StartRealServer();
        restarted.Clock.Set(factory.Clock.GetUtcNow() + TimeSpan.FromMinutes(1));
        var job = restarted.Services.GetServices<IHostedService>().OfType<PaymentReconciliationJob>().Single();

        // The broken payment comes first (ids in order) and throws; the pass goes on past it.
        await job.RunOnceAsync(CancellationToken.None);

        (await PaymentFlow.CreditsAsync(factory, paidId)).ShouldBe(1);
        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before + 220_00);
        (await ScalarAsync("SELECT status FROM payments WHERE public_id = @broken", new { broken })).ShouldBe(1);

        // The third is paid, and its notifications are lost too; a week later (beyond the old two-day
        // cutoff) reconciliation still finds and credits it.
        using (var database = factory.OpenSandboxDatabase())
        {
            await using var connection = await database.OpenAsync();
            (await connection.ExecuteAsync(
                "UPDATE sandbox_payments SET status = 'succeeded', paid = TRUE, method_id = 'pm_' || id, card_last4 = '4477' WHERE id = @paidLaterId",
                new { paidLaterId })).ShouldBe(1);
        }

        restarted.Clock.Advance(TimeSpan.FromDays(7));
        await job.RunOnceAsync(CancellationToken.None);

        (await PaymentFlow.CreditsAsync(factory, paidLaterId)).ShouldBe(1);
        (await PaymentFlow.CreditsAsync(factory, paidId)).ShouldBe(1);
        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before + 550_00);
        (await ScalarAsync("SELECT status FROM payments WHERE public_id = @broken", new { broken })).ShouldBe(1);
    }

    [Theory]
    [InlineData("0.00", "payment.amount_invalid")]
    [InlineData("-10.00", "payment.amount_invalid")]
    [InlineData("10.005", "payment.amount_invalid")]
    [InlineData("abc", "payment.amount_invalid")]
    [InlineData("5.00", "payment.amount_out_of_range")]
    [InlineData("15000.01", "payment.amount_out_of_range")]
    [InlineData("20000", "payment.amount_out_of_range")]
    [InlineData("10,005", "payment.amount_invalid")]
    [InlineData("1.500,00", "payment.amount_invalid")]
    public async Task Bad_amounts_are_refused_and_nothing_is_created(string amount, string code)
    {
        var (api, account) = await SubscriberAsync(27);
        var count = await PaymentCountAsync();

        using var response = await api.PostAsJsonAsync($"/api/v1/accounts/{account}/payments", new { amount, consent = true });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.Code().ShouldBe(code);
        problem.GetProperty("errors").GetProperty("amount").GetArrayLength().ShouldBe(1);
        if (code == "payment.amount_out_of_range")
        {
            // People read the limits as money; the extension members keep the wire form.
            problem.GetProperty("detail").GetString().ShouldBe("Сумма должна быть от 10,00\u00A0₽ до 15\u00A0000,00\u00A0₽.");
        }

        (await PaymentCountAsync()).ShouldBe(count);
    }

    [Theory]
    [InlineData("500", "500.00")]
    [InlineData("1 500,5", "1500.50")]
    public async Task An_amount_typed_as_people_type_it_is_taken_exactly(string typed, string amount)
    {
        var (api, account) = await SubscriberAsync(27);

        var (id, _) = await PaymentFlow.StartAsync(api, account, typed);

        var payment = await api.GetFromJsonAsync<JsonElement>($"/api/v1/payments/{id}");
        payment.GetProperty("amount").GetString().ShouldBe(amount);
    }

    [Fact]
    public async Task A_refused_consent_a_bad_method_or_a_foreign_account_are_refused_and_nothing_is_created()
    {
        var (api, _) = await SubscriberAsync(28);
        var (_, foreign) = await SubscriberAsync(29);
        var own = (await factory.AccountsOfAsync(Contract(28)))[0].Id;
        var count = await PaymentCountAsync();

        (await (await api.PostAsJsonAsync($"/api/v1/accounts/{own}/payments", new { amount = "100.00", consent = false })).ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Code().ShouldBe("payment.consent_required");
        (await (await api.PostAsJsonAsync($"/api/v1/accounts/{own}/payments", new { amount = "100.00", consent = true, method = "cash" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Code().ShouldBe("payment.method_invalid");
        (await api.PostAsJsonAsync($"/api/v1/accounts/{foreign}/payments", new { amount = "100.00", consent = true })).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        (await PaymentCountAsync()).ShouldBe(count);
    }

    [Fact]
    public async Task The_api_example_of_the_issue_works_as_written_and_records_the_consent_the_client_gave_on_the_subscribers_behalf()
    {
        var (api, account) = await SubscriberAsync(28);

        using var response = await api.PostAsync(
            $"/api/v1/accounts/{account}/payments", new StringContent("""{"amount": "500.00"}""", System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetString()!;
        body.GetProperty("confirmation_url").GetString().ShouldStartWith("http");
        var (text, at, source) = await ConsentOfAsync(id);
        text.ShouldBe("API: приложение приняло оферту «Публичная оферта (/offer)» от имени абонента (поле consent не передано)");
        at.ShouldNotBeNull();
        source.ShouldBe(2);
    }

    [Fact]
    public async Task An_explicit_consent_false_in_the_api_is_refused_and_nothing_is_created()
    {
        var (api, account) = await SubscriberAsync(28);
        var count = await PaymentCountAsync();

        using var response = await api.PostAsync(
            $"/api/v1/accounts/{account}/payments", new StringContent("""{"amount": "500.00", "consent": false}""", System.Text.Encoding.UTF8, "application/json"));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.Code().ShouldBe("payment.consent_required");
        problem.GetProperty("errors").GetProperty("consent").GetArrayLength().ShouldBe(1);
        (await PaymentCountAsync()).ShouldBe(count);
    }

    [Fact]
    public async Task An_explicit_api_consent_is_recorded_in_the_callers_language_with_the_card_saving_consent()
    {
        await factory.SetPasswordAsync(Contract(28), Password);
        var account = (await factory.AccountsOfAsync(Contract(28)))[0].Id;
        using var english = await factory.ApiClientAsync(Contract(28), Password, "en");

        var (id, _) = await PaymentFlow.StartAsync(english, account, "100.00", saveMethod: true);

        (await ConsentOfAsync(id)).Text.ShouldBe(
            "API: the payer accepted the offer \"Public offer (/offer)\" (consent: true). Consent to save the card for autopay (save_payment_method: true)");
    }

    [Theory]
    [InlineData("en", "I accept the terms of the public offer (/offer). Remember the card for autopay. You can remove it at any time; the bank keeps it, we see only the last 4 digits.")]
    [InlineData("ru", "Я принимаю условия публичной оферты (/offer). Запомнить карту для автоплатежа. Карту можно будет отвязать в любой момент; хранится только у банка, мы видим последние 4 цифры.")]
    public async Task The_cabinet_form_stores_the_consent_as_shown_in_the_language_shown(string language, string stored)
    {
        await factory.SetPasswordAsync(Contract(30), Password);
        var account = (await factory.AccountsOfAsync(Contract(30)))[0].Id;
        using var browser = PaymentFlow.RealBrowser(factory.ClientOptions.BaseAddress);
        browser.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        (await browser.LogInAsync(Contract(30), Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var form = await browser.PageAsync($"/pay?account={account}");
        form.ShouldContain($"<input type=\"hidden\" name=\"language\" value=\"{language}\">");
        // The amount is filled in as the reader writes money.
        System.Text.RegularExpressions.Regex.IsMatch(form, language == "ru" ? "id=\"amount\"[^>]*value=\"\\d+,\\d\\d\"" : "id=\"amount\"[^>]*value=\"\\d+\\.\\d\\d\"")
            .ShouldBeTrue("the prefilled amount of the " + language + " form");
        var count = await PaymentCountAsync();

        // Unticked, the offer is refused on the form and nothing is created.
        using (var refused = await browser.PostFormAsync("/pay", Cabinet.TokenIn(form),
            ("account", account.ToString(CultureInfo.InvariantCulture)), ("amount", "100.00"), ("method", "bank_card"), ("contact", "payer@example.ru"), ("language", language)))
        {
            (await refused.ReadHtmlAsync()).ShouldContain("id=\"consent-error\"");
        }

        (await PaymentCountAsync()).ShouldBe(count);
        using var posted = await browser.PostFormAsync("/pay", Cabinet.TokenIn(form),
            ("account", account.ToString(CultureInfo.InvariantCulture)), ("amount", "100.00"), ("method", "bank_card"), ("contact", "payer@example.ru"),
            ("consent", "true"), ("saveCard", "true"), ("language", language));

        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect, await posted.Content.ReadAsStringAsync());
        var id = await ScalarStringAsync("SELECT public_id FROM payments WHERE account_id = @account ORDER BY id DESC LIMIT 1", new { account });
        var (text, at, source) = await ConsentOfAsync(id);
        text.ShouldBe(stored);
        at.ShouldNotBeNull();
        source.ShouldBe(1);
    }

    [Fact]
    public async Task Another_contracts_payment_is_not_found()
    {
        var (api, account) = await SubscriberAsync(30);
        var (other, _) = await SubscriberAsync(31);
        var (id, _) = await PaymentFlow.StartAsync(api, account, "100.00");

        (await other.GetAsync($"/api/v1/payments/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Sbp_goes_through_the_same_gateway_and_carries_the_receipt()
    {
        var (api, account) = await SubscriberAsync(12);
        var (id, page) = await PaymentFlow.StartAsync(api, account, "150.00", "sbp");
        using var browser = PaymentFlow.RealBrowser(page);
        var form = await browser.PageAsync(page.PathAndQuery);
        form.ShouldContain("СБП");

        using var posted = await browser.PostFormAsync(page.PathAndQuery, Cabinet.TokenIn(form), ("sbp", "ok"));

        (await PaymentFlow.GetAsync(api, id)).GetProperty("method").GetString().ShouldBe("sbp");
        (await PaymentFlow.GetAsync(api, id)).GetProperty("status").GetString().ShouldBe("succeeded");
        using var database = factory.OpenSandboxDatabase();
        await using var connection = await database.OpenAsync();
        var receipt = await connection.ExecuteScalarAsync<string?>("SELECT receipt FROM sandbox_payments WHERE id = @id", new { id = await PaymentFlow.GatewayIdAsync(factory, id) });
        receipt.ShouldNotBeNull();
        using var json = JsonDocument.Parse(receipt);
        var item = json.RootElement.GetProperty("items")[0];
        item.GetProperty("description").GetString().ShouldBe("Услуги связи");
        item.GetProperty("vat_code").GetInt32().ShouldBeInRange(1, 6);
        item.GetProperty("amount").GetProperty("value").GetString().ShouldBe("150.00");
    }

    [Fact]
    public async Task Card_payments_credited_together_unblock_at_once_and_repay_the_promised_payment_in_turn()
    {
        var (api, account) = await SubscriberAsync(3);
        // Blocked until the balance is 500.00 higher; a promised 300.00 is not enough to unblock.
        await ScalarAsync(
            "UPDATE accounts SET status = 2, threshold = (SELECT la.balance FROM ledger_accounts la WHERE la.id = accounts.ledger_account_id) + 50000 WHERE id = @account",
            new { account });
        using (var taken = await api.PostAsJsonAsync($"/api/v1/accounts/{account}/promised-payment", new { amount = "300.00" }))
        {
            taken.StatusCode.ShouldBe(HttpStatusCode.Created, await taken.Content.ReadAsStringAsync());
        }

        (await ScalarAsync("SELECT status FROM accounts WHERE id = @account", new { account })).ShouldBe(2);
        var before = await PaymentFlow.BalanceAsync(factory, account);
        var (first, firstPage) = await PaymentFlow.StartAsync(api, account, "200.00");
        var (second, secondPage) = await PaymentFlow.StartAsync(api, account, "900.00");
        await PaymentFlow.PayAsync(factory, firstPage, "5555555555554477");
        await PaymentFlow.PayAsync(factory, secondPage, "5555555555554477");

        // Confirmed at once, so the credit writer may well take both in one group; the outcome is the same.
        var states = await Task.WhenAll(PaymentFlow.GetAsync(api, first), PaymentFlow.GetAsync(api, second));

        states.ShouldAllBe(s => s.GetProperty("status").GetString() == "succeeded");
        (await PaymentFlow.CreditsAsync(factory, await PaymentFlow.GatewayIdAsync(factory, first))).ShouldBe(1);
        (await PaymentFlow.CreditsAsync(factory, await PaymentFlow.GatewayIdAsync(factory, second))).ShouldBe(1);
        // 200.00 repays 200.00 of the 300.00, 900.00 the last 100.00.
        (await ScalarAsync("SELECT status FROM promised_payments WHERE account_id = @account", new { account })).ShouldBe(2);
        (await ScalarAsync("SELECT outstanding FROM promised_payments WHERE account_id = @account", new { account })).ShouldBe(0);
        (await ScalarAsync(
            """
            SELECT COALESCE(SUM(e.amount), 0) FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id
            WHERE t.account_id = @account AND t.idempotency_key LIKE 'promised-repay:%' AND e.ledger_account_id = 3
            """,
            new { account })).ShouldBe(300_00);
        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before + 1_100_00 - 300_00);
        (await ScalarAsync("SELECT status FROM accounts WHERE id = @account", new { account })).ShouldBe(1);
        (await ScalarAsync("SELECT COUNT(*) FROM account_events WHERE account_id = @account AND kind = 'unblocked'", new { account })).ShouldBe(1);
    }

    private static string Contract(int n) => (100_000_000_000 + n).ToString(CultureInfo.InvariantCulture);

    private async Task<(HttpClient Api, long Account)> SubscriberAsync(int n)
    {
        await factory.SetPasswordAsync(Contract(n), Password);
        var account = (await factory.AccountsOfAsync(Contract(n)))[0].Id;
        return (await factory.ApiClientAsync(Contract(n), Password), account);
    }

    private async Task<long> ScalarAsync(string sql, object args)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql, args);
    }

    private async Task<(string? Text, string? At, int Source)> ConsentOfAsync(string publicId)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        var row = await connection.QuerySingleAsync<(string? Text, object? At, long Source)>(
            "SELECT consent_text, consent_at, source FROM payments WHERE public_id = @publicId", new { publicId });
        return (row.Text, row.At?.ToString(), (int)row.Source);
    }

    private async Task<string> ScalarStringAsync(string sql, object args)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<string>(sql, args) ?? "";
    }

    private async Task<long> PaymentCountAsync()
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM payments");
    }
}

public sealed class SqliteOnlinePaymentTests(LiveSqlitePayments app) : OnlinePaymentTests(app.Factory), IClassFixture<LiveSqlitePayments>;

[Collection("postgres")]
public sealed class PostgresOnlinePaymentTests(LivePostgresPayments app) : OnlinePaymentTests(app.Factory), IClassFixture<LivePostgresPayments>;
