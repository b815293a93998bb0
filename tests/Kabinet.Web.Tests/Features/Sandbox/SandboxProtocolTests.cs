using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kabinet.Domain.Money;
using Kabinet.Web.Integrations.Sandbox;
using Kabinet.Web.Integrations.YooKassa;
using Kabinet.Web.Tests.Features.Payments;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Tests.Features.Sandbox;

/// <summary>
/// Kabinet with its sandbox acquirer on a real port, the notifications going to a shop endpoint of
/// the test's own. The sandbox keeps its records in its own SQLite file whatever Kabinet's engine is,
/// so these protocol tests run once.
/// </summary>
public sealed class SandboxProtocolApp : IDisposable
{
    public SandboxProtocolApp()
    {
        Inbox = new NotificationInbox();
        Factory = KabinetFactory.Sqlite(new Dictionary<string, string?> { ["Kabinet:Sandbox:NotificationUrl"] = Inbox.Url });
        Factory.StartRealServer();
    }

    public KabinetFactory Factory { get; }

    public NotificationInbox Inbox { get; }

    public void Dispose()
    {
        Factory.Dispose();
        Inbox.Dispose();
    }
}

/// <summary>The sandbox acquirer speaks the YooKassa v3 protocol as the real service does, over real HTTP through Kabinet's own client.</summary>
public sealed class SandboxProtocolTests(SandboxProtocolApp app) : IClassFixture<SandboxProtocolApp>
{
    private const string ReturnUrl = "https://shop.example/return";
    private readonly KabinetFactory _factory = app.Factory;
    private readonly NotificationInbox _inbox = app.Inbox;

    private YooKassaClient Client => _factory.Services.GetRequiredService<YooKassaClient>();

    [Fact]
    public async Task A_two_stage_payment_waits_for_capture_and_the_client_captures_part_of_it_once()
    {
        var created = await Client.CreatePaymentAsync(Payment(500_00, capture: false), Key(), CancellationToken.None);
        created.Status.ShouldBe(YkPayment.Pending);

        await PaymentFlow.PayAsync(_factory, new Uri(created.Confirmation!.ConfirmationUrl!), "5555555555554477");

        var authorised = await Client.GetPaymentAsync(created.Id, CancellationToken.None);
        authorised.Status.ShouldBe(YkPayment.WaitingForCapture);
        authorised.Paid.ShouldBeTrue();
        await _inbox.WaitForAsync(created.Id, "payment.waiting_for_capture");

        // More than was authorised is refused and changes nothing.
        var tooMuch = await Should.ThrowAsync<GatewayException>(() => Client.CapturePaymentAsync(created.Id, new Money(500_01), Key(), CancellationToken.None));
        tooMuch.Status.ShouldBe(HttpStatusCode.BadRequest);
        tooMuch.Error!.Code.ShouldBe("invalid_request");
        tooMuch.Error.Parameter.ShouldBe("amount");
        (await Client.GetPaymentAsync(created.Id, CancellationToken.None)).Status.ShouldBe(YkPayment.WaitingForCapture);

        var key = Key();
        var captured = await Client.CapturePaymentAsync(created.Id, new Money(450_00), key, CancellationToken.None);
        var replayed = await Client.CapturePaymentAsync(created.Id, new Money(450_00), key, CancellationToken.None);

        captured.Status.ShouldBe(YkPayment.Succeeded);
        captured.Amount.Value.ShouldBe(new Money(450_00));
        replayed.Status.ShouldBe(YkPayment.Succeeded);
        replayed.Amount.Value.ShouldBe(new Money(450_00));
        (await _inbox.WaitForAsync(created.Id, "payment.succeeded")).Status.ShouldBe(YkPayment.Succeeded);
        // Captured already: another capture (a new key) is refused.
        (await Should.ThrowAsync<GatewayException>(() => Client.CapturePaymentAsync(created.Id, Key(), CancellationToken.None))).Status.ShouldBe(HttpStatusCode.BadRequest);
        await Task.Delay(300);
        _inbox.Of(created.Id).Count(n => n.Event == "payment.succeeded").ShouldBe(1);
    }

    [Fact]
    public async Task A_whole_capture_takes_the_authorised_amount()
    {
        var created = await Client.CreatePaymentAsync(Payment(120_00, capture: false), Key(), CancellationToken.None);
        await PaymentFlow.PayAsync(_factory, new Uri(created.Confirmation!.ConfirmationUrl!), "2200000000000004");

        var captured = await Client.CapturePaymentAsync(created.Id, Key(), CancellationToken.None);

        captured.Status.ShouldBe(YkPayment.Succeeded);
        captured.Amount.Value.ShouldBe(new Money(120_00));
    }

    [Fact]
    public async Task An_authorised_payment_can_be_canceled_and_then_not_captured()
    {
        var created = await Client.CreatePaymentAsync(Payment(300_00, capture: false), Key(), CancellationToken.None);
        await PaymentFlow.PayAsync(_factory, new Uri(created.Confirmation!.ConfirmationUrl!), "5555555555554477");

        var canceled = await Client.CancelPaymentAsync(created.Id, Key(), CancellationToken.None);

        canceled.Status.ShouldBe(YkPayment.Canceled);
        canceled.Paid.ShouldBeFalse();
        canceled.CancellationDetails!.Reason.ShouldBe("canceled_by_merchant");
        await _inbox.WaitForAsync(created.Id, "payment.canceled");
        (await Should.ThrowAsync<GatewayException>(() => Client.CapturePaymentAsync(created.Id, Key(), CancellationToken.None))).Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_one_stage_payment_captures_itself_and_cannot_be_captured_or_canceled_while_pending()
    {
        var created = await Client.CreatePaymentAsync(Payment(100_00, capture: true), Key(), CancellationToken.None);

        (await Should.ThrowAsync<GatewayException>(() => Client.CapturePaymentAsync(created.Id, Key(), CancellationToken.None))).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await Should.ThrowAsync<GatewayException>(() => Client.CancelPaymentAsync(created.Id, Key(), CancellationToken.None))).Status.ShouldBe(HttpStatusCode.BadRequest);
        await PaymentFlow.PayAsync(_factory, new Uri(created.Confirmation!.ConfirmationUrl!), "5555555555554477");

        (await Client.GetPaymentAsync(created.Id, CancellationToken.None)).Status.ShouldBe(YkPayment.Succeeded);
        await _inbox.WaitForAsync(created.Id, "payment.succeeded");
    }

    [Fact]
    public async Task The_three_d_secure_code_is_taken_only_after_a_three_d_secure_card_and_the_card_typed_is_the_one_kept()
    {
        var created = await Client.CreatePaymentAsync(Payment(200_00, capture: true, save: true), Key(), CancellationToken.None);
        var page = new Uri(created.Confirmation!.ConfirmationUrl!);
        using var browser = PaymentFlow.RealBrowser(page);
        var form = await browser.PageAsync(page.PathAndQuery);

        // Straight to the code step, no card typed: refused, still pending; its page shows the card form.
        using (var skipped = await browser.PostFormAsync(page.PathAndQuery + "/3ds", Cabinet.TokenIn(form), ("step", "3ds"), ("code", "123456")))
        {
            skipped.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await skipped.ReadHtmlAsync()).ShouldContain("не ждёт кода 3-D Secure");
        }

        (await Client.GetPaymentAsync(created.Id, CancellationToken.None)).Status.ShouldBe(YkPayment.Pending);
        (await browser.PageAsync(page.PathAndQuery + "/3ds")).ShouldContain("name=\"card\"");

        await PaymentFlow.PayAsync(_factory, page, "4000 0000 0000 3220", "123456");

        var paid = await Client.GetPaymentAsync(created.Id, CancellationToken.None);
        paid.Status.ShouldBe(YkPayment.Succeeded);
        paid.PaymentMethod!.Saved.ShouldBeTrue();
        paid.PaymentMethod.Card!.Last4.ShouldBe("3220");
    }

    [Fact]
    public async Task A_card_saved_from_a_later_declined_test_number_has_its_recurring_charges_declined_for_that_reason()
    {
        var (method, last4) = await SaveCardAsync(SandboxCards.SavedThenInsufficientFunds);
        last4.ShouldBe("0341");
        var (good, _) = await SaveCardAsync("5555555555554477");

        var declined = await Client.CreatePaymentAsync(Recurring(300_00, method), Key(), CancellationToken.None);
        var charged = await Client.CreatePaymentAsync(Recurring(300_00, good), Key(), CancellationToken.None);
        var unknown = await Client.CreatePaymentAsync(Recurring(300_00, "pm_unknown"), Key(), CancellationToken.None);

        declined.Status.ShouldBe(YkPayment.Canceled);
        declined.Paid.ShouldBeFalse();
        declined.CancellationDetails!.Reason.ShouldBe("insufficient_funds");
        await _inbox.WaitForAsync(declined.Id, "payment.canceled");
        charged.Status.ShouldBe(YkPayment.Succeeded);
        unknown.CancellationDetails!.Reason.ShouldBe("permission_revoked");
        var (expiring, _) = await SaveCardAsync(SandboxCards.SavedThenExpired);
        (await Client.CreatePaymentAsync(Recurring(100_00, expiring), Key(), CancellationToken.None)).CancellationDetails!.Reason.ShouldBe("card_expired");
    }

    [Fact]
    public async Task A_create_replayed_with_its_idempotence_key_returns_the_same_payment()
    {
        var key = Key();

        var first = await Client.CreatePaymentAsync(Payment(150_00, capture: true), key, CancellationToken.None);
        var again = await Client.CreatePaymentAsync(Payment(150_00, capture: true), key, CancellationToken.None);

        again.Id.ShouldBe(first.Id);
        again.Status.ShouldBe(first.Status);
        again.Confirmation!.ConfirmationUrl.ShouldBe(first.Confirmation!.ConfirmationUrl);
    }

    [Fact]
    public async Task A_create_without_a_receipt_is_refused_in_the_protocols_error_shape_and_creates_nothing()
    {
        using var http = Raw();
        var key = Key();
        using var refused = await SendAsync(http, "payments", Payment(150_00, capture: true) with { Receipt = null }, key);

        await ShouldBeErrorAsync(refused, HttpStatusCode.BadRequest, "invalid_request", "receipt");
        // Nothing was kept under that key: the corrected request creates a payment.
        (await Client.CreatePaymentAsync(Payment(150_00, capture: true), key, CancellationToken.None)).Status.ShouldBe(YkPayment.Pending);
    }

    [Fact]
    public async Task A_create_or_a_capture_without_an_idempotence_key_is_refused()
    {
        using var http = Raw();

        using var create = await SendAsync(http, "payments", Payment(150_00, capture: true), null);
        await ShouldBeErrorAsync(create, HttpStatusCode.BadRequest, "invalid_request", "Idempotence-Key");
        var created = await Client.CreatePaymentAsync(Payment(150_00, capture: false), Key(), CancellationToken.None);
        await PaymentFlow.PayAsync(_factory, new Uri(created.Confirmation!.ConfirmationUrl!), "5555555555554477");
        using var capture = await SendAsync(http, $"payments/{created.Id}/capture", new { }, null);
        await ShouldBeErrorAsync(capture, HttpStatusCode.BadRequest, "invalid_request", "Idempotence-Key");
        (await Client.GetPaymentAsync(created.Id, CancellationToken.None)).Status.ShouldBe(YkPayment.WaitingForCapture);
    }

    [Theory]
    [InlineData("100500:wrong-secret")]
    [InlineData("999:test_sandbox_secret")]
    [InlineData(null)]
    public async Task Wrong_credentials_are_refused_with_401_invalid_credentials(string? credentials)
    {
        using var http = Raw(credentials);

        using var create = await SendAsync(http, "payments", Payment(150_00, capture: true), Key());
        using var read = await http.GetAsync("payments/sbx_anything");

        await ShouldBeErrorAsync(create, HttpStatusCode.Unauthorized, "invalid_credentials", null);
        await ShouldBeErrorAsync(read, HttpStatusCode.Unauthorized, "invalid_credentials", null);
    }

    private async Task<(string Method, string Last4)> SaveCardAsync(string card)
    {
        var created = await Client.CreatePaymentAsync(Payment(50_00, capture: true, save: true), Key(), CancellationToken.None);
        await PaymentFlow.PayAsync(_factory, new Uri(created.Confirmation!.ConfirmationUrl!), card);
        var paid = await Client.GetPaymentAsync(created.Id, CancellationToken.None);
        paid.Status.ShouldBe(YkPayment.Succeeded);
        paid.PaymentMethod!.Saved.ShouldBeTrue();
        return (paid.PaymentMethod.Id, paid.PaymentMethod.Card!.Last4!);
    }

    private static YkCreatePayment Payment(long kopecks, bool capture, bool save = false) => new(
        new YkAmount(new Money(kopecks)), capture, "Sandbox protocol test", new Dictionary<string, string>(),
        new YkConfirmation("redirect", ReturnUrl), new YkPaymentMethodData("bank_card"), SavePaymentMethod: save, Receipt: Receipt(kopecks));

    private static YkCreatePayment Recurring(long kopecks, string methodId) => new(
        new YkAmount(new Money(kopecks)), true, "Autopay", new Dictionary<string, string>(), PaymentMethodId: methodId, Receipt: Receipt(kopecks));

    private static YkReceipt Receipt(long kopecks) =>
        new(new YkCustomer(Email: "payer@example.ru"), [new YkReceiptItem("Услуги связи", "1.00", new YkAmount(new Money(kopecks)), 1)]);

    private static string Key() => Guid.NewGuid().ToString("N");

    /// <summary>A plain HTTP client at the sandbox API, with the shop's credentials unless others are given.</summary>
    private HttpClient Raw(string? credentials = "")
    {
        var gateway = _factory.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var http = new HttpClient { BaseAddress = new Uri(new Uri(_factory.ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority)), SandboxAcquirerEndpoints.ApiRoot) };
        var pair = credentials == "" ? gateway.ShopId + ":" + gateway.SecretKey : credentials;
        if (pair is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        }

        return http;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string path, object body, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, body.GetType(), options: YooKassaClient.Json) };
        if (key is not null)
        {
            request.Headers.Add("Idempotence-Key", key);
        }

        return await http.SendAsync(request);
    }

    /// <summary>The protocol's error body: {"type": "error", "id", "code", "description", "parameter"}.</summary>
    private static async Task ShouldBeErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code, string? parameter)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        root.GetProperty("type").GetString().ShouldBe("error");
        root.GetProperty("id").GetString().ShouldNotBeNullOrEmpty();
        root.GetProperty("code").GetString().ShouldBe(code);
        root.GetProperty("description").GetString().ShouldNotBeNullOrEmpty();
        (root.TryGetProperty("parameter", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null).ShouldBe(parameter);
    }
}
