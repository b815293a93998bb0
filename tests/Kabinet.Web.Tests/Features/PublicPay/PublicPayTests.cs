using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Kabinet.Domain.Money;
using Kabinet.Web.Tests.Features.Payments;
using Kabinet.Web.Tests.Infrastructure;

namespace Kabinet.Web.Tests.Features.PublicPay;

/// <summary>Paying without logging in (M7) over real HTTP through the sandbox acquirer, on both engines.</summary>
public abstract partial class PublicPayTests(KabinetFactory factory)
{
    private const string Page = "/pay-without-login";

    [Fact]
    public async Task Paying_by_contract_number_through_the_hosted_page_raises_the_balance_once()
    {
        var account = (await factory.AccountsOfAsync(Contract(2)))[0].Id;
        var before = await PaymentFlow.BalanceAsync(factory, account);
        using var api = factory.CreateClient();

        using var response = await api.PostAsJsonAsync("/api/v1/public/payments", new
        {
            contract = "1000 0000 0002", amount = "300.00", receipt_contact = "payer@example.ru", consent = true,
        });

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetString()!;
        body.GetProperty("status").GetString().ShouldBe("pending");
        var back = await PaymentFlow.PayAsync(factory, new Uri(body.GetProperty("confirmation_url").GetString()!), "5555555555554477");
        back!.AbsolutePath.ShouldBe($"/pay/result/{id}");

        using var stranger = PaymentFlow.RealBrowser(factory.ClientOptions.BaseAddress);
        var result = await stranger.PageAsync($"/pay/result/{id}");
        result.ShouldContain("data-status=\"succeeded\"");
        result.ShouldNotContain("new-balance");
        (await api.GetFromJsonAsync<JsonElement>($"/api/v1/public/payments/{id}")).GetProperty("status").GetString().ShouldBe("succeeded");
        var gatewayId = await PaymentFlow.GatewayIdAsync(factory, id);
        (await PaymentFlow.NotifyAsync(api, gatewayId)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await PaymentFlow.CreditsAsync(factory, gatewayId)).ShouldBe(1);
        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before + 300_00);
        (await SourceOfAsync(id)).ShouldBe(3);
    }

    [Fact]
    public async Task The_page_shows_masked_numbers_and_the_qr_code_and_pays_to_the_chosen_account()
    {
        var accounts = await factory.AccountsOfAsync(Contract(1));
        accounts.Count.ShouldBe(2);
        using var browser = PaymentFlow.RealBrowser(factory.ClientOptions.BaseAddress);
        var form = await browser.PageAsync(Page);
        form.ShouldContain("name=\"city\"");

        using var found = await browser.PostFormAsync(Page + "?handler=Contract", Cabinet.TokenIn(form), ("contract", "100000000001"));
        var html = await found.ReadHtmlAsync();
        found.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        html.ShouldContain("1000****0001");
        html.ShouldContain("1000****0001-1");
        html.ShouldContain("1000****0001-2");
        html.ShouldContain("data-testid=\"payment-qr\"");
        html.ShouldContain("src=\"/payment-qr.svg?contract=100000000001\"");
        using (var image = await browser.GetAsync("/payment-qr.svg?contract=100000000001"))
        {
            image.StatusCode.ShouldBe(HttpStatusCode.OK);
            image.Content.Headers.ContentType!.MediaType.ShouldBe("image/svg+xml");
            image.Headers.CacheControl!.Public.ShouldBeTrue();
            (await image.Content.ReadAsStringAsync()).ShouldStartWith("<svg");
        }

        foreach (var bad in new[] { "/payment-qr.svg", "/payment-qr.svg?contract=12", "/payment-qr.svg?contract=100000000001&sum=1,5", "/payment-qr.svg?contract=100000000001&sum=-5.00" })
        {
            using var refused = await browser.GetAsync(bad);
            refused.StatusCode.ShouldBe(HttpStatusCode.NotFound, bad);
        }

        html.ShouldContain("Оплата услуг связи по договору 100000000001");
        await ShouldRevealNothingAsync(html, Contract(1));

        var count = await PaymentCountAsync();
        using var pay = await browser.PostFormAsync(
            Page + "?handler=Pay", Cabinet.TokenIn(html), ("reference", ReferenceIn(html)), ("account", "1000****0001-2"),
            ("amount", "250.00"), ("method", "bank_card"), ("contact", "+7 913 000-00-99"), ("consent", "true"));

        pay.StatusCode.ShouldBe(HttpStatusCode.Redirect, await pay.Content.ReadAsStringAsync());
        pay.Headers.Location!.AbsolutePath.ShouldStartWith("/sandbox-acquirer/pay/");
        (await PaymentCountAsync()).ShouldBe(count + 1);
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        var row = await connection.QuerySingleAsync<(long AccountId, string Contact)>(
            "SELECT account_id, receipt_contact FROM payments ORDER BY id DESC LIMIT 1");
        row.AccountId.ShouldBe(accounts[1].Id);
        row.Contact.ShouldBe("79130000099");
    }

    [Fact]
    public async Task The_address_search_lists_every_contract_there_masked_and_nothing_else()
    {
        var (city, street, house) = await SharedAddressAsync("Бердск", "улица Тестовая", "7А", "15", 5, 6);

        using var api = factory.CreateClient();
        using var response = await api.GetAsync($"/api/v1/public/contracts?city={Uri.EscapeDataString("г. " + city)}&street={Uri.EscapeDataString("ул. Тестовая")}&house=7а&flat={Uri.EscapeDataString("кв. 15")}");
        var json = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK, json);
        var contracts = JsonDocument.Parse(json).RootElement.GetProperty("contracts");
        contracts.EnumerateArray().Select(c => c.GetProperty("contract").GetString()).ToArray().ShouldBe(new[] { "1000****0005", "1000****0006" });
        contracts[0].GetProperty("accounts")[0].GetString().ShouldBe("1000****0005-1");
        contracts[0].EnumerateObject().Select(p => p.Name).ToArray().ShouldBe(new[] { "contract", "contract_ref", "accounts" });
        await ShouldRevealNothingAsync(json, Contract(5));
        await ShouldRevealNothingAsync(json, Contract(6));

        // Pay to the second one by its reference; the address alone is ambiguous.
        var reference = contracts[1].GetProperty("contract_ref").GetString()!;
        using var ambiguous = await api.PostAsJsonAsync("/api/v1/public/payments", new { city, street, house, flat = "15", amount = "100.00", receipt_contact = "payer@example.ru", consent = true });
        (await ambiguous.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Code().ShouldBe("publicpay.address_ambiguous");
        using var paid = await api.PostAsJsonAsync("/api/v1/public/payments", new { contract_ref = reference, amount = "100.00", receipt_contact = "payer@example.ru", consent = true });
        paid.StatusCode.ShouldBe(HttpStatusCode.Created, await paid.Content.ReadAsStringAsync());
        var created = await paid.Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetString()!;
        (await AccountOfAsync(id)).ShouldBe((await factory.AccountsOfAsync(Contract(6)))[0].Id);
        var hostedPage = new Uri(created.GetProperty("confirmation_url").GetString()!);
        using var payer = PaymentFlow.RealBrowser(hostedPage);
        var hosted = await payer.PageAsync(hostedPage.PathAndQuery);
        hosted.ShouldContain("Пополнение лицевого счёта 1000****0006-1");
        hosted.ShouldNotContain(Contract(6)); // Alone or as the start of the account number.
    }

    [Fact]
    public async Task The_page_finds_by_address_lets_the_payer_pick_a_masked_contract_and_shows_no_qr_with_its_number()
    {
        var (city, street, house) = await SharedAddressAsync("Бердск", "улица Проверочная", "3", "8", 8, 9);
        using var browser = PaymentFlow.RealBrowser(factory.ClientOptions.BaseAddress);
        var form = await browser.PageAsync(Page);

        using var listed = await browser.PostFormAsync(
            Page + "?handler=Address", Cabinet.TokenIn(form), ("city", city.ToUpperInvariant()), ("street", "Проверочная ул."), ("house", "д. " + house), ("flat", "8"));
        var list = await listed.ReadHtmlAsync();
        listed.StatusCode.ShouldBe(HttpStatusCode.OK, list);
        MaskedIn(list).ToArray().ShouldBe(new[] { "1000****0008", "1000****0009" });
        await ShouldRevealNothingAsync(list, Contract(8));
        await ShouldRevealNothingAsync(list, Contract(9));

        var second = ReferencesIn(list)[1];
        using var chosen = await browser.PostFormAsync(Page + "?handler=Choose", Cabinet.TokenIn(list), ("reference", second));
        var html = await chosen.ReadHtmlAsync();
        html.ShouldContain("1000****0009");
        html.ShouldContain("data-testid=\"qr-typed-only\"");
        html.ShouldNotContain("data-testid=\"payment-qr\"");
        await ShouldRevealNothingAsync(html, Contract(9));

        using var pay = await browser.PostFormAsync(
            Page + "?handler=Pay", Cabinet.TokenIn(html), ("reference", ReferenceIn(html)), ("amount", "120.00"), ("contact", "payer@example.ru"), ("consent", "true"),
            ("language", "en"));
        pay.StatusCode.ShouldBe(HttpStatusCode.Redirect, await pay.Content.ReadAsStringAsync());
        // The consent is kept as the form showed it, in the language it was shown in.
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        (await connection.ExecuteScalarAsync<string>(
            "SELECT p.consent_text FROM payments p JOIN accounts a ON a.id = p.account_id JOIN contracts c ON c.id = a.contract_id WHERE c.number = @number ORDER BY p.id DESC LIMIT 1",
            new { number = Contract(9) })).ShouldBe("I accept the terms of the public offer (/offer)");

        // The acquirer's hosted page shows the payment's description: with the masked number only.
        var hostedPage = pay.Headers.Location!;
        hostedPage.AbsolutePath.ShouldStartWith("/sandbox-acquirer/pay/");
        using var payer = PaymentFlow.RealBrowser(hostedPage);
        var hosted = await payer.PageAsync(hostedPage.PathAndQuery);
        hosted.ShouldContain("Пополнение лицевого счёта 1000****0009-1");
        hosted.ShouldNotContain(Contract(9)); // Alone or as the start of the account number.
    }

    [Theory]
    [InlineData("""{"contract": "999999999999", "amount": "100.00", "receipt_contact": "payer@example.ru", "consent": true}""", "publicpay.contract_not_found", "contract")]
    [InlineData("""{"contract": "12345", "amount": "100.00", "receipt_contact": "payer@example.ru", "consent": true}""", "publicpay.contract_format", "contract")]
    [InlineData("""{"amount": "100.00", "receipt_contact": "payer@example.ru", "consent": true}""", "publicpay.contract_missing", "contract")]
    [InlineData("""{"contract_ref": "forged", "amount": "100.00", "receipt_contact": "payer@example.ru", "consent": true}""", "publicpay.choice_expired", "contract_ref")]
    [InlineData("""{"contract": "100000000003", "account": "1000****0003-9", "amount": "100.00", "receipt_contact": "payer@example.ru", "consent": true}""", "publicpay.account_not_found", "account")]
    [InlineData("""{"contract": "100000000003", "amount": "0.00", "receipt_contact": "payer@example.ru", "consent": true}""", "payment.amount_invalid", "amount")]
    [InlineData("""{"contract": "100000000003", "amount": "10.005", "receipt_contact": "payer@example.ru", "consent": true}""", "payment.amount_invalid", "amount")]
    [InlineData("""{"contract": "100000000003", "amount": "abc", "receipt_contact": "payer@example.ru", "consent": true}""", "payment.amount_invalid", "amount")]
    [InlineData("""{"contract": "100000000003", "amount": "15000.01", "receipt_contact": "payer@example.ru", "consent": true}""", "payment.amount_out_of_range", "amount")]
    [InlineData("""{"contract": "100000000003", "amount": "100.00", "receipt_contact": "payer@example.ru"}""", "payment.consent_required", "consent")]
    [InlineData("""{"contract": "100000000003", "amount": "100.00", "receipt_contact": "not a contact", "consent": true}""", "payment.contact_invalid", "receipt_contact")]
    [InlineData("""{"contract": "100000000003", "amount": "100.00", "consent": true}""", "payment.contact_invalid", "receipt_contact")]
    [InlineData("""{"contract": "100000000003", "amount": "100.00", "receipt_contact": "payer@example.ru", "consent": true, "method": "cash"}""", "payment.method_invalid", "method")]
    [InlineData("""{"city": "Новосибирск", "street": "улица Ленина", "amount": "100.00", "receipt_contact": "payer@example.ru", "consent": true}""", "publicpay.house_required", "house")]
    public async Task Bad_input_is_refused_with_the_field_named_and_nothing_is_created(string json, string code, string field)
    {
        using var api = factory.CreateClient();
        var count = await PaymentCountAsync();

        using var response = await api.PostAsync("/api/v1/public/payments", new StringContent(json, Encoding.UTF8, "application/json"));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.Code().ShouldBe(code);
        problem.GetProperty("errors").GetProperty(field).GetArrayLength().ShouldBe(1);
        (await PaymentCountAsync()).ShouldBe(count);
    }

    [Fact]
    public async Task A_closed_contract_reads_exactly_like_one_that_does_not_exist()
    {
        using (var database = factory.OpenDatabase())
        {
            await using var connection = await database.OpenAsync();
            await connection.ExecuteAsync(
                "UPDATE accounts SET status = 4 WHERE contract_id = (SELECT id FROM contracts WHERE number = @number)", new { number = Contract(7) });
        }

        using var api = factory.CreateClient();
        var count = await PaymentCountAsync();
        var body = new { amount = "100.00", receipt_contact = "payer@example.ru", consent = true };

        using var closed = await api.PostAsJsonAsync("/api/v1/public/payments", new { contract = Contract(7), body.amount, body.receipt_contact, body.consent });
        using var unknown = await api.PostAsJsonAsync("/api/v1/public/payments", new { contract = "999999999998", body.amount, body.receipt_contact, body.consent });

        var closedProblem = await closed.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var unknownProblem = await unknown.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        closedProblem.Code().ShouldBe("publicpay.contract_not_found");
        closedProblem.Detail().ShouldBe(unknownProblem.Detail());
        (await PaymentCountAsync()).ShouldBe(count);

        // The page says the same, next to the field.
        using var browser = PaymentFlow.RealBrowser(factory.ClientOptions.BaseAddress);
        var form = await browser.PageAsync(Page);
        using var refused = await browser.PostFormAsync(Page + "?handler=Contract", Cabinet.TokenIn(form), ("contract", Contract(7)));
        var html = await refused.ReadHtmlAsync();
        html.ShouldContain("id=\"contract-error\"");
        html.ShouldContain(unknownProblem.Detail());
        html.ShouldContain("aria-invalid=\"true\"");
    }

    [Fact]
    public async Task Bad_input_on_the_page_is_marked_next_to_the_field_and_creates_nothing()
    {
        using var browser = PaymentFlow.RealBrowser(factory.ClientOptions.BaseAddress);
        var form = await browser.PageAsync(Page);
        using var found = await browser.PostFormAsync(Page + "?handler=Contract", Cabinet.TokenIn(form), ("contract", Contract(3)));
        var html = await found.ReadHtmlAsync();
        var count = await PaymentCountAsync();

        using var badAmount = await browser.PostFormAsync(
            Page + "?handler=Pay", Cabinet.TokenIn(html), ("reference", ReferenceIn(html)), ("amount", "12,345"), ("contact", "payer@example.ru"), ("consent", "true"));
        var amountPage = await badAmount.ReadHtmlAsync();
        badAmount.StatusCode.ShouldBe(HttpStatusCode.OK);
        amountPage.ShouldContain("id=\"amount-error\"");
        amountPage.ShouldContain("Введите сумму в рублях");

        using var noConsent = await browser.PostFormAsync(
            Page + "?handler=Pay", Cabinet.TokenIn(html), ("reference", ReferenceIn(html)), ("amount", "100.00"), ("contact", "payer@example.ru"));
        (await noConsent.ReadHtmlAsync()).ShouldContain("id=\"consent-error\"");

        using var badContact = await browser.PostFormAsync(
            Page + "?handler=Pay", Cabinet.TokenIn(html), ("reference", ReferenceIn(html)), ("amount", "100.00"), ("contact", "12345"), ("consent", "true"));
        (await badContact.ReadHtmlAsync()).ShouldContain("id=\"contact-error\"");

        using var forged = await browser.PostFormAsync(
            Page + "?handler=Pay", Cabinet.TokenIn(html), ("reference", "forged"), ("amount", "100.00"), ("contact", "payer@example.ru"), ("consent", "true"));
        (await forged.ReadHtmlAsync()).ShouldContain("Выбор договора устарел");

        using var noAddress = await browser.PostFormAsync(Page + "?handler=Address", Cabinet.TokenIn(html), ("city", "Новосибирск"));
        var addressPage = await noAddress.ReadHtmlAsync();
        addressPage.ShouldContain("id=\"street-error\"");

        (await PaymentCountAsync()).ShouldBe(count);
    }

    [Fact]
    public async Task An_unknown_address_is_not_found_with_the_same_words()
    {
        using var api = factory.CreateClient();

        using var response = await api.GetAsync($"/api/v1/public/contracts?city={Uri.EscapeDataString("Новосибирск")}&street={Uri.EscapeDataString("улица Несуществующая")}&house=1&flat=1");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        problem.Code().ShouldBe("publicpay.contract_not_found");
        problem.GetProperty("errors").GetProperty("address").GetArrayLength().ShouldBe(1);
    }

    private static string Contract(int n) => (100_000_000_000 + n).ToString(CultureInfo.InvariantCulture);

    /// <summary>Neither the holder's name, nor an account title, nor a balance, nor the full contract number.</summary>
    private async Task ShouldRevealNothingAsync(string text, string contract)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        var holder = await connection.ExecuteScalarAsync<string>(
            "SELECT s.full_name FROM contracts c JOIN subscribers s ON s.id = c.subscriber_id WHERE c.number = @contract", new { contract });
        text.ShouldNotContain(holder!);
        var accounts = await connection.QueryAsync<(string Title, long Balance)>(
            """
            SELECT a.title, la.balance FROM accounts a JOIN contracts c ON c.id = a.contract_id
            JOIN ledger_accounts la ON la.id = a.ledger_account_id WHERE c.number = @contract
            """,
            new { contract });
        foreach (var (title, balance) in accounts)
        {
            text.ShouldNotContain(title);
            if (balance != 0)
            {
                text.ShouldNotContain(MoneyFormat.Display(new Money(balance), CultureInfo.GetCultureInfo("ru-RU")));
                text.ShouldNotContain(new Money(balance).ToString());
            }
        }

        text.ShouldNotContain("balance", Case.Insensitive);
        if (!text.Contains("Оплата услуг связи по договору " + contract, StringComparison.Ordinal))
        {
            text.ShouldNotContain(contract);
        }
    }

    /// <summary>Puts the given demo contracts at one new address; returns the city, street and house as stored.</summary>
    private async Task<(string City, string Street, string House)> SharedAddressAsync(string city, string street, string house, string flat, params int[] contracts)
    {
        _ = factory.Services;
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        var building = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO buildings (city, street, house) VALUES (@city, @street, @house) RETURNING id", new { city, street, house });
        foreach (var n in contracts)
        {
            await connection.ExecuteAsync("UPDATE contracts SET building_id = @building, flat = @flat WHERE number = @number", new { building, flat, number = Contract(n) });
        }

        return (city, street, house);
    }

    private async Task<long> PaymentCountAsync()
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM payments");
    }

    private async Task<long> AccountOfAsync(string publicId)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT account_id FROM payments WHERE public_id = @publicId", new { publicId });
    }

    private async Task<int> SourceOfAsync(string publicId)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<int>("SELECT source FROM payments WHERE public_id = @publicId", new { publicId });
    }

    private static string ReferenceIn(string html) => ReferenceInput().Match(html) is { Success: true } m ? m.Groups["value"].Value : throw new ShouldAssertException("no reference on the page");

    private static List<string> ReferencesIn(string html) => [.. ReferenceRadio().Matches(html).Select(m => m.Groups["value"].Value)];

    private static List<string> MaskedIn(string html) => [.. MaskedContract().Matches(html).Select(m => m.Groups["value"].Value)];

    [GeneratedRegex("<input type=\"hidden\" name=\"reference\" value=\"(?<value>[^\"]+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex ReferenceInput();

    [GeneratedRegex("<input type=\"radio\" name=\"reference\" value=\"(?<value>[^\"]+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex ReferenceRadio();

    [GeneratedRegex("data-testid=\"masked-contract\">(?<value>[^<]+)<", RegexOptions.CultureInvariant)]
    private static partial Regex MaskedContract();
}

public sealed class SqlitePublicPayTests(LiveSqlitePublicPay app) : PublicPayTests(app.Factory), IClassFixture<LiveSqlitePublicPay>;

[Collection("postgres")]
public sealed class PostgresPublicPayTests(LivePostgresPublicPay app) : PublicPayTests(app.Factory), IClassFixture<LivePostgresPublicPay>;

/// <summary>The per-IP throttle of the public page and API (SQLite: the limiter does not touch the database).</summary>
public sealed class PublicPayRateLimitTests(ThrottledPublicPay app) : IClassFixture<ThrottledPublicPay>
{
    [Fact]
    public async Task The_fourth_lookup_in_a_minute_from_one_address_is_refused_with_429_in_the_api_and_on_the_page()
    {
        using var browser = app.Factory.Browser();
        var form = await browser.PageAsync("/pay-without-login");
        await browser.PageAsync("/pay-without-login");
        var query = $"/api/v1/public/contracts?city={Uri.EscapeDataString("Новосибирск")}&street={Uri.EscapeDataString("улица Ленина")}&house=1&flat=1";

        for (var i = 0; i < 3; i++)
        {
            using var allowed = await browser.GetAsync(query);
            allowed.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }

        using var refused = await browser.PostAsJsonAsync("/api/v1/public/payments", new { contract = "100000000001", amount = "100.00", receipt_contact = "payer@example.ru", consent = true });
        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        problem.Code().ShouldBe("publicpay.too_many_requests");
        refused.Headers.RetryAfter.ShouldNotBeNull();

        using var page = await browser.PostFormAsync("/pay-without-login?handler=Contract", Cabinet.TokenIn(form), ("contract", "100000000001"));
        var html = await page.ReadHtmlAsync();
        page.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        page.Content.Headers.ContentType?.MediaType.ShouldBe("text/html");
        html.ShouldContain("Слишком много запросов");
        html.ShouldNotContain("1000****0001");

        using var database = app.Factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM payments")).ShouldBe(0);
    }
}
