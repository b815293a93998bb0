using System.Globalization;
using System.Net;
using Dapper;
using Kabinet.Web.Tests.Infrastructure;

namespace Kabinet.Web.Tests.Features.Accounts;

/// <summary>
/// A cabinet form acts on exactly the account it names: another contract's account id (or none) is
/// refused next to the account field and changes nothing, on either account. It used to fall back
/// to the caller's first account, so a promised payment aimed at someone else's account landed on
/// one's own.
/// </summary>
public abstract class ForeignAccountFormTests(KabinetFactory factory)
{
    private const string Password = "foreign-account-1";
    private const string Theirs = "100000000002";
    private const string RussianError = "Такого счёта нет в вашем договоре.";
    private const string EnglishError = "There is no such account in your contract.";

    /// <summary>Every cabinet form that takes an account: its path and its other fields.</summary>
    public static TheoryData<string, string> Forms => new()
    {
        { "/promised-payment", "amount=100.00" },
        { "/pay", "amount=100.00&method=bank_card&contact=payer@example.ru&consent=true" },
        { "/autopay?handler=Save", "kind=1&amount=500.00&below=100.00" },
        { "/autopay?handler=Off", "" },
        { "/autopay?handler=Unlink", "method=1" },
        { "/services?handler=on", "service={antivirus}&key=foreign-account-key-1" },
        { "/services?handler=off", "service={antivirus}" },
        { "/freeze", "start={start}&end={end}" },
        { "/freeze?handler=end", "" },
        { "/tariffs?handler=cancel", "" },
        { "/tariffs/change", "tariff={tariff}&mode=tomorrow" },
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task Another_contracts_account_is_refused_on_the_account_field_and_nothing_changes(string path, string fields)
    {
        var (browser, token) = await BrowserAsync();
        var theirs = (await factory.AccountsOfAsync(Theirs))[0].Id;
        var before = await StateAsync();

        using var response = await browser.PostFormAsync(path, token, [("account", Id(theirs)), .. await FieldsAsync(fields)]);

        var html = await response.ReadHtmlAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        html.ShouldContain($"<p class=\"field-error\" id=\"account-error\" role=\"alert\">{RussianError}</p>");
        (await StateAsync()).ShouldBe(before);
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task A_form_without_an_account_or_with_one_that_does_not_exist_is_refused_too(string path, string fields)
    {
        var (browser, token) = await BrowserAsync();
        var before = await StateAsync();

        foreach (var account in new[] { null, "999999999", "abc" })
        {
            (string, string)[] named = account is null ? [] : [("account", account)];
            using var response = await browser.PostFormAsync(path, token, [.. named, .. await FieldsAsync(fields)]);

            (await response.ReadHtmlAsync()).ShouldContain(RussianError, customMessage: account ?? "no account");
        }

        (await StateAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task A_promised_payment_aimed_at_another_contracts_account_does_not_land_on_ones_own()
    {
        var (browser, token) = await BrowserAsync();
        var mine = await factory.AccountsOfAsync(Cabinet.DemoContract);
        var theirs = (await factory.AccountsOfAsync(Theirs))[0].Id;
        var balances = await BalancesAsync([.. mine.Select(a => a.Id), theirs]);
        const string Promised = "SELECT COUNT(*) FROM promised_payments WHERE account_id IN (SELECT id FROM accounts WHERE contract_id IN (SELECT contract_id FROM accounts WHERE id IN (@theirs, @mine)))";
        var taken = await CountAsync(Promised, new { theirs, mine = mine[0].Id });

        using var response = await browser.PostFormAsync("/promised-payment", token, ("account", Id(theirs)), ("amount", "100.00"));

        var html = await response.ReadHtmlAsync();
        html.ShouldContain("id=\"account-error\"");
        html.ShouldContain(RussianError);
        html.ShouldNotContain("promised.taken");
        (await BalancesAsync([.. mine.Select(a => a.Id), theirs])).ShouldBe(balances);
        (await CountAsync(Promised, new { theirs, mine = mine[0].Id })).ShouldBe(taken);
    }

    [Fact]
    public async Task The_refusal_reads_in_english_in_the_english_interface()
    {
        var (browser, token) = await BrowserAsync("en");
        var theirs = (await factory.AccountsOfAsync(Theirs))[0].Id;

        using var response = await browser.PostFormAsync("/promised-payment", token, ("account", Id(theirs)), ("amount", "100.00"));

        (await response.ReadHtmlAsync()).ShouldContain($"<p class=\"field-error\" id=\"account-error\" role=\"alert\">{EnglishError}</p>");
    }

    [Fact]
    public async Task The_second_account_of_the_contract_is_still_served_by_the_form()
    {
        var (browser, token) = await BrowserAsync();
        var second = (await factory.AccountsOfAsync(Cabinet.DemoContract))[1].Id;

        using var response = await browser.PostFormAsync("/tariffs?handler=cancel", token, ("account", Id(second)));

        var html = await response.ReadHtmlAsync();
        html.ShouldNotContain("id=\"account-error\"");
    }

    private async Task<(HttpClient Browser, string Token)> BrowserAsync(string? language = null)
    {
        await factory.SetPasswordAsync(Cabinet.DemoContract, Password);
        var browser = await factory.LoggedInBrowserAsync(Cabinet.DemoContract, Password, language);
        return (browser, Cabinet.TokenIn(await browser.PageAsync("/pay")));
    }

    // The form's other fields, with catalogue ids and dates filled in.
    private async Task<(string, string)[]> FieldsAsync(string fields)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        var antivirus = await connection.ExecuteScalarAsync<long>("SELECT id FROM extra_services WHERE code = 'antivirus'");
        var tariff = await connection.ExecuteScalarAsync<long>("SELECT id FROM tariffs WHERE code = 'home-1000'");
        var today = DateOnly.FromDateTime(factory.Clock.GetUtcNow().UtcDateTime);
        var filled = fields
            .Replace("{antivirus}", Id(antivirus), StringComparison.Ordinal)
            .Replace("{tariff}", Id(tariff), StringComparison.Ordinal)
            .Replace("{start}", today.AddDays(10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{end}", today.AddDays(20).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return [.. filled.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(f => f.Split('=', 2)).Select(p => (p[0], p[1]))];
    }

    // Everything a form could have changed: the journal, balances and statuses, and each feature's records.
    private async Task<string> StateAsync()
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        var counts = new List<long>();
        foreach (var table in new[] { "ledger_transactions", "ledger_entries", "promised_payments", "payments", "autopay_rules", "payment_methods", "account_services", "freezes", "tariff_changes", "account_events" })
        {
            counts.Add(await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}"));
        }

        var balances = await connection.QueryAsync<string>(
            "SELECT CAST(a.id AS TEXT) || ':' || CAST(la.balance AS TEXT) || ':' || CAST(a.status AS TEXT) FROM accounts a JOIN ledger_accounts la ON la.id = a.ledger_account_id ORDER BY a.id");
        var autopay = await connection.QueryAsync<string>("SELECT CAST(id AS TEXT) || ':' || CAST(enabled AS TEXT) FROM autopay_rules ORDER BY id");
        return string.Join(",", counts) + "|" + string.Join(",", balances) + "|" + string.Join(",", autopay);
    }

    private async Task<List<long>> BalancesAsync(long[] accounts)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        var result = new List<long>();
        foreach (var account in accounts)
        {
            result.Add(await connection.ExecuteScalarAsync<long>(
                "SELECT la.balance FROM accounts a JOIN ledger_accounts la ON la.id = a.ledger_account_id WHERE a.id = @account", new { account }));
        }

        return result;
    }

    private async Task<long> CountAsync(string sql, object args)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql, args);
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}

public sealed class SqliteForeignAccountFormTests(SqliteApp app) : ForeignAccountFormTests(app.Factory), IClassFixture<SqliteApp>;

[Collection("postgres")]
public sealed class PostgresForeignAccountFormTests(PostgresApp app) : ForeignAccountFormTests(app.Factory), IClassFixture<PostgresApp>;
