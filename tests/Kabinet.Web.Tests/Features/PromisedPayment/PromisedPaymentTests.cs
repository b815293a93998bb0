using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Domain.Ledger;
using Kabinet.Domain.Money;
using Kabinet.Web.Features.Billing;
using Kabinet.Web.Features.Payments;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Kabinet.Web.Tests.Features.PromisedPayment;

/// <summary>The promised payment (M9) over the API and the cabinet page, on both engines.</summary>
public abstract class PromisedPaymentTests(KabinetFactory factory)
{
    private const string Password = "promised-test-1";

    [Fact]
    public async Task Taking_a_promised_payment_credits_the_account_and_records_it_in_the_ledger()
    {
        var (client, account) = await SubscriberAsync(2, balance: 100_00);
        var before = await BalanceAsync(account);

        using var response = await TakeAsync(client, account, "300.00");

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(KabinetFactory.Json);
        body.GetProperty("amount").GetString().ShouldBe("300.00");
        body.GetProperty("outstanding").GetString().ShouldBe("300.00");
        (await BalanceAsync(account)).ShouldBe(before + 300_00);
        var me = await client.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{account}", KabinetFactory.Json);
        me.GetProperty("promised_payment").GetProperty("outstanding").GetString().ShouldBe("300.00");
        me.GetProperty("last_operations")[0].GetProperty("kind").GetString().ShouldBe("promised_payment");
        (await ScalarAsync("SELECT COUNT(*) FROM account_events WHERE account_id = @account AND kind = 'promised_taken'", new { account })).ShouldBe(1);
    }

    [Theory]
    [InlineData("5,555", "promised.amount_invalid")]
    [InlineData("-10.00", "promised.amount_invalid")]
    [InlineData("0.00", "promised.amount_invalid")]
    [InlineData("10.005", "promised.amount_invalid")]
    [InlineData("abc", "promised.amount_invalid")]
    [InlineData("99999.00", "promised.amount_over_limit")]
    public async Task Bad_amount_is_refused_next_to_the_field_and_changes_nothing(string amount, string code)
    {
        var (client, account) = await SubscriberAsync(3, balance: 100_00);
        var before = await BalanceAsync(account);

        using var response = await TakeAsync(client, account, amount);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.Code().ShouldBe(code);
        problem.GetProperty("errors").GetProperty("amount").GetArrayLength().ShouldBe(1);
        (await BalanceAsync(account)).ShouldBe(before);
        (await ScalarAsync("SELECT COUNT(*) FROM promised_payments WHERE account_id = @account", new { account })).ShouldBe(0);
    }

    [Fact]
    public async Task A_second_one_while_the_first_is_open_is_refused_even_when_asked_at_once()
    {
        var (client, account) = await SubscriberAsync(4, balance: 100_00);

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => TakeAsync(client, account, "100.00")));

        responses.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            (await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Code().ShouldBe("promised.already_open");
        }

        (await ScalarAsync("SELECT COUNT(*) FROM promised_payments WHERE account_id = @account", new { account })).ShouldBe(1);
    }

    [Fact]
    public async Task A_blocked_account_is_unblocked_at_once_and_the_next_payment_repays_the_credit()
    {
        var (client, account) = await SubscriberAsync(5, balance: -50_00);
        (await StatusAsync(account)).ShouldBe(2);

        (await TakeAsync(client, account, "300.00")).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await StatusAsync(account)).ShouldBe(1);

        // A payment of 100 repays 100 of the 300; one of 500 repays the rest and closes it.
        await PayAsync(account, 100_00, "repay-test-1");
        (await ScalarAsync("SELECT outstanding FROM promised_payments WHERE account_id = @account", new { account })).ShouldBe(200_00);
        await PayAsync(account, 500_00, "repay-test-2");
        (await ScalarAsync("SELECT status FROM promised_payments WHERE account_id = @account", new { account })).ShouldBe(2);
        (await BalanceAsync(account)).ShouldBe(-50_00 + 100_00 + 500_00);
        var events = (await QueryAsync<string>("SELECT kind FROM account_events WHERE account_id = @account ORDER BY id", new { account })).ToList();
        events.ShouldContain("unblocked");
    }

    [Fact]
    public async Task The_next_one_is_refused_until_the_interval_has_passed()
    {
        var (client, account) = await SubscriberAsync(6, balance: 100_00);
        (await TakeAsync(client, account, "100.00")).StatusCode.ShouldBe(HttpStatusCode.Created);
        await PayAsync(account, 200_00, "interval-test");

        using var response = await TakeAsync(client, account, "100.00");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.Code().ShouldBe("promised.too_soon");
        var next = factory.Services.GetRequiredService<Kabinet.Web.Hosting.OperatorClock>().Today.AddDays(30);
        // People read the day as their language writes it; programs get it as an ISO day in "next".
        problem.Detail().ShouldBe($"Следующий обещанный платёж можно взять с {next.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)}.");
        problem.GetProperty("next").GetString().ShouldBe(next.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        using var english = await factory.ApiClientAsync(Contract(6), Password, "en");
        using var en = await TakeAsync(english, account, "100.00");
        (await en.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Detail()
            .ShouldBe($"The next promised payment can be taken from {next.ToString("M/d/yyyy", CultureInfo.InvariantCulture)}.");
    }

    [Fact]
    public async Task A_new_account_is_refused_with_its_message()
    {
        var (client, account) = await SubscriberAsync(11, balance: 100_00);
        await ExecuteAsync("UPDATE accounts SET created_at = @now WHERE id = @account", new { now = factory.Clock.GetUtcNow().AddDays(-29), account });

        using var response = await TakeAsync(client, account, "100.00");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.Code().ShouldBe("promised.account_too_new");
        problem.Detail().ShouldBe("Обещанный платёж доступен, когда счёту не меньше 30 дн.");
        using var english = await factory.ApiClientAsync(Contract(11), Password, "en");
        (await english.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{account}/promised-payment", KabinetFactory.Json))
            .GetProperty("unavailable_reason").GetString().ShouldBe("A promised payment is available once the account is 30 days old.");
        (await ScalarAsync("SELECT COUNT(*) FROM promised_payments WHERE account_id = @account", new { account })).ShouldBe(0);
    }

    [Fact]
    public async Task A_debt_over_the_limit_is_refused_with_the_limit_as_money_of_the_readers_language()
    {
        var (client, account) = await SubscriberAsync(12, balance: -500_01);

        using var response = await TakeAsync(client, account, "100.00");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.Code().ShouldBe("promised.debt_too_large");
        problem.Detail().ShouldBe("Долг слишком большой: обещанный платёж доступен при долге не больше 500,00\u00A0₽.");
        problem.GetProperty("limit").GetString().ShouldBe("500.00");
        using var english = await factory.ApiClientAsync(Contract(12), Password, "en");
        using var en = await TakeAsync(english, account, "100.00");
        (await en.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Detail()
            .ShouldBe("The debt is too large: a promised payment needs a debt of at most 500.00\u00A0₽.");

        var browser = await factory.LoggedInBrowserAsync(Contract(12), Password);
        var page = await browser.PageAsync($"/promised-payment?account={account}");
        page.ShouldContain("Долг слишком большой: обещанный платёж доступен при долге не больше 500,00\u00A0₽.");
        (await ScalarAsync("SELECT COUNT(*) FROM promised_payments WHERE account_id = @account", new { account })).ShouldBe(0);
    }

    [Fact]
    public async Task A_frozen_or_closed_account_is_refused_with_its_message()
    {
        var (client, account) = await SubscriberAsync(13, balance: 100_00);
        using var english = await factory.ApiClientAsync(Contract(13), Password, "en");
        foreach (var status in new[] { 3, 4 })
        {
            await ExecuteAsync("UPDATE accounts SET status = @status WHERE id = @account", new { status, account });

            using var response = await TakeAsync(client, account, "100.00");

            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
            problem.Code().ShouldBe("promised.not_eligible");
            problem.Detail().ShouldBe("Обещанный платёж недоступен для приостановленного или расторгнутого счёта.");
            using var en = await TakeAsync(english, account, "100.00");
            (await en.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Detail().ShouldBe("A promised payment is not available for a frozen or terminated account.");
        }

        (await ScalarAsync("SELECT COUNT(*) FROM promised_payments WHERE account_id = @account", new { account })).ShouldBe(0);
    }

    [Fact]
    public async Task An_amount_over_the_limit_names_the_limit_as_money()
    {
        var (client, account) = await SubscriberAsync(14, balance: 100_00);
        await ExecuteAsync("UPDATE billing_rules SET promised_max_amount = 123456 WHERE id = 1");
        try
        {
            using var response = await TakeAsync(client, account, "1235.00");

            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            problem.Code().ShouldBe("promised.amount_over_limit");
            problem.Detail().ShouldBe("Сумма больше допустимой: не больше 1\u00A0234,56\u00A0₽.");
            problem.GetProperty("max").GetString().ShouldBe("1234.56");
        }
        finally
        {
            await ExecuteAsync("UPDATE billing_rules SET promised_max_amount = NULL WHERE id = 1");
        }
    }

    [Fact]
    public async Task Another_contracts_account_is_not_found()
    {
        var (client, _) = await SubscriberAsync(7, balance: 100_00);
        var (_, foreign) = await SubscriberAsync(8, balance: 100_00);

        (await client.GetAsync($"/api/v1/accounts/{foreign}/promised-payment")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await TakeAsync(client, foreign, "100.00")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await ScalarAsync("SELECT COUNT(*) FROM promised_payments WHERE account_id = @foreign", new { foreign })).ShouldBe(0);
    }

    [Fact]
    public async Task The_page_takes_it_and_shows_it_open_with_its_due_date()
    {
        var (_, account) = await SubscriberAsync(9, balance: 100_00);
        var browser = await factory.LoggedInBrowserAsync(Contract(9), Password);
        var form = await browser.PageAsync($"/promised-payment?account={account}");
        form.ShouldContain("Взять обещанный платёж");

        using var posted = await browser.PostFormAsync("/promised-payment", Cabinet.TokenIn(form), ("account", account.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("amount", "1,555"));
        var refused = await posted.ReadHtmlAsync();
        refused.ShouldContain("aria-invalid=\"true\"");
        refused.ShouldContain("Введите сумму в рублях");

        using var taken = await browser.PostFormAsync("/promised-payment", Cabinet.TokenIn(refused), ("account", account.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("amount", "250.00"));
        var html = await taken.ReadHtmlAsync();
        html.ShouldContain("250,00");
        html.ShouldContain("data-testid=\"promised-open\"");
    }

    private static string Contract(int n) => (100_000_000_000 + n).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A demo contract with a known password whose first account has the given balance.</summary>
    private async Task<(HttpClient Client, long Account)> SubscriberAsync(int n, long balance)
    {
        var contract = Contract(n);
        await factory.SetPasswordAsync(contract, Password);
        var account = (await factory.AccountsOfAsync(contract))[0].Id;
        var delta = balance - await BalanceAsync(account);
        using (var database = factory.OpenDatabase())
        {
            await using var connection = await database.OpenAsync();
            await using var tx = await Database.BeginWriteAsync(connection);
            var ledger = await connection.ExecuteScalarAsync<long>("SELECT ledger_account_id FROM accounts WHERE id = @account", new { account }, tx);
            if (delta != 0)
            {
                var (from, to) = delta > 0 ? (SystemLedgerAccounts.CashDesk, ledger) : (ledger, SystemLedgerAccounts.Revenue);
                await Kabinet.Data.Ledger.LedgerWriter.PostAsync(connection, tx, LedgerTransaction.Transfer(
                    $"test-adjust:{account}:{Guid.NewGuid():N}", TransactionKind.Adjustment, account, factory.Clock.GetUtcNow(), "test", from, to, new Money(Math.Abs(delta))).Value);
            }

            await AccountStatusWriter.ReevaluateAsync(connection, tx, account, factory.Clock.GetUtcNow());
            await tx.CommitAsync();
        }

        return (await factory.ApiClientAsync(contract, Password), account);
    }

    private static Task<HttpResponseMessage> TakeAsync(HttpClient client, long account, string amount) =>
        client.PostAsJsonAsync($"/api/v1/accounts/{account}/promised-payment", new { amount });

    private async Task PayAsync(long account, long amount, string key)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        await using var tx = await Database.BeginWriteAsync(connection);
        await PaymentPosting.PostAsync(connection, tx, account, new Money(amount), SystemLedgerAccounts.CashDesk, key, "test payment", factory.Clock.GetUtcNow());
        await tx.CommitAsync();
    }

    private Task<long> BalanceAsync(long account) =>
        ScalarAsync("SELECT la.balance FROM accounts a JOIN ledger_accounts la ON la.id = a.ledger_account_id WHERE a.id = @account", new { account });

    private async Task ExecuteAsync(string sql, object? args = null)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(sql, args);
    }

    private Task<long> StatusAsync(long account) => ScalarAsync("SELECT status FROM accounts WHERE id = @account", new { account });

    private async Task<long> ScalarAsync(string sql, object args)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql, args);
    }

    private async Task<IEnumerable<T>> QueryAsync<T>(string sql, object args)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        return await connection.QueryAsync<T>(sql, args);
    }
}

public sealed class SqlitePromisedPaymentTests(SqliteApp app) : PromisedPaymentTests(app.Factory), IClassFixture<SqliteApp>;

[Collection("postgres")]
public sealed class PostgresPromisedPaymentTests(PostgresApp app) : PromisedPaymentTests(app.Factory), IClassFixture<PostgresApp>;
