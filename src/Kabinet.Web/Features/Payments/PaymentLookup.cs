using System.Data.Common;
using Kabinet.Web.Integrations.YooKassa;

namespace Kabinet.Web.Features.Payments;

/// <summary>
/// Reads a payment for someone waiting on it (the result page, the API, the public page). A pending
/// one is first checked with the gateway, so the answer does not wait for a notification. If that
/// check fails — the gateway unreachable, the database refusing the credit — the payment is shown as
/// it stands, still pending, never as an error page: the gateway's notifications and the
/// reconciliation job finish it, and the page asks again on its next refresh.
/// </summary>
public sealed class PaymentLookup(OnlinePayments payments, ILogger<PaymentLookup> logger)
{
    /// <summary>The payment by its public id, checked with the gateway if it is pending.</summary>
    public async Task<PaymentRecord?> FindCheckedAsync(string publicId, CancellationToken ct) =>
        await payments.FindAsync(publicId, ct) is { } payment ? await CheckedAsync(payment, ct) : null;

    /// <summary>A payment already read: as it is, or, if pending, as it stands after asking the gateway.</summary>
    public async Task<PaymentRecord> CheckedAsync(PaymentRecord payment, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(payment);
        if (payment is not { Status: (int)PaymentStatus.Pending, GatewayPaymentId: { } gatewayId })
        {
            return payment;
        }

        try
        {
            await payments.ConfirmAsync(gatewayId, ct);
        }
        catch (Exception e) when (e is DbException || (!ct.IsCancellationRequested && (e is GatewayException || YooKassaClient.OutcomeUnknown(e))))
        {
            logger.LogWarning(e, "Payment {PublicId} could not be checked with the gateway now; shown as pending", payment.PublicId);
            return payment;
        }

        return await payments.FindAsync(payment.PublicId, ct) ?? payment;
    }
}
