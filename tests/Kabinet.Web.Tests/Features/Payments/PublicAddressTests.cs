using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Kabinet.Web.Tests.Infrastructure;

namespace Kabinet.Web.Tests.Features.Payments;

/// <summary>
/// The payer's way back from the bank is built from Kabinet:PublicUrl (in demo mode the listening
/// address), never from the request's Host header, which any client writes as it likes.
/// </summary>
public abstract class PublicAddressTests(KabinetFactory factory)
{
    private const string Password = "public-url-test-1";
    private const string Forged = "evil.example";
    private const string Configured = "https://lk.example.test/cabinet/";

    private string Listening => factory.ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority) + "/";

    [Fact]
    public async Task A_public_payment_sent_with_a_forged_Host_returns_the_payer_to_the_listening_address_in_demo_mode()
    {
        using var api = factory.CreateClient();

        var (id, page) = await StartPublicAsync(api, Contract(3));

        (await ReturnUrlAsync(factory, id)).ShouldBe($"{Listening}pay/result/{id}");
        var back = await PaymentFlow.PayAsync(factory, page, "5555555555554477");
        back!.ToString().ShouldBe($"{Listening}pay/result/{id}");
    }

    [Fact]
    public async Task A_top_up_on_the_cabinet_page_sent_with_a_forged_Host_returns_the_payer_to_the_listening_address()
    {
        await factory.SetPasswordAsync(Contract(4), Password);
        var account = (await factory.AccountsOfAsync(Contract(4)))[0].Id;
        using var browser = PaymentFlow.RealBrowser(factory.ClientOptions.BaseAddress);
        (await browser.LogInAsync(Contract(4), Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var token = Cabinet.TokenIn(await browser.PageAsync($"/pay?account={account}"));
        browser.DefaultRequestHeaders.Host = Forged;

        using var response = await browser.PostFormAsync(
            "/pay", token, ("account", account.ToString(CultureInfo.InvariantCulture)), ("amount", "200.00"), ("method", "bank_card"),
            ("contact", "payer@example.ru"), ("consent", "true"));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        var id = await LastPaymentOfAsync(factory, account);
        (await ReturnUrlAsync(factory, id)).ShouldBe($"{Listening}pay/result/{id}");
    }

    [Fact]
    public async Task With_a_public_address_configured_every_payment_returns_there_whatever_the_Host()
    {
        using var app = Live(new() { ["Kabinet:PublicUrl"] = Configured });
        using var anonymous = app.CreateClient();
        var (publicId, _) = await StartPublicAsync(anonymous, Contract(5));
        await app.SetPasswordAsync(Contract(6), Password);
        var account = (await app.AccountsOfAsync(Contract(6)))[0].Id;
        using var api = await app.ApiClientAsync(Contract(6), Password);
        api.DefaultRequestHeaders.Host = Forged;

        using var response = await api.PostAsJsonAsync($"/api/v1/accounts/{account}/payments", new { amount = "150.00", consent = true });

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        (await ReturnUrlAsync(app, id)).ShouldBe($"{Configured}pay/result/{id}");
        (await ReturnUrlAsync(app, publicId)).ShouldBe($"{Configured}pay/result/{publicId}");
    }

    [Fact]
    public async Task An_api_return_url_outside_the_public_address_is_refused_and_creates_nothing()
    {
        using var app = Live(new() { ["Kabinet:PublicUrl"] = Configured });
        await app.SetPasswordAsync(Contract(7), Password);
        var account = (await app.AccountsOfAsync(Contract(7)))[0].Id;
        using var api = await app.ApiClientAsync(Contract(7), Password);
        var before = await PaymentCountAsync(app);
        string[] outside =
        [
            "https://evil.example/pay/result/{id}", "http://lk.example.test/cabinet/done", "https://lk.example.test:8443/cabinet/done",
            "https://lk.example.test.evil.example/cabinet/done", "https://user@lk.example.test/cabinet/done", "https://lk.example.test/other/done",
            "https://lk.example.test/cabinet/../other", "/cabinet/done", "javascript:alert(1)",
        ];

        foreach (var returnUrl in outside)
        {
            using var response = await api.PostAsJsonAsync($"/api/v1/accounts/{account}/payments", new { amount = "150.00", consent = true, return_url = returnUrl });

            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            problem.Code().ShouldBe("payment.return_url_invalid", returnUrl);
            problem.GetProperty("errors").GetProperty("return_url").GetArrayLength().ShouldBe(1);
            problem.Detail().ShouldContain(Configured);
        }

        (await PaymentCountAsync(app)).ShouldBe(before);
    }

    [Fact]
    public async Task An_api_return_url_within_the_public_address_is_where_the_bank_sends_the_payer()
    {
        using var app = Live(new() { ["Kabinet:PublicUrl"] = Configured });
        await app.SetPasswordAsync(Contract(8), Password);
        var account = (await app.AccountsOfAsync(Contract(8)))[0].Id;
        using var api = await app.ApiClientAsync(Contract(8), Password);

        using var response = await api.PostAsJsonAsync(
            $"/api/v1/accounts/{account}/payments", new { amount = "150.00", consent = true, return_url = "https://LK.example.test/cabinet/app/paid?payment={id}" });

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        (await ReturnUrlAsync(app, id)).ShouldBe($"https://LK.example.test/cabinet/app/paid?payment={id}");
    }

    [Fact]
    public async Task Without_a_public_address_outside_demo_mode_a_payment_is_refused_and_nothing_is_created()
    {
        using var app = Live(new() { ["Kabinet:Demo"] = "false" });
        using var anonymous = app.CreateClient();
        var before = await PaymentCountAsync(app);

        using var response = await anonymous.PostAsJsonAsync(
            "/api/v1/public/payments", new { contract = Contract(9), amount = "100.00", receipt_contact = "payer@example.ru", consent = true });

        (await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable)).Code().ShouldBe("payment.gateway_not_configured");
        (await PaymentCountAsync(app)).ShouldBe(before);
    }

    [Fact]
    public void A_malformed_public_address_stops_the_start_with_a_message_naming_the_key()
    {
        using var app = factory.Restarted(new Dictionary<string, string?>(StringComparer.Ordinal) { ["Kabinet:PublicUrl"] = "ftp://lk.example.test/" });

        Should.Throw<Exception>(() => app.Services).ToString().ShouldContain("Kabinet:PublicUrl must be an absolute http or https address");
    }

    [Theory]
    [InlineData("lk.example.test")]
    [InlineData("https://lk.example.test/?a=1")]
    [InlineData("https://lk.example.test/#top")]
    [InlineData("https://admin:secret@lk.example.test/")]
    public void Other_malformed_public_addresses_are_refused_too(string url) =>
        Should.Throw<InvalidOperationException>(() => new Kabinet.Web.Hosting.KabinetOptions { PublicUrl = url }.PublicBase).Message.ShouldContain("Kabinet:PublicUrl");

    private KabinetFactory Live(Dictionary<string, string?> settings)
    {
        var app = factory.Restarted(settings);
        app.StartRealServer();
        app.Clock.Set(factory.Clock.GetUtcNow());
        return app;
    }

    private static async Task<(string Id, Uri Page)> StartPublicAsync(HttpClient api, string contract)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/public/payments")
        {
            Content = JsonContent.Create(new { contract, amount = "100.00", receipt_contact = "payer@example.ru", consent = true }),
        };
        request.Headers.Host = Forged;
        using var response = await api.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetString()!, new Uri(body.GetProperty("confirmation_url").GetString()!));
    }

    // What Kabinet told the bank: the sandbox acquirer keeps the return address it was given.
    private static async Task<string?> ReturnUrlAsync(KabinetFactory app, string publicId)
    {
        var gatewayId = await PaymentFlow.GatewayIdAsync(app, publicId);
        using var sandbox = app.OpenSandboxDatabase();
        await using var connection = await sandbox.OpenAsync();
        return await connection.ExecuteScalarAsync<string?>("SELECT return_url FROM sandbox_payments WHERE id = @gatewayId", new { gatewayId });
    }

    private static async Task<string> LastPaymentOfAsync(KabinetFactory app, long account)
    {
        using var database = app.OpenDatabase();
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT public_id FROM payments WHERE account_id = @account ORDER BY id DESC LIMIT 1", new { account }) ?? "";
    }

    private static async Task<long> PaymentCountAsync(KabinetFactory app)
    {
        using var database = app.OpenDatabase();
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM payments");
    }

    private static string Contract(int n) => (100_000_000_000 + n).ToString(CultureInfo.InvariantCulture);
}

public sealed class SqlitePublicAddressTests(LiveSqlitePayments app) : PublicAddressTests(app.Factory), IClassFixture<LiveSqlitePayments>;

[Collection("postgres")]
public sealed class PostgresPublicAddressTests(LivePostgresPayments app) : PublicAddressTests(app.Factory), IClassFixture<LivePostgresPayments>;
