using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kabinet.Web.Features.Api;
using Kabinet.Web.Integrations;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Integrations.YooKassa;

/// <summary>
/// The gateway's configuration (<c>Kabinet:Gateway</c>). The same client talks to the real service
/// (https://api.yookassa.ru/v3/) or, in demo mode only, to the sandbox acquirer built into Kabinet.
/// Nothing here defaults to the sandbox's credentials: <see cref="Payments.PaymentsSetup"/> fills
/// them in demo mode, so a production start without settings has no gateway rather than a fake one.
/// </summary>
public sealed class GatewayOptions
{
    /// <summary>The sandbox's name, and the credentials it is given in demo mode.</summary>
    public const string SandboxName = "sandbox";

    /// <summary>The name stored with each payment ("yookassa" or "sandbox"); empty until configured.</summary>
    public string Name { get; set; } = "";

    /// <summary>The API root, ending with a slash; empty means this Kabinet's own sandbox acquirer (demo mode only).</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>The shop id (HTTP Basic user).</summary>
    public string ShopId { get; set; } = "";

    /// <summary>The secret key (HTTP Basic password).</summary>
    public string SecretKey { get; set; } = "";

    /// <summary>The VAT code sent on receipts (1 = without VAT ... 6 = 20/120).</summary>
    public int VatCode { get; set; } = 1;

    /// <summary>Whether there is a gateway to send payments to (a real one, or the sandbox in demo mode).</summary>
    public bool Configured => Name.Length > 0;

    /// <summary>Whether the address is this Kabinet's own sandbox acquirer (empty, or its path behind some host).</summary>
    public bool PointsAtSandbox =>
        string.IsNullOrWhiteSpace(BaseUrl) || BaseUrl.Contains(Sandbox.SandboxAcquirerEndpoints.ApiRoot, StringComparison.OrdinalIgnoreCase);
}

/// <summary>A gateway refusal that is not the payer's: bad request, bad credentials, not found.</summary>
public sealed class GatewayException(HttpStatusCode status, YkError? error)
    : Exception($"The gateway answered {(int)status}: {error?.Code} {error?.Description}")
{
    /// <summary>The HTTP status.</summary>
    public HttpStatusCode Status { get; } = status;

    /// <summary>The gateway's error body, when it sent one.</summary>
    public YkError? Error { get; } = error;
}

/// <summary>
/// The YooKassa API v3 client: create, read, capture and cancel payments, refunds. Every creating
/// call carries an Idempotence-Key chosen by the caller, so a retry after a timeout is the same request.
/// </summary>
public sealed class YooKassaClient(IHttpClientFactory clients, IOptions<GatewayOptions> options, SelfAddress self)
{
    /// <summary>The named HttpClient the calls use (timeouts are set on it).</summary>
    public const string HttpClientName = "yookassa";

    /// <summary>The JSON settings of the protocol: snake_case, amounts as "0.00" strings.</summary>
    public static readonly JsonSerializerOptions Json = CreateJson();

    /// <summary>Creates a payment.</summary>
    public Task<YkPayment> CreatePaymentAsync(YkCreatePayment request, string idempotenceKey, CancellationToken ct) =>
        SendAsync<YkPayment>(HttpMethod.Post, "payments", request, idempotenceKey, ct);

    /// <summary>
    /// Creates a payment from a request body serialised before (<see cref="Serialize"/>): a create
    /// whose answer was lost is re-sent byte for byte with the same Idempotence-Key, so the gateway
    /// answers with the payment it made the first time instead of refusing a changed request.
    /// </summary>
    public Task<YkPayment> CreatePaymentAsync(string requestJson, string idempotenceKey, CancellationToken ct) =>
        SendAsync<YkPayment>(HttpMethod.Post, "payments", new RawJson(requestJson), idempotenceKey, ct);

    /// <summary>A create request's body as it goes on the wire.</summary>
    public static string Serialize(YkCreatePayment request) => JsonSerializer.Serialize(request, Json);

    /// <summary>
    /// Whether a failed call may still have been carried out by the gateway: no answer (transport
    /// error, timeout), an answer that is not the protocol's, or a status that does not refuse the
    /// request (5xx: "the result is unknown" in YooKassa's words; 408; 429). Only a definite 4xx
    /// means the gateway did not do it. The caller's own cancellation is the caller's to judge.
    /// </summary>
    public static bool OutcomeUnknown(Exception e) => e switch
    {
        GatewayException g => (int)g.Status is < 400 or >= 500 or 408 or 429,
        HttpRequestException or TaskCanceledException or JsonException or IOException => true,
        _ => false,
    };

    /// <summary>Reads a payment: the truth about its status.</summary>
    public Task<YkPayment> GetPaymentAsync(string id, CancellationToken ct) =>
        SendAsync<YkPayment>(HttpMethod.Get, "payments/" + Uri.EscapeDataString(id), null, null, ct);

    /// <summary>Captures all of an authorised payment.</summary>
    public Task<YkPayment> CapturePaymentAsync(string id, string idempotenceKey, CancellationToken ct) =>
        CapturePaymentAsync(id, null, idempotenceKey, ct);

    /// <summary>Captures an authorised payment: the amount given (not above the authorised one), or all of it when null.</summary>
    public Task<YkPayment> CapturePaymentAsync(string id, Kabinet.Domain.Money.Money? amount, string idempotenceKey, CancellationToken ct) =>
        SendAsync<YkPayment>(
            HttpMethod.Post, "payments/" + Uri.EscapeDataString(id) + "/capture", new YkCapture(amount is { } a ? new YkAmount(a) : null), idempotenceKey, ct);

    /// <summary>Cancels an authorised payment: the hold on the payer's money is released.</summary>
    public Task<YkPayment> CancelPaymentAsync(string id, string idempotenceKey, CancellationToken ct) =>
        SendAsync<YkPayment>(HttpMethod.Post, "payments/" + Uri.EscapeDataString(id) + "/cancel", new { }, idempotenceKey, ct);

    /// <summary>Refunds (part of) a payment.</summary>
    public Task<YkRefund> CreateRefundAsync(YkCreateRefund request, string idempotenceKey, CancellationToken ct) =>
        SendAsync<YkRefund>(HttpMethod.Post, "refunds", request, idempotenceKey, ct);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, string? idempotenceKey, CancellationToken ct)
    {
        var settings = options.Value;
        if (!settings.Configured)
        {
            throw new InvalidOperationException(
                "No payment gateway is configured: set Kabinet:Gateway:BaseUrl, ShopId and SecretKey (see deploy/systemd/kabinet.env.example).");
        }

        // No base address configured: this Kabinet's own sandbox acquirer, over real HTTP.
        var root = string.IsNullOrEmpty(settings.BaseUrl) ? new Uri(self.Base, Sandbox.SandboxAcquirerEndpoints.ApiRoot) : new Uri(settings.BaseUrl);
        using var request = new HttpRequestMessage(method, new Uri(root, path));
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(settings.ShopId + ":" + settings.SecretKey)));
        if (idempotenceKey is not null)
        {
            request.Headers.Add("Idempotence-Key", idempotenceKey);
        }

        if (body is RawJson raw)
        {
            request.Content = new StringContent(raw.Json, Encoding.UTF8, "application/json");
        }
        else if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        var http = clients.CreateClient(HttpClientName);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            YkError? error = null;
            try
            {
                error = await response.Content.ReadFromJsonAsync<YkError>(Json, ct);
            }
            catch (JsonException)
            {
                // A body that is not the protocol's error: the status says enough.
            }

            throw new GatewayException(response.StatusCode, error);
        }

        return await response.Content.ReadFromJsonAsync<T>(Json, ct)
            ?? throw new GatewayException(response.StatusCode, null);
    }

    private sealed record RawJson(string Json);

    private static JsonSerializerOptions CreateJson()
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
        };
        json.Converters.Add(new MoneyJsonConverter());
        return json;
    }
}
