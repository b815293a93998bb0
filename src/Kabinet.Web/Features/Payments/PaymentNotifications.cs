using System.Text.Json;

namespace Kabinet.Web.Features.Payments;

/// <summary>
/// The gateway's HTTP notifications (POST /payments/notifications/yookassa). The body is only a
/// hint of which payment changed: Kabinet asks the gateway for that payment and trusts its answer,
/// so a forged, late, repeated or out-of-order notification cannot credit anything twice or wrongly.
/// </summary>
public static class PaymentNotifications
{
    /// <summary>Maps the notification endpoint.</summary>
    public static void MapPaymentNotifications(this IEndpointRouteBuilder app) =>
        app.MapPost("/payments/notifications/yookassa", async (HttpContext http, OnlinePayments payments, TimeProvider time, CancellationToken ct) =>
        {
            var arrived = time.GetUtcNow();
            string? id;
            try
            {
                using var body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: ct);
                id = body.RootElement.TryGetProperty("object", out var payment) && payment.ValueKind == JsonValueKind.Object
                     && payment.TryGetProperty("id", out var value) && value.ValueKind == JsonValueKind.String
                    ? value.GetString()
                    : null;
            }
            catch (JsonException)
            {
                id = null;
            }

            if (string.IsNullOrWhiteSpace(id) || id.Length > 100)
            {
                return Results.BadRequest();
            }

            await payments.ConfirmAsync(id, arrived, ct);
            // 200 whatever the outcome: the notification was heard; the gateway's word decided.
            return Results.Ok();
        }).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
}
