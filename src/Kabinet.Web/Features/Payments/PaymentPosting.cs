using System.Data.Common;
using Dapper;
using Kabinet.Data.Ledger;
using Kabinet.Domain.Ledger;
using Kabinet.Domain.Money;
using Kabinet.Web.Features.Billing;

namespace Kabinet.Web.Features.Payments;

/// <summary>
/// Credits a payment to an account: the journal transaction, the repayment of an open promised
/// payment (M9: "closed by the next payment"), and the unblock (M31), all in the caller's
/// database transaction. Every way money comes in (card, cash desk, import) goes through here.
/// </summary>
public static class PaymentPosting
{
    /// <summary>Posts the payment; a repeated key changes nothing and returns AlreadyPosted.</summary>
    public static async Task<PostResult> PostAsync(
        DbConnection connection, DbTransaction tx, long accountId, Money amount, long fromLedgerAccount,
        string idempotencyKey, string description, DateTimeOffset at)
    {
        var ledgerAccount = await connection.ExecuteScalarAsync<long>(
            "SELECT ledger_account_id FROM accounts WHERE id = @accountId", new { accountId }, tx);
        return await PostAsync(connection, tx, accountId, ledgerAccount, amount, fromLedgerAccount, idempotencyKey, description, at, null);
    }

    /// <summary>
    /// The same for a caller that knows the account's ledger account; with <paramref name="deferredBalances"/>
    /// the provider's own balances are left for the caller to move last (see <see cref="LedgerWriter"/>).
    /// </summary>
    public static async Task<PostResult> PostAsync(
        DbConnection connection, DbTransaction tx, long accountId, long ledgerAccount, Money amount, long fromLedgerAccount,
        string idempotencyKey, string description, DateTimeOffset at, List<(long LedgerAccountId, long Amount)>? deferredBalances)
    {
        var payment = LedgerTransaction.Transfer(
            idempotencyKey, TransactionKind.Payment, accountId, at, description, fromLedgerAccount, ledgerAccount, amount);
        if (!payment.IsSuccess)
        {
            throw new ArgumentException($"Invalid payment: {payment.Error!.Code}", nameof(amount));
        }

        var posted = await LedgerWriter.PostAsync(connection, tx, payment.Value, deferredBalances);
        if (posted.Outcome == PostOutcome.AlreadyPosted)
        {
            return posted;
        }

        await RepayPromisedAsync(connection, tx, accountId, ledgerAccount, amount, posted.TransactionId, at, deferredBalances);
        await AccountStatusWriter.ReevaluateAsync(connection, tx, accountId, at);
        return posted;
    }

    private static async Task RepayPromisedAsync(
        DbConnection connection, DbTransaction tx, long accountId, long ledgerAccount, Money paid, long paymentId, DateTimeOffset at,
        List<(long LedgerAccountId, long Amount)>? deferredBalances)
    {
        var open = (await connection.QueryAsync<(long Id, long Outstanding)>(
            "SELECT id, outstanding FROM promised_payments WHERE account_id = @accountId AND status = 1", new { accountId }, tx)).ToList();
        if (open.Count == 0 || open[0].Outstanding <= 0)
        {
            return;
        }

        var promised = open[0];
        var repay = new Money(Math.Min(promised.Outstanding, paid.Kopecks));
        var left = promised.Outstanding - repay.Kopecks;
        await connection.ExecuteAsync(
            "UPDATE promised_payments SET outstanding = @left, status = @status, closed_at = @closed WHERE id = @id",
            new { left, status = left == 0 ? 2 : 1, closed = left == 0 ? at : (DateTimeOffset?)null, id = promised.Id }, tx);
        var repayment = LedgerTransaction.Transfer(
            $"promised-repay:{promised.Id}:{paymentId}", TransactionKind.PromisedPayment, accountId, at,
            "Погашение обещанного платежа", ledgerAccount, SystemLedgerAccounts.PromisedCredit, repay).Value;
        await LedgerWriter.PostAsync(connection, tx, repayment, deferredBalances);
    }
}
