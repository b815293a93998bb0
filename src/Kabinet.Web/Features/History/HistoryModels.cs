using Kabinet.Domain.Ledger;
using Kabinet.Domain.Money;

namespace Kabinet.Web.Features.History;

/// <summary>An account of the logged-in contract with what statements print about it.</summary>
public sealed record HistoryAccount(long Id, string Number, string Title, long LedgerAccountId, string Contract, string Holder);

/// <summary>One operation as the subscriber sees it: its effect on the balance.</summary>
/// <param name="Amount">Positive raised the balance, negative lowered it.</param>
public sealed record HistoryLine(long Id, TransactionKind Kind, DateTimeOffset At, string Description, Money Amount);

/// <summary>
/// A period's movement: <c>Opening + Credits - Debits = Closing</c>, whatever kinds a listing shows.
/// </summary>
public sealed record HistoryTotals(Money Opening, Money Credits, Money Debits)
{
    /// <summary>The balance at the end of the period.</summary>
    public Money Closing => Opening + Credits - Debits;
}

/// <summary>One page of operations, newest first; <paramref name="NextAfter"/> continues it.</summary>
public sealed record OperationsPage(IReadOnlyList<HistoryLine> Lines, long? NextAfter);

/// <summary>The account statement ("детализация") for a period: all lines, oldest first.</summary>
public sealed record Statement(HistoryAccount Account, HistoryPeriod Period, HistoryTotals Totals, IReadOnlyList<HistoryLine> Lines);

/// <summary>Where a payment came from, read from the other side of its journal entry.</summary>
public enum PaymentChannel
{
    /// <summary>Online, through the payment gateway (card, SBP).</summary>
    Gateway = 1,

    /// <summary>Taken at the provider's cash desk.</summary>
    CashDesk = 2,

    /// <summary>Anything else (imports, corrections).</summary>
    Other = 3,
}

/// <summary>
/// How a payment is found again. Today the journal's own id and key; once card payments have their
/// table (migration 0003), <paramref name="GatewayPaymentId"/> carries the acquirer's payment id.
/// </summary>
public sealed record PaymentReference(long JournalId, string IdempotencyKey, string? GatewayPaymentId);

/// <summary>A payment's receipt: what was paid, to whom, for which contract and account.</summary>
public sealed record Receipt(
    long Id, HistoryAccount Account, DateTimeOffset At, string Description, Money Amount, PaymentChannel Channel, PaymentReference Reference);
