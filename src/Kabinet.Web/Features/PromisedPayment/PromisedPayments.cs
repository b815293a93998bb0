using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Data.Ledger;
using Kabinet.Domain.Billing;
using Kabinet.Domain.Common;
using Kabinet.Domain.Ledger;
using Kabinet.Domain.Money;
using Kabinet.Domain.Subscribers;
using Kabinet.Web.Features.Billing;
using Kabinet.Web.Hosting;

namespace Kabinet.Web.Features.PromisedPayment;

/// <summary>What the promised-payment page and API show for one account.</summary>
public sealed record PromisedPaymentView(
    long AccountId,
    string AccountNumber,
    string AccountTitle,
    Money Balance,
    PromisedPaymentRules Rules,
    Money Limit,
    Error? Refusal,
    OpenPromisedPayment? Open);

/// <summary>An unpaid promised payment.</summary>
public sealed record OpenPromisedPayment(long Id, Money Amount, Money Outstanding, DateOnly TakenOn, DateOnly DueOn);

/// <summary>
/// The promised payment (M9): a credit for a few days that lifts a blocked account at once. The
/// credit is a journal movement from the provider's promised-credit account, repaid from the next
/// payments (PaymentPosting) or withdrawn by the billing run after its due date (DayStart).
/// </summary>
public sealed class PromisedPayments(Database database, OperatorClock clock, BillingRulesStore rules)
{
    /// <summary>The view for an account of the contract; null when the account is not theirs.</summary>
    public async Task<PromisedPaymentView?> LoadAsync(long contractId, long accountId, CancellationToken ct)
    {
        var facts = await FactsAsync(contractId, accountId, ct);
        if (facts is null)
        {
            return null;
        }

        var policy = await rules.PromisedAsync(ct);
        var limit = policy.MaxAmount ?? new Money(facts.MonthlyFee);
        // Asking the policy for one kopeck tells whether anything at all may be taken today.
        var refusal = PromisedPaymentPolicy.Evaluate(policy, facts.Context(clock.Today), new Money(1)).Error;
        return new PromisedPaymentView(accountId, facts.Number, facts.Title, new Money(facts.Balance), policy, limit, refusal, facts.Open());
    }

    /// <summary>Takes a promised payment of <paramref name="amountText"/> roubles ("500.00").</summary>
    public async Task<Result<OpenPromisedPayment>> TakeAsync(long contractId, long accountId, string? amountText, CancellationToken ct)
    {
        if (!Money.TryParseTyped(amountText, out var amount))
        {
            return new Error(PromisedPaymentErrors.AmountInvalid, "amount");
        }

        var facts = await FactsAsync(contractId, accountId, ct);
        if (facts is null)
        {
            return new Error("account.not_found");
        }

        var today = clock.Today;
        var grant = PromisedPaymentPolicy.Evaluate(await rules.PromisedAsync(ct), facts.Context(today), amount);
        if (!grant.IsSuccess)
        {
            return grant.Error!;
        }

        var at = clock.UtcNow;
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await Database.BeginWriteAsync(connection, ct);
        long id;
        try
        {
            id = await connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO promised_payments (account_id, amount, outstanding, taken_on, due_on, taken_at, status)
                VALUES (@accountId, @amount, @amount, @today, @due, @at, 1) RETURNING id
                """,
                new { accountId, amount = grant.Value.Amount.Kopecks, today, due = grant.Value.DueOn, at }, tx);
        }
        catch (Exception e) when (Database.IsUniqueViolation(e))
        {
            // Two requests at once: the partial UNIQUE index lets one promised payment be open.
            return new Error(PromisedPaymentErrors.AlreadyOpen);
        }

        var credit = LedgerTransaction.Transfer(
            $"promised:{id}", TransactionKind.PromisedPayment, accountId, at,
            $"Обещанный платёж до {grant.Value.DueOn:dd.MM.yyyy}", SystemLedgerAccounts.PromisedCredit, facts.LedgerAccountId, grant.Value.Amount).Value;
        await LedgerWriter.PostAsync(connection, tx, credit);
        await AccountStatusWriter.RecordAsync(connection, tx, accountId, "promised_taken", at, $"promised={id}");
        await AccountStatusWriter.ReevaluateAsync(connection, tx, accountId, at);
        await tx.CommitAsync(ct);
        return new OpenPromisedPayment(id, grant.Value.Amount, grant.Value.Amount, today, grant.Value.DueOn);
    }

    private async Task<Facts?> FactsAsync(long contractId, long accountId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var facts = await connection.QuerySingleOrDefaultAsync<Facts>(
            """
            SELECT a.id AS Id, a.number AS Number, a.title AS Title, a.status AS Status, a.ledger_account_id AS LedgerAccountId,
                   la.balance AS Balance, COALESCE(t.monthly_fee, 0) AS MonthlyFee, a.created_at AS CreatedAt
            FROM accounts a
            JOIN ledger_accounts la ON la.id = a.ledger_account_id
            LEFT JOIN tariffs t ON t.id = a.tariff_id
            WHERE a.id = @accountId AND a.contract_id = @contractId
            """,
            new { accountId, contractId });
        if (facts is null)
        {
            return null;
        }

        facts.OpenedOn = DateOnly.FromDateTime(clock.ToLocal(facts.CreatedAt).DateTime);
        facts.Last = (await connection.QueryAsync<PromisedRow>(
            """
            SELECT id AS Id, amount AS Amount, outstanding AS Outstanding, taken_on AS TakenOn, due_on AS DueOn, status AS Status
            FROM promised_payments WHERE account_id = @accountId ORDER BY id DESC LIMIT 1
            """,
            new { accountId })).FirstOrDefault();
        return facts;
    }

    private sealed class Facts
    {
        public long Id { get; init; }

        public string Number { get; init; } = "";

        public string Title { get; init; } = "";

        public int Status { get; init; }

        public long LedgerAccountId { get; init; }

        public long Balance { get; init; }

        public long MonthlyFee { get; init; }

        public DateTimeOffset CreatedAt { get; init; }

        public DateOnly OpenedOn { get; set; }

        public PromisedRow? Last { get; set; }

        public PromisedPaymentContext Context(DateOnly today) => new(
            (AccountStatus)Status, new Money(Balance), new Money(MonthlyFee), today, OpenedOn, Last?.TakenOn, Last is { Status: 1 });

        public OpenPromisedPayment? Open() => Last is { Status: 1 } p
            ? new OpenPromisedPayment(p.Id, new Money(p.Amount), new Money(p.Outstanding), p.TakenOn, p.DueOn)
            : null;
    }

    private sealed class PromisedRow
    {
        public long Id { get; init; }

        public long Amount { get; init; }

        public long Outstanding { get; init; }

        public DateOnly TakenOn { get; init; }

        public DateOnly DueOn { get; init; }

        public int Status { get; init; }
    }
}
