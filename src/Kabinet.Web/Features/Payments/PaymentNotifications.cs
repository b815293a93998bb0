using System.Text.Json;

namespace Kabinet.Web.Features.Payments;

/// <summary>
/// The gateway's HTTP notifications (POST /payments/notifications/yookassa). The body is only a
/// hint of which payment changed: Kabinet asks the gateway for that payment and trusts its answer,
/// so a forged, late, repeated or out-of-order notification cannot credit anything twice or wrongly.
/// The endpoint is anonymous, so it asks the gateway only about a payment of Kabinet's that is still
/// pending: anyone can POST any id, and must not make Kabinet call out for it.
/// </summary>
public static class PaymentNotifications
{
    /// <summary>Maps the notification endpoint.</summary>
    public static void MapPaymentNotifications(this IEndpointRouteBuilder app) =>
        app.MapPost("/payments/notifications/yookassa", async (HttpContext http, OnlinePayments payments, TimeProvider time, ILoggerFactory loggers, CancellationToken ct) =>
        {
            var arrived = time.GetUtcNow();
            string? id;
            try
            {
                using var body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: ct);
                // Any JSON may arrive ([1,2], "x", 5): only an object has properties to look into.
                id = body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("object", out var payment) && payment.ValueKind == JsonValueKind.Object
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

            // 200 whatever the outcome (anything else the gateway would retry): the notification was
            // heard; the gateway's word, or the local record, decided.
            switch (await payments.LocalStatusAsync(id, ct))
            {
                case null:
                    // Not a payment of ours (forged, probing, another shop's): the gateway is not asked.
                    // A saved card's charge whose notification outran the create's answer loses nothing:
                    // its start applies that answer, or reconciliation asks again.
                    loggers.CreateLogger(typeof(PaymentNotifications)).LogWarning(
                        "Notification for gateway payment {GatewayPaymentId}, which is not one of ours: ignored without asking the gateway", id);
                    return Results.Ok();
                case PaymentStatus.Pending:
                    await payments.ConfirmAsync(id, arrived, ct);
                    return Results.Ok();
                default:
                    // Decided already (a repeated or late copy): succeeded and canceled are final at the gateway too.
                    return Results.Ok();
            }
        }).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
}
