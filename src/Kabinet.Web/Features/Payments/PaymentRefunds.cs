using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Data.Ledger;
using Kabinet.Domain.Common;
using Kabinet.Domain.Ledger;
using Kabinet.Domain.Money;
using Kabinet.Web.Features.Billing;
using Kabinet.Web.Integrations.YooKassa;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.Payments;

/// <summary>A refund made (or found made by the same request before).</summary>
public sealed record RefundOutcome(string PaymentId, string RefundId, Money Amount, Money Left, bool Repeated, long AccountId);

/// <summary>
/// Refunds an online payment (M25, staff only): through the gateway first, with an Idempotence-Key
/// derived from the request, so a retry after a timeout or a crash refunds once; then the reversing
/// journal transaction (subscriber account → gateway transit, key "refund:{gateway}:{refund id}"),
/// the refund row and the audit record in one database transaction, and the account's status
/// re-evaluated (a refund can block it).
/// </summary>
public sealed class PaymentRefunds(
    Database database, OnlinePayments payments, YooKassaClient gateway, IOptions<GatewayOptions> gatewayOptions, GatewayTransitAccounts transitAccounts,
    TimeProvider time, ILogger<PaymentRefunds> logger)
{
    /// <summary>The longest reason kept.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>
    /// Refunds <paramref name="amountText"/> ("100.00"), or all that is left when it is null, of
    /// the payment with this public id.
    /// </summary>
    public async Task<Result<RefundOutcome>> RefundAsync(string? paymentId, string? amountText, string? reason, string actor, CancellationToken ct)
    {
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > MaxReasonLength)
        {
            return new Error("refund.reason_required", "reason");
        }

        Money? asked = null;
        if (amountText is not null)
        {
            if (!Money.TryParseTyped(amountText, out var parsed) || !parsed.IsPositive)
            {
                return new Error("refund.amount_invalid", "amount");
            }

            asked = parsed;
        }

        var payment = string.IsNullOrWhiteSpace(paymentId) ? null : await payments.FindAsync(paymentId.Trim(), ct);
        if (payment is null)
        {
            return new Error("refund.payment_not_found", "payment");
        }

        var key = Key(payment.PublicId, asked, reason);
        await using (var connection = await database.OpenAsync(ct))
        {
            var done = await connection.QuerySingleOrDefaultAsync<RefundRow>(
                "SELECT gateway_refund_id AS GatewayRefundId, amount AS Amount FROM refunds WHERE idempotence_key = @key", new { key });
            if (done is not null)
            {
                return new RefundOutcome(payment.PublicId, done.GatewayRefundId, new Money(done.Amount), await LeftAsync(connection, payment, null, ct), true, payment.AccountId);
            }

            if (payment.Status != (int)PaymentStatus.Succeeded || payment.GatewayPaymentId is null)
            {
                return new Error("refund.not_succeeded", "payment");
            }

            var left = await LeftAsync(connection, payment, null, ct);
            if (!left.IsPositive)
            {
                return new Error("refund.nothing_left", "amount");
            }

            if (asked > left)
            {
                return new Error("refund.amount_exceeds", "amount", new Dictionary<string, string> { ["left"] = left.ToString() });
            }

            asked ??= left;
        }

        YkRefund refund;
        try
        {
            refund = await gateway.CreateRefundAsync(new YkCreateRefund(payment.GatewayPaymentId, new YkAmount(asked.Value), reason), key, ct);
        }
        catch (GatewayException e)
        {
            logger.LogWarning(e, "The gateway refused refund of {PaymentId}", payment.PublicId);
            return new Error("refund.gateway_refused", "amount", new Dictionary<string, string> { ["gateway"] = e.Error?.Description ?? e.Status.ToString() });
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            logger.LogError(e, "The gateway did not answer the refund of {PaymentId}", payment.PublicId);
            return new Error("refund.gateway_unavailable");
        }

        if (refund.Status != YkPayment.Succeeded)
        {
            return refund.Status == YkPayment.Canceled ? new Error("refund.gateway_refused", "amount") : new Error("refund.pending");
        }

        if (refund.Amount.Value != asked.Value)
        {
            // The gateway's word counts: what it refunded is what the journal reverses.
            logger.LogError("Refund {RefundId}: asked {Asked}, the gateway refunded {Refunded}", refund.Id, asked.Value, refund.Amount.Value);
        }

        return await PostAsync(payment, refund, key, reason, actor, ct);
    }

    private async Task<Result<RefundOutcome>> PostAsync(PaymentRecord payment, YkRefund refund, string key, string reason, string actor, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var amount = refund.Amount.Value;
        var gatewayName = gatewayOptions.Value.Name;
        var transit = await transitAccounts.IdOfAsync(gatewayName, ct);
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await Database.BeginWriteAsync(connection, ct);
        var refundRowId = await connection.ExecuteScalarAsync<long?>(
            """
            INSERT INTO refunds (payment_id, gateway, gateway_refund_id, idempotence_key, amount, reason, actor, created_at)
            VALUES (@paymentId, @gatewayName, @refundId, @key, @amount, @reason, @actor, @now)
            ON CONFLICT DO NOTHING
            RETURNING id
            """,
            new { paymentId = payment.Id, gatewayName, refundId = refund.Id, key, amount = amount.Kopecks, reason, actor, now }, tx);
        if (refundRowId is null)
        {
            // The same request, finished by a concurrent retry: it posted the reversal.
            await tx.RollbackAsync(ct);
            return new RefundOutcome(payment.PublicId, refund.Id, amount, await LeftAsync(connection, payment, null, ct), true, payment.AccountId);
        }

        var ledgerAccount = await connection.ExecuteScalarAsync<long>(
            "SELECT ledger_account_id FROM accounts WHERE id = @accountId", new { accountId = payment.AccountId }, tx);
        var reversal = LedgerTransaction.Transfer(
            $"refund:{gatewayName}:{refund.Id}", TransactionKind.Refund, payment.AccountId, now, "Возврат оплаты банковской картой",
            ledgerAccount, transit, amount);
        if (!reversal.IsSuccess)
        {
            throw new InvalidOperationException($"Invalid refund: {reversal.Error!.Code}");
        }

        var posted = await LedgerWriter.PostAsync(connection, tx, reversal.Value);
        await connection.ExecuteAsync(
            "UPDATE refunds SET ledger_transaction_id = @tid WHERE id = @id", new { tid = posted.TransactionId, id = refundRowId }, tx);
        await Staff.AuditLog.WriteAsync(connection, tx, now, actor, "payment.refund", "payment:" + payment.PublicId,
            string.Create(CultureInfo.InvariantCulture, $"refund={refund.Id};amount={amount};account={payment.AccountId};reason={reason}"), ct);
        await AccountStatusWriter.RecordAsync(
            connection, tx, payment.AccountId, "payment_refunded", now, string.Create(CultureInfo.InvariantCulture, $"payment={payment.PublicId};amount={amount}"));
        await AccountStatusWriter.ReevaluateAsync(connection, tx, payment.AccountId, now);
        var left = await LeftAsync(connection, payment, tx, ct);
        await tx.CommitAsync(ct);
        return new RefundOutcome(payment.PublicId, refund.Id, amount, left, false, payment.AccountId);
    }

    private static async Task<Money> LeftAsync(System.Data.Common.DbConnection connection, PaymentRecord payment, System.Data.Common.DbTransaction? tx, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var refunded = await connection.ExecuteScalarAsync<long>(
            "SELECT COALESCE(SUM(amount), 0) FROM refunds WHERE payment_id = @paymentId", new { paymentId = payment.Id }, tx);
        return new Money(payment.Amount - refunded);
    }

    // The same payment, amount ("all that is left" included) and reason give the same key: the
    // gateway then returns the first refund instead of making a second one.
    private static string Key(string paymentId, Money? amount, string reason)
    {
        var request = string.Create(CultureInfo.InvariantCulture, $"{paymentId}\n{(amount is { } a ? a.ToString() : "all")}\n{reason}");
        return "refund-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(request)))[..40];
    }

    private sealed class RefundRow
    {
        public string GatewayRefundId { get; init; } = "";

        public long Amount { get; init; }
    }
}
