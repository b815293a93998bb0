using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Domain.Ledger;
using Kabinet.Domain.Money;
using Kabinet.Web.Features.Payments;
using Kabinet.Web.Hosting;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Kabinet.Web.Tests.Features.History;

/// <summary>History, statement and receipts (M10) over the API and the cabinet pages, on both engines.</summary>
public abstract class HistoryTests(KabinetFactory factory)
{
    private static readonly CultureInfo Ru = new("ru-RU");

    private OperatorClock Clock => factory.Services.GetRequiredService<OperatorClock>();

    private DateOnly Today => Clock.Today;

    [Fact]
    public async Task Operations_default_to_the_current_month_and_a_period_keeps_to_its_local_days()
    {
        var (client, account) = await DemoAsync();

        var month = await client.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{account}/operations?limit=500", KabinetFactory.Json);
        month.GetProperty("from").GetString().ShouldBe(Iso(new DateOnly(Today.Year, Today.Month, 1)));
        month.GetProperty("to").GetString().ShouldBe(Iso(Today));

        var (from, to) = (Today.AddDays(-20), Today.AddDays(-10));
        var period = await client.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{account}/operations?from={Iso(from)}&to={Iso(to)}&limit=500", KabinetFactory.Json);
        var items = period.GetProperty("items").EnumerateArray().ToList();
        items.Count.ShouldBeGreaterThan(10);
        period.GetProperty("next_after").ValueKind.ShouldBe(JsonValueKind.Null);
        foreach (var item in items)
        {
            var day = DateOnly.Parse(item.GetProperty("day").GetString()!, CultureInfo.InvariantCulture);
            day.ShouldBeInRange(from, to);
            DateOnly.FromDateTime(Clock.ToLocal(item.GetProperty("at").GetDateTimeOffset()).DateTime).ShouldBe(day);
        }

        // Exactly the journal's lines of those days, nothing more, nothing less.
        var expected = await LedgerIdsAsync(account, from, to);
        items.Select(i => i.GetProperty("id").GetInt64()).Order().ShouldBe(expected.Order());
        items.Select(i => i.GetProperty("id").GetInt64()).ShouldBe(items.Select(i => i.GetProperty("id").GetInt64()).OrderDescending());
    }

    [Fact]
    public async Task The_kind_filter_shows_only_those_kinds()
    {
        var (client, account) = await DemoAsync();
        var range = $"from={Iso(Today.AddDays(-60))}&to={Iso(Today)}&limit=500";

        var payments = await ItemsAsync(client, $"/api/v1/accounts/{account}/operations?{range}&kind=payment");
        var charges = await ItemsAsync(client, $"/api/v1/accounts/{account}/operations?{range}&kind=charge");
        var both = await ItemsAsync(client, $"/api/v1/accounts/{account}/operations?{range}&kind=payment,charge");

        payments.Count.ShouldBeGreaterThanOrEqualTo(2);
        payments.ShouldAllBe(p => p.GetProperty("kind").GetString() == "payment" && p.GetProperty("amount").GetString()!.StartsWith('-') == false);
        charges.Count.ShouldBeGreaterThan(100);
        charges.ShouldAllBe(c => c.GetProperty("kind").GetString() == "charge" && c.GetProperty("amount").GetString()!.StartsWith('-'));
        both.Count.ShouldBe(payments.Count + charges.Count);
    }

    [Fact]
    public async Task Pages_of_operations_follow_one_another_without_gaps_or_repeats()
    {
        var (client, account) = await DemoAsync();
        var range = $"from={Iso(Today.AddDays(-40))}&to={Iso(Today)}";
        var all = await ItemsAsync(client, $"/api/v1/accounts/{account}/operations?{range}&limit=500");

        var paged = new List<long>();
        string? after = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{account}/operations?{range}&limit=37{(after is null ? "" : "&after=" + after)}", KabinetFactory.Json);
            var items = page.GetProperty("items").EnumerateArray().ToList();
            items.Count.ShouldBeLessThanOrEqualTo(37);
            paged.AddRange(items.Select(i => i.GetProperty("id").GetInt64()));
            after = page.GetProperty("next_after").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next_after").GetInt64().ToString(CultureInfo.InvariantCulture);
        }
        while (after is not null);

        paged.ShouldBe(all.Select(i => i.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task Statement_totals_add_up_and_the_closing_balance_is_the_ledger_balance_at_the_end_of_the_period()
    {
        var (client, account) = await DemoAsync();
        var (from, to) = (Today.AddDays(-35), Today.AddDays(-5));

        var s = await client.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{account}/statement?from={Iso(from)}&to={Iso(to)}", KabinetFactory.Json);

        var (opening, credits, debits, closing) = (Amount(s, "opening_balance"), Amount(s, "credits"), Amount(s, "debits"), Amount(s, "closing_balance"));
        (opening + credits - debits).ShouldBe(closing);
        var lines = s.GetProperty("lines").EnumerateArray().Select(l => Amount(l, "amount")).ToList();
        lines.Where(a => a > 0).Sum().ShouldBe(credits);
        (-lines.Where(a => a < 0).Sum()).ShouldBe(debits);
        opening.ShouldBe(await LedgerBalanceBeforeAsync(account, from));
        closing.ShouldBe(await LedgerBalanceBeforeAsync(account, to.AddDays(1)));
        s.GetProperty("contract").GetString().ShouldBe(Cabinet.DemoContract);
        s.GetProperty("holder").GetString().ShouldBe("Иванов Иван Петрович");

        // A period up to today closes on the balance the dashboard shows.
        var now = await client.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{account}/statement?from={Iso(Today.AddDays(-3))}&to={Iso(Today)}", KabinetFactory.Json);
        var me = await client.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{account}", KabinetFactory.Json);
        now.GetProperty("closing_balance").GetString().ShouldBe(me.GetProperty("balance").GetString());
    }

    [Fact]
    public async Task Statement_csv_parses_back_to_the_same_lines_and_amounts_with_awkward_descriptions_quoted()
    {
        var (client, account) = await DemoAsync();
        const string awkward = "=1+2 Оплата; \"наличными\"\nв кассе";
        await PayAsync(account, 1234_50, "history-csv-" + factory.Kind, awkward);
        var range = $"from={Iso(Today.AddDays(-30))}&to={Iso(Today)}";

        using var response = await client.GetAsync($"/api/v1/accounts/{account}/statement.csv?{range}");
        var statement = await client.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{account}/statement?{range}", KabinetFactory.Json);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        response.Content.Headers.ContentDisposition!.FileNameStar.ShouldEndWith(".csv");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        bytes.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        var rows = ParseCsv(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3), ';');
        rows[0].Length.ShouldBe(6);
        var lines = statement.GetProperty("lines").EnumerateArray().ToList();
        rows.Count.ShouldBe(lines.Count + 1);
        for (var i = 0; i < lines.Count; i++)
        {
            var (row, line) = (rows[i + 1], lines[i]);
            row[0].ShouldBe(line.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture));
            row[1].ShouldBe(line.GetProperty("day").GetString());
            row[5].ShouldMatch(@"^-?\d+\.\d{2}$");
            row[5].ShouldBe(line.GetProperty("amount").GetString());
            var description = line.GetProperty("description").GetString()!;
            row[4].ShouldBe(description.StartsWith('=') ? "'" + description : description);
        }

        rows.Skip(1).ShouldContain(r => r[4] == "'" + awkward && r[5] == "1234.50");
        rows.Skip(1).Select(r => decimal.Parse(r[5], CultureInfo.InvariantCulture)).Sum()
            .ShouldBe(decimal.Parse(statement.GetProperty("closing_balance").GetString()!, CultureInfo.InvariantCulture)
                - decimal.Parse(statement.GetProperty("opening_balance").GetString()!, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_payment_has_a_receipt_with_the_providers_details_and_the_amount()
    {
        var (client, account) = await DemoAsync();
        var payment = (await ItemsAsync(client, $"/api/v1/accounts/{account}/operations?from={Iso(Today.AddDays(-60))}&to={Iso(Today)}&kind=payment&limit=1"))[0];
        var id = payment.GetProperty("id").GetInt64();

        var receipt = await client.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{account}/operations/{id}/receipt", KabinetFactory.Json);

        receipt.GetProperty("amount").GetString().ShouldBe(payment.GetProperty("amount").GetString());
        receipt.GetProperty("contract").GetString().ShouldBe(Cabinet.DemoContract);
        receipt.GetProperty("holder").GetString().ShouldBe("Иванов Иван Петрович");
        receipt.GetProperty("channel").GetString().ShouldBe("cash_desk");
        receipt.GetProperty("reference").GetProperty("journal_id").GetInt64().ShouldBe(id);
        receipt.GetProperty("reference").GetProperty("idempotency_key").GetString().ShouldNotBeNullOrWhiteSpace();
        receipt.GetProperty("reference").GetProperty("gateway_payment_id").ValueKind.ShouldBe(JsonValueKind.Null);
        var provider = receipt.GetProperty("provider");
        provider.GetProperty("name").GetString().ShouldBe("ООО «Кабинет Телеком»");
        provider.GetProperty("inn").GetString().ShouldBe("5406123450");
        provider.GetProperty("bik").GetString().ShouldBe("045004999");

        var browser = await factory.LoggedInBrowserAsync(Cabinet.DemoContract, Cabinet.DemoPassword);
        var html = await browser.PageAsync($"/history/receipts/{id}");
        html.ShouldContain("Квитанция об оплате");
        html.ShouldContain("ООО «Кабинет Телеком»");
        html.ShouldContain("ИНН 5406123450");
        html.ShouldContain("БИК 045004999");
        html.ShouldContain(Cabinet.DemoContract);
        html.ShouldContain(MoneyFormat.Display(Money.TryParse(payment.GetProperty("amount").GetString(), out var m) ? m : Money.Zero, Ru));
    }

    [Fact]
    public async Task A_charge_and_another_contracts_payment_have_no_receipt()
    {
        var (client, account) = await DemoAsync();
        var charge = (await ItemsAsync(client, $"/api/v1/accounts/{account}/operations?kind=charge&limit=1"))[0].GetProperty("id").GetInt64();
        var (foreignAccount, foreignPayment) = await ForeignPaymentAsync();

        await (await client.GetAsync($"/api/v1/accounts/{account}/operations/{charge}/receipt")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync($"/api/v1/accounts/{account}/operations/{foreignPayment}/receipt")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync($"/api/v1/accounts/{foreignAccount}/operations/{foreignPayment}/receipt")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync($"/api/v1/accounts/{account}/operations/999999999/receipt")).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        var browser = await factory.LoggedInBrowserAsync(Cabinet.DemoContract, Cabinet.DemoPassword);
        foreach (var id in new[] { charge, foreignPayment })
        {
            using var page = await browser.GetAsync($"/history/receipts/{id}");
            page.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            var html = await page.ReadHtmlAsync();
            html.ShouldNotContain("ИНН 5406123450");
            html.ShouldNotContain("Exception");
        }
    }

    [Fact]
    public async Task Another_contracts_account_is_not_found_in_the_api_and_the_page_falls_back_to_the_own_account()
    {
        var (client, account) = await DemoAsync();
        var (foreign, _) = await ForeignPaymentAsync();

        foreach (var path in new[] { "operations", "statement", "statement.csv" })
        {
            await (await client.GetAsync($"/api/v1/accounts/{foreign}/{path}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        var browser = await factory.LoggedInBrowserAsync(Cabinet.DemoContract, Cabinet.DemoPassword);
        var html = await browser.PageAsync($"/history?account={foreign}");
        html.ShouldContain(Cabinet.DemoContract + "-1");
        html.ShouldContain($"name=\"account\" value=\"{account}\"");
        var statement = await browser.PageAsync($"/history/statement?account={foreign}");
        statement.ShouldContain(Cabinet.DemoContract + "-1");
    }

    [Theory]
    [InlineData("from=2026-13-01", "from", "history.date_invalid")]
    [InlineData("from=01.11.2026", "from", "history.date_invalid")]
    [InlineData("to=2026-02-30", "to", "history.date_invalid")]
    [InlineData("from=1999-12-31&to=2000-01-05", "from", "history.date_out_of_range")]
    [InlineData("from=2026-05-10&to=2026-05-01", "to", "history.to_before_from")]
    [InlineData("from=2025-01-01&to=2026-01-02", "to", "history.period_too_long")]
    [InlineData("kind=bonus", "kind", "history.kind_invalid")]
    [InlineData("limit=0", "limit", "history.limit_invalid")]
    [InlineData("limit=501", "limit", "history.limit_invalid")]
    [InlineData("limit=ten", "limit", "history.limit_invalid")]
    [InlineData("after=-5", "after", "history.after_invalid")]
    public async Task Bad_input_is_refused_with_the_field_named(string query, string field, string code)
    {
        var (client, account) = await DemoAsync();

        var problem = await (await client.GetAsync($"/api/v1/accounts/{account}/operations?{query}")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        problem.Code().ShouldBe(code);
        problem.GetProperty("errors").GetProperty(field).GetArrayLength().ShouldBe(1);
        if (field is "from" or "to")
        {
            foreach (var path in new[] { "statement", "statement.csv" })
            {
                var again = await (await client.GetAsync($"/api/v1/accounts/{account}/{path}?{query}")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
                again.GetProperty("errors").GetProperty(field).GetArrayLength().ShouldBe(1);
            }
        }
    }

    [Fact]
    public async Task A_period_of_exactly_366_days_is_accepted()
    {
        var (client, account) = await DemoAsync();

        using var response = await client.GetAsync($"/api/v1/accounts/{account}/statement?from={Iso(Today.AddDays(-365))}&to={Iso(Today)}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_page_shows_totals_and_lines_and_marks_a_bad_period_next_to_its_field()
    {
        var browser = await factory.LoggedInBrowserAsync(Cabinet.DemoContract, Cabinet.DemoPassword);

        var html = await browser.PageAsync($"/history?from={Iso(Today.AddDays(-14))}&to={Iso(Today.AddDays(-7))}&kind=charge");
        html.ShouldContain("История операций");
        html.ShouldContain("href=\"/history\"");
        html.ShouldContain("type=\"date\"");
        html.ShouldContain($"value=\"{Iso(Today.AddDays(-14))}\"");
        html.ShouldContain("data-testid=\"history-totals\"");
        html.ShouldContain("Входящий остаток");
        html.ShouldContain("data-kind=\"charge\"");
        html.ShouldNotContain("data-kind=\"payment\"");
        html.ShouldContain("<option value=\"charge\" selected=\"selected\">");

        using var bad = await browser.GetAsync("/history?from=2026-05-10&to=2026-05-01");
        bad.StatusCode.ShouldBe(HttpStatusCode.OK);
        var refused = await bad.ReadHtmlAsync();
        refused.ShouldContain("aria-invalid=\"true\"");
        refused.ShouldContain("id=\"to-error\"");
        refused.ShouldContain("Конец периода не может быть раньше начала.");
        refused.ShouldNotContain("data-testid=\"history-table\"");
    }

    [Fact]
    public async Task The_printable_statement_and_its_csv_download_work_with_the_cabinet_cookie()
    {
        var browser = await factory.LoggedInBrowserAsync(Cabinet.DemoContract, Cabinet.DemoPassword);
        var range = $"from={Iso(Today.AddDays(-10))}&to={Iso(Today)}";

        var html = await browser.PageAsync($"/history/statement?{range}");
        html.ShouldContain("Детализация лицевого счёта");
        html.ShouldContain("ООО «Кабинет Телеком»");
        html.ShouldContain("Иванов Иван Петрович");
        html.ShouldContain(Cabinet.DemoContract);
        html.ShouldContain("Исходящий остаток");
        html.ShouldContain("data-testid=\"statement-table\"");

        using var csv = await browser.GetAsync($"/history/statement.csv?{range}");
        csv.StatusCode.ShouldBe(HttpStatusCode.OK);
        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var text = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync());
        text.ShouldStartWith("\uFEFFНомер операции;Дата;Время;Вид;Описание;Сумма\r\n");

        using var badStatement = await browser.GetAsync("/history/statement?from=bad");
        badStatement.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        badStatement.Headers.Location!.OriginalString.ShouldStartWith("/history?");
    }

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static decimal Amount(JsonElement e, string name) => decimal.Parse(e.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);

    private async Task<(HttpClient Client, long Account)> DemoAsync()
    {
        var client = await factory.ApiClientAsync(Cabinet.DemoContract, Cabinet.DemoPassword);
        return (client, (await factory.AccountsOfAsync(Cabinet.DemoContract))[0].Id);
    }

    private static async Task<List<JsonElement>> ItemsAsync(HttpClient client, string path) =>
        (await client.GetFromJsonAsync<JsonElement>(path, KabinetFactory.Json)).GetProperty("items").EnumerateArray().ToList();

    private async Task<(long Account, long Payment)> ForeignPaymentAsync()
    {
        var foreign = (await factory.AccountsOfAsync("100000000002"))[0].Id;
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        var payment = await connection.ExecuteScalarAsync<long>(
            "SELECT MIN(id) FROM ledger_transactions WHERE account_id = @foreign AND kind = 1", new { foreign });
        payment.ShouldBeGreaterThan(0);
        return (foreign, payment);
    }

    private async Task<List<long>> LedgerIdsAsync(long account, DateOnly from, DateOnly to)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<(long Id, DateTimeOffset At)>(
            """
            SELECT t.id, t.occurred_at FROM ledger_transactions t
            WHERE t.id IN (SELECT e.transaction_id FROM ledger_entries e JOIN accounts a ON a.ledger_account_id = e.ledger_account_id WHERE a.id = @account)
            """,
            new { account });
        return rows.Where(r => DateOnly.FromDateTime(Clock.ToLocal(r.At).DateTime) is var d && d >= from && d <= to).Select(r => r.Id).ToList();
    }

    private async Task<decimal> LedgerBalanceBeforeAsync(long account, DateOnly day)
    {
        var start = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue), Clock.Zone), TimeSpan.Zero);
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<(long Amount, DateTimeOffset At)>(
            """
            SELECT e.amount, t.occurred_at FROM ledger_entries e
            JOIN ledger_transactions t ON t.id = e.transaction_id
            JOIN accounts a ON a.ledger_account_id = e.ledger_account_id
            WHERE a.id = @account
            """,
            new { account });
        return rows.Where(r => r.At < start).Sum(r => r.Amount) / 100m;
    }

    private async Task PayAsync(long account, long amount, string key, string description)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        await using var tx = await Database.BeginWriteAsync(connection);
        await PaymentPosting.PostAsync(connection, tx, account, new Money(amount), SystemLedgerAccounts.CashDesk, key, description, factory.Clock.GetUtcNow());
        await tx.CommitAsync();
    }

    /// <summary>RFC 4180 with a chosen separator: quoted fields may hold separators, quotes ("") and line breaks.</summary>
    private static List<string[]> ParseCsv(string text, char separator)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == separator)
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
                i++;
            }
            else
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add([.. row]);
        }

        return rows;
    }
}

public sealed class SqliteHistoryTests(SqliteApp app) : HistoryTests(app.Factory), IClassFixture<SqliteApp>;

[Collection("postgres")]
public sealed class PostgresHistoryTests(PostgresApp app) : HistoryTests(app.Factory), IClassFixture<PostgresApp>;
