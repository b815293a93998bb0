using Kabinet.Domain.Common;

namespace Kabinet.Domain.Ledger;

/// <summary>What a journal transaction records; history filters by it.</summary>
public enum TransactionKind
{
    Payment = 1,
    Charge = 2,
    Adjustment = 3,
    Refund = 4,
    PromisedPayment = 5,
    Reversal = 6,
    OpeningBalance = 7,
}

/// <summary>One line of a journal transaction: an amount posted to one ledger account.</summary>
/// <param name="LedgerAccountId">The ledger account it moves.</param>
/// <param name="Amount">Positive raises that account's balance, negative lowers it.</param>
public sealed record LedgerEntry(long LedgerAccountId, Money.Money Amount);

/// <summary>
/// An immutable double-entry journal transaction. Its entries sum to zero; its idempotency key is
/// chosen by whoever starts the movement, so repeating the movement repeats the key and the
/// database refuses the copy.
/// </summary>
public sealed record LedgerTransaction
{
    /// <summary>The longest idempotency key the journal stores.</summary>
    public const int MaxKeyLength = 200;

    private LedgerTransaction(
        string idempotencyKey, TransactionKind kind, long? accountId, DateTimeOffset occurredAt,
        string description, IReadOnlyList<LedgerEntry> entries, long? reverses)
    {
        IdempotencyKey = idempotencyKey;
        Kind = kind;
        AccountId = accountId;
        OccurredAt = occurredAt;
        Description = description;
        Entries = entries;
        Reverses = reverses;
    }

    /// <summary>Unique per movement; the journal's UNIQUE constraint enforces it.</summary>
    public string IdempotencyKey { get; }

    /// <summary>What kind of movement this is.</summary>
    public TransactionKind Kind { get; }

    /// <summary>The subscriber account the movement concerns, for its history.</summary>
    public long? AccountId { get; }

    /// <summary>When it happened (UTC).</summary>
    public DateTimeOffset OccurredAt { get; }

    /// <summary>A short text for statements.</summary>
    public string Description { get; }

    /// <summary>The entries; they sum to zero.</summary>
    public IReadOnlyList<LedgerEntry> Entries { get; }

    /// <summary>The journal id of the transaction this one reverses, if it is a reversal.</summary>
    public long? Reverses { get; }

    /// <summary>Validates and builds a transaction.</summary>
    public static Result<LedgerTransaction> Create(
        string idempotencyKey, TransactionKind kind, long? accountId, DateTimeOffset occurredAt,
        string description, IReadOnlyList<LedgerEntry> entries, long? reverses = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > MaxKeyLength)
        {
            return new Error("ledger.key_invalid", "idempotencyKey");
        }

        if (entries.Count < 2)
        {
            return new Error("ledger.too_few_entries");
        }

        // Int128: a long running sum could overflow and throw before an unbalanced set is seen as such.
        Int128 sum = 0;
        foreach (var entry in entries)
        {
            if (entry.Amount == Money.Money.Zero)
            {
                return new Error("ledger.zero_entry");
            }

            // long.MinValue has no negation, so such an entry could never be reversed.
            if (entry.Amount.Kopecks == long.MinValue)
            {
                return new Error("ledger.amount_out_of_range");
            }

            sum += entry.Amount.Kopecks;
        }

        if (sum != 0)
        {
            return new Error("ledger.unbalanced");
        }

        return new LedgerTransaction(
            idempotencyKey, kind, accountId, occurredAt.ToUniversalTime(), description, entries.ToArray(), reverses);
    }

    /// <summary>A movement of <paramref name="amount"/> from one ledger account to another.</summary>
    public static Result<LedgerTransaction> Transfer(
        string idempotencyKey, TransactionKind kind, long? accountId, DateTimeOffset occurredAt,
        string description, long from, long to, Money.Money amount)
    {
        if (!amount.IsPositive)
        {
            return new Error("ledger.amount_not_positive", "amount");
        }

        return Create(idempotencyKey, kind, accountId, occurredAt, description,
            [new LedgerEntry(from, -amount), new LedgerEntry(to, amount)]);
    }

    /// <summary>
    /// The transaction that undoes this one: every entry negated. Mistakes are corrected this way,
    /// never by editing the journal.
    /// </summary>
    public Result<LedgerTransaction> Reverse(long journalId, string idempotencyKey, DateTimeOffset at, string description) =>
        Create(idempotencyKey, TransactionKind.Reversal, AccountId, at, description,
            Entries.Select(e => e with { Amount = -e.Amount }).ToArray(), journalId);
}
