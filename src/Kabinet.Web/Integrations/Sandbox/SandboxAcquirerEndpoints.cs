using System.Text;
using System.Text.Json;
using Kabinet.Domain.Money;
using Kabinet.Web.Integrations.YooKassa;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Integrations.Sandbox;

/// <summary>
/// The sandbox acquirer's API: the YooKassa v3 protocol (payments, capture, cancel, refunds) over
/// real HTTP at /sandbox-acquirer/v3/, with the same authentication, idempotence and errors.
/// </summary>
public static class SandboxAcquirerEndpoints
{
    /// <summary>The path the sandbox API lives under.</summary>
    public const string ApiRoot = "/sandbox-acquirer/v3/";

    /// <summary>Maps the sandbox API.</summary>
    public static void MapSandboxAcquirer(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/sandbox-acquirer/v3").DisableAntiforgery().AllowAnonymous().ExcludeFromDescription();
        api.MapPost("/payments", CreateAsync);
        api.MapGet("/payments/{id}", GetAsync);
        api.MapPost("/payments/{id}/capture", CaptureAsync);
        api.MapPost("/payments/{id}/cancel", CancelAsync);
        api.MapPost("/refunds", RefundAsync);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, SandboxStore store, SandboxNotifier notifier, SelfAddress self, TimeProvider time, IOptions<GatewayOptions> gateway)
    {
        if (Authenticate(http, gateway.Value) is { } denied)
        {
            return denied;
        }

        if (IdempotenceKey(http) is not { } key)
        {
            return MissingKey();
        }

        var request = await ReadAsync<YkCreatePayment>(http);
        if (request is null)
        {
            return Error(400, "invalid_request", "The body is not a payment request", null);
        }

        if (Validate(request, gateway.Value) is { } invalid)
        {
            return invalid;
        }

        var now = time.GetUtcNow();
        SandboxPayment payment;
        if (request.PaymentMethodId is { } methodId)
        {
            // A recurring charge of a saved card: no payer, so it is decided at once — declined as the
            // test number the card was saved from says, or authorised only when the shop captures later.
            var saved = await store.FindSavedMethodAsync(gateway.Value.ShopId, methodId);
            var declined = saved is null ? "permission_revoked" : saved.RecurringDecline;
            var status = declined is not null ? YkPayment.Canceled : request.Capture ? YkPayment.Succeeded : YkPayment.WaitingForCapture;
            payment = await store.CreateAsync(gateway.Value.ShopId, key, request, methodId, saved?.CardLast4, status, declined, now);
            notifier.Notify(payment.ToProtocol(""));
        }
        else
        {
            payment = await store.CreateAsync(gateway.Value.ShopId, key, request, null, null, YkPayment.Pending, null, now);
        }

        return Results.Json(payment.ToProtocol(HostedPage(self, payment.Id)), YooKassaClient.Json);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, SandboxStore store, SelfAddress self, IOptions<GatewayOptions> gateway)
    {
        if (Authenticate(http, gateway.Value) is { } denied)
        {
            return denied;
        }

        var payment = await store.FindAsync(id);
        return payment is null || payment.ShopId != gateway.Value.ShopId
            ? Error(404, "not_found", "Payment not found", null)
            : Results.Json(payment.ToProtocol(HostedPage(self, id)), YooKassaClient.Json);
    }

    /// <summary>
    /// Captures a payment waiting for capture (all of it, or a smaller amount in the body) and sends
    /// payment.succeeded; the same Idempotence-Key again gets the same answer and sends nothing.
    /// </summary>
    private static async Task<IResult> CaptureAsync(string id, HttpContext http, SandboxStore store, SandboxNotifier notifier, SelfAddress self, IOptions<GatewayOptions> gateway)
    {
        if (Authenticate(http, gateway.Value) is { } denied)
        {
            return denied;
        }

        if (IdempotenceKey(http) is not { } key)
        {
            return MissingKey();
        }

        YkCapture? request = null;
        if (http.Request.ContentLength is not 0)
        {
            request = await ReadAsync<YkCapture>(http);
            if (request is null)
            {
                return Error(400, "invalid_request", "The body is not a capture request", null);
            }

            if (request.Amount is { } asked && (!asked.Value.IsPositive || asked.Currency != "RUB"))
            {
                return Error(400, "invalid_request", "The amount must be positive, in RUB", "amount");
            }
        }

        var payment = await store.FindAsync(id);
        if (payment is null || payment.ShopId != gateway.Value.ShopId)
        {
            return Error(404, "not_found", "Payment not found", null);
        }

        if (await store.CaptureAsync(id, key, request?.Amount?.Value.Kopecks) is { } captured)
        {
            notifier.Notify(captured.ToProtocol(""));
            return Results.Json(captured.ToProtocol(HostedPage(self, id)), YooKassaClient.Json);
        }

        payment = await store.FindAsync(id);
        return payment!.Status switch
        {
            YkPayment.Succeeded when payment.CaptureKey == key => Results.Json(payment.ToProtocol(HostedPage(self, id)), YooKassaClient.Json),
            YkPayment.WaitingForCapture => Error(400, "invalid_request", "The amount is more than the authorised amount", "amount"),
            _ => Error(400, "invalid_request", $"A payment in status {payment.Status} cannot be captured", null),
        };
    }

    /// <summary>Cancels a payment waiting for capture (the hold is released) and sends payment.canceled; a repeat gets the same answer.</summary>
    private static async Task<IResult> CancelAsync(string id, HttpContext http, SandboxStore store, SandboxNotifier notifier, SelfAddress self, IOptions<GatewayOptions> gateway)
    {
        if (Authenticate(http, gateway.Value) is { } denied)
        {
            return denied;
        }

        if (IdempotenceKey(http) is null)
        {
            return MissingKey();
        }

        var payment = await store.FindAsync(id);
        if (payment is null || payment.ShopId != gateway.Value.ShopId)
        {
            return Error(404, "not_found", "Payment not found", null);
        }

        if (await store.CancelAsync(id) is { } canceled)
        {
            notifier.Notify(canceled.ToProtocol(""));
            return Results.Json(canceled.ToProtocol(""), YooKassaClient.Json);
        }

        payment = await store.FindAsync(id);
        return payment!.Status == YkPayment.Canceled && payment.CancelReason == "canceled_by_merchant"
            ? Results.Json(payment.ToProtocol(""), YooKassaClient.Json)
            : Error(400, "invalid_request", $"A payment in status {payment.Status} cannot be canceled", null);
    }

    private static async Task<IResult> RefundAsync(HttpContext http, SandboxStore store, TimeProvider time, IOptions<GatewayOptions> gateway)
    {
        if (Authenticate(http, gateway.Value) is { } denied)
        {
            return denied;
        }

        var key = IdempotenceKey(http);
        var request = await ReadAsync<YkCreateRefund>(http);
        if (key is null || request is null || !request.Amount.Value.IsPositive)
        {
            return Error(400, "invalid_request", "A refund needs an Idempotence-Key, a payment_id and a positive amount", "amount");
        }

        var payment = await store.FindAsync(request.PaymentId);
        if (payment is null || payment.ShopId != gateway.Value.ShopId)
        {
            return Error(404, "not_found", "Payment not found", "payment_id");
        }

        var (ok, refundId, at) = await store.RefundAsync(payment.Id, key, request.Amount.Value, time.GetUtcNow());
        return ok
            ? Results.Json(new YkRefund(refundId, payment.Id, YkPayment.Succeeded, request.Amount, at), YooKassaClient.Json)
            : Error(400, "invalid_request", "The payment is not succeeded or the amount is more than what is left to refund", "amount");
    }

    private static IResult? Validate(YkCreatePayment request, GatewayOptions gateway)
    {
        if (!request.Amount.Value.IsPositive || request.Amount.Currency != "RUB")
        {
            return Error(400, "invalid_request", "The amount must be positive, in RUB", "amount");
        }

        // 54-FZ: every payment carries its receipt, and the receipt adds up to the payment.
        var receipt = request.Receipt;
        if (receipt is null || (string.IsNullOrWhiteSpace(receipt.Customer.Email) && string.IsNullOrWhiteSpace(receipt.Customer.Phone)))
        {
            return Error(400, "invalid_request", "A receipt with the customer's email or phone is required", "receipt");
        }

        if (receipt.Items.Count == 0 || receipt.Items.Aggregate(Money.Zero, (sum, i) => sum + i.Amount.Value) != request.Amount.Value
            || receipt.Items.Any(i => i.VatCode is < 1 or > 6 || string.IsNullOrWhiteSpace(i.Description)))
        {
            return Error(400, "invalid_request", "The receipt items must add up to the amount and carry a VAT code 1-6", "receipt.items");
        }

        return request.PaymentMethodId is null && request.Confirmation?.Type != "redirect"
            ? Error(400, "invalid_request", "A redirect confirmation is required", "confirmation")
            : null;
    }

    /// <summary>The request's Idempotence-Key; null when missing or longer than the protocol's 64 characters.</summary>
    private static string? IdempotenceKey(HttpContext http)
    {
        var key = http.Request.Headers["Idempotence-Key"].ToString();
        return string.IsNullOrWhiteSpace(key) || key.Length > 64 ? null : key;
    }

    private static IResult MissingKey() =>
        Error(400, "invalid_request", "Idempotence-Key header is required (at most 64 characters)", "Idempotence-Key");

    private static IResult? Authenticate(HttpContext http, GatewayOptions gateway)
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(gateway.ShopId + ":" + gateway.SecretKey));
        return string.Equals(http.Request.Headers.Authorization.ToString(), expected, StringComparison.Ordinal)
            ? null
            : Error(401, "invalid_credentials", "Authentication error", null);
    }

    private static async Task<T?> ReadAsync<T>(HttpContext http)
        where T : class
    {
        try
        {
            return await http.Request.ReadFromJsonAsync<T>(YooKassaClient.Json);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The hosted page where the payer enters the card.</summary>
    public static string HostedPage(SelfAddress self, string id) => new Uri(self.Base, "/sandbox-acquirer/pay/" + id).ToString();

    private static IResult Error(int status, string code, string description, string? parameter) =>
        Results.Json(new YkError("error", Guid.NewGuid().ToString("N"), code, description, parameter), YooKassaClient.Json, statusCode: status);
}
