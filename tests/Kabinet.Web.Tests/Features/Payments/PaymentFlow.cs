using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Kabinet.Web.Tests.Infrastructure;

namespace Kabinet.Web.Tests.Features.Payments;

/// <summary>Drives a payment the way a payer does: API call, the sandbox's hosted page, back.</summary>
internal static class PaymentFlow
{
    /// <summary>Gives a demo contract a known password; returns an API client logged in as it and its first account.</summary>
    public static async Task<(HttpClient Api, long Account)> SubscriberAsync(KabinetFactory factory, string contract, string password)
    {
        await factory.SetPasswordAsync(contract, password);
        var account = (await factory.AccountsOfAsync(contract))[0].Id;
        return (await factory.ApiClientAsync(contract, password), account);
    }

    /// <summary>Starts a top-up through the API; returns the payment id and the hosted page.</summary>
    public static async Task<(string Id, Uri ConfirmationUrl)> StartAsync(
        HttpClient api, long account, string amount = "500.00", string method = "bank_card", bool saveMethod = false)
    {
        using var response = await api.PostAsJsonAsync(
            $"/api/v1/accounts/{account}/payments", new { amount, method, consent = true, save_payment_method = saveMethod });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetString()!, new Uri(body.GetProperty("confirmation_url").GetString()!));
    }

    /// <summary>Types a card on the hosted page (and a 3-D Secure code if asked); returns where the page sent the payer.</summary>
    public static async Task<Uri?> PayAsync(KabinetFactory factory, Uri hostedPage, string card, string? code = null)
    {
        using var browser = RealBrowser(hostedPage);
        var form = await browser.PageAsync(hostedPage.PathAndQuery);
        using var posted = await browser.PostFormAsync(hostedPage.PathAndQuery, Cabinet.TokenIn(form), ("card", card), ("expiry", "12/30"), ("cvc", "123"));
        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var next = posted.Headers.Location!;
        if (next.OriginalString.EndsWith("/3ds", StringComparison.Ordinal))
        {
            var step = await browser.PageAsync(next.OriginalString);
            using var confirmed = await browser.PostFormAsync(next.OriginalString, Cabinet.TokenIn(step), ("step", "3ds"), ("code", code ?? "123456"));
            confirmed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            return confirmed.Headers.Location;
        }

        return next;
    }

    /// <summary>
    /// A cookie-keeping client that does not follow redirects, talking to the real port (the test
    /// host's client options do not apply to a Kestrel-served factory).
    /// </summary>
    public static HttpClient RealBrowser(Uri server) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = new Uri(server.GetLeftPart(UriPartial.Authority)),
        };

    /// <summary>The payment as the API reports it.</summary>
    public static async Task<JsonElement> GetAsync(HttpClient api, string id) =>
        await api.GetFromJsonAsync<JsonElement>($"/api/v1/payments/{id}");

    /// <summary>The gateway's id of a payment.</summary>
    public static async Task<string> GatewayIdAsync(KabinetFactory factory, string publicId)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT gateway_payment_id FROM payments WHERE public_id = @publicId", new { publicId }) ?? "";
    }

    /// <summary>An account's cached balance in kopecks.</summary>
    public static async Task<long> BalanceAsync(KabinetFactory factory, long account)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT la.balance FROM accounts a JOIN ledger_accounts la ON la.id = a.ledger_account_id WHERE a.id = @account", new { account });
    }

    /// <summary>How many journal credits a gateway payment has.</summary>
    public static async Task<long> CreditsAsync(KabinetFactory factory, string gatewayId)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM ledger_transactions WHERE idempotency_key LIKE @key", new { key = "payment:%:" + gatewayId });
    }

    /// <summary>Posts a notification in the gateway's format for a payment id, with any status claimed.</summary>
    public static Task<HttpResponseMessage> NotifyAsync(HttpClient client, string gatewayId, string status = "succeeded") =>
        client.PostAsJsonAsync("/payments/notifications/yookassa", new
        {
            type = "notification",
            @event = "payment." + status,
            @object = new { id = gatewayId, status, paid = status == "succeeded", amount = new { value = "999999.00", currency = "RUB" } },
        });
}
