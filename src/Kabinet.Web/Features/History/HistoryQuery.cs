using System.Data.Common;
using System.Globalization;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Domain.Ledger;
using Kabinet.Domain.Money;
using Kabinet.Web.Hosting;

namespace Kabinet.Web.Features.History;

/// <summary>
/// Reads an account's operations, totals, statement and receipts from the journal (M10) for the
/// pages and the API alike. Every method takes the logged-in contract and returns nothing for an
/// account or transaction that is not the contract's. A subscriber's lines are the entries on the
/// account's own ledger account, walked through the (ledger_account_id, transaction_id) index;
/// paging is a keyset on the transaction id, the journal's order.
/// </summary>
public sealed class HistoryQuery(Database database, OperatorClock clock)
{
    /// <summary>The most lines one page of operations returns.</summary>
    public const int MaxPageSize = 500;

    /// <summary>Lines per page when the caller does not say.</summary>
    public const int DefaultPageSize = 50;

    private const string LineColumns = """
        SELECT e.transaction_id AS Id, MIN(t.kind) AS Kind, MIN(t.occurred_at) AS At, MIN(t.description) AS Description,
               CAST(SUM(e.amount) AS BIGINT) AS Amount
        FROM ledger_entries e
        JOIN ledger_transactions t ON t.id = e.transaction_id
        WHERE e.ledger_account_id = @ledger AND t.occurred_at >= @start AND t.occurred_at < @end
        """;

    // Grouped by the index's own column alone (the MIN()s are of one row), so both engines walk
    // the index in order and stop at the LIMIT instead of sorting the period first.
    private const string LineGrouping = "GROUP BY e.transaction_id";

    /// <summary>The operator's zone, in which periods are whole days.</summary>
    public TimeZoneInfo Zone => clock.Zone;

    /// <summary>The account when it belongs to the contract.</summary>
    public async Task<HistoryAccount?> AccountAsync(long contractId, long accountId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await AccountAsync(connection, contractId, accountId, ct);
    }

    /// <summary>
    /// Operations of the period, newest first, at most <paramref name="limit"/>, only of the given
    /// kinds (all when empty), older than transaction <paramref name="after"/> when given.
    /// </summary>
    public async Task<OperationsPage> OperationsAsync(
        HistoryAccount account, HistoryPeriod period, IReadOnlyList<TransactionKind> kinds, int limit, long? after, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var sql = LineColumns
            + "\n  AND e.transaction_id < @after"
            // Integers of a validated enum, written into the SQL: Dapper expands a list parameter on
            // SQLite but hands PostgreSQL an array, which IN does not take.
            + (kinds.Count > 0 ? $"\n  AND t.kind IN ({string.Join(", ", kinds.Select(k => ((int)k).ToString(CultureInfo.InvariantCulture)))})" : "")
            + "\n" + LineGrouping + "\nORDER BY e.transaction_id DESC LIMIT @take";
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<LineRow>(new CommandDefinition(sql, new
        {
            ledger = account.LedgerAccountId,
            start = period.Start(clock.Zone),
            end = period.End(clock.Zone),
            after = after ?? long.MaxValue,
            take = limit + 1,
        }, cancellationToken: ct))).ToList();
        var lines = rows.Take(limit).Select(r => r.Line()).ToList();
        return new OperationsPage(lines, rows.Count > limit ? lines[^1].Id : null);
    }

    /// <summary>The balance before the period, and what came in and went out during it.</summary>
    public async Task<HistoryTotals> TotalsAsync(HistoryAccount account, HistoryPeriod period, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(period);
        await using var connection = await database.OpenAsync(ct);
        return await TotalsAsync(connection, account, period, ct);
    }

    /// <summary>The statement of the period for an account of the contract; null when it is not theirs.</summary>
    public async Task<Statement?> StatementAsync(long contractId, long accountId, HistoryPeriod period, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(period);
        await using var connection = await database.OpenAsync(ct);
        var account = await AccountAsync(connection, contractId, accountId, ct);
        if (account is null)
        {
            return null;
        }

        var totals = await TotalsAsync(connection, account, period, ct);
        var lines = (await connection.QueryAsync<LineRow>(new CommandDefinition(
            LineColumns + "\n" + LineGrouping + "\nORDER BY e.transaction_id",
            new { ledger = account.LedgerAccountId, start = period.Start(clock.Zone), end = period.End(clock.Zone) },
            cancellationToken: ct))).Select(r => r.Line()).ToList();
        return new Statement(account, period, totals, lines);
    }

    /// <summary>
    /// The receipt of a payment of the contract (of one account when <paramref name="accountId"/>
    /// is given); null for anything else, a charge or another contract's payment alike.
    /// </summary>
    public async Task<Receipt?> ReceiptAsync(long contractId, long transactionId, long? accountId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        // A card or SBP payment carries the gateway's reference (payments.ledger_transaction_id is indexed).
        var row = await connection.QuerySingleOrDefaultAsync<ReceiptRow>(new CommandDefinition(
            """
            SELECT t.id AS Id, t.occurred_at AS At, t.description AS Description, t.idempotency_key AS IdempotencyKey,
                   e.amount AS Amount, a.id AS AccountId, a.number AS AccountNumber, a.title AS AccountTitle,
                   a.ledger_account_id AS LedgerAccountId, c.number AS Contract, s.full_name AS Holder,
                   (SELECT MIN(la.kind) FROM ledger_entries o JOIN ledger_accounts la ON la.id = o.ledger_account_id
                    WHERE o.transaction_id = t.id AND o.ledger_account_id <> a.ledger_account_id) AS SourceKind,
                   p.gateway_payment_id AS GatewayPaymentId
            FROM ledger_transactions t
            LEFT JOIN payments p ON p.ledger_transaction_id = t.id
            JOIN accounts a ON a.id = t.account_id
            JOIN contracts c ON c.id = a.contract_id
            JOIN subscribers s ON s.id = c.subscriber_id
            JOIN ledger_entries e ON e.transaction_id = t.id AND e.ledger_account_id = a.ledger_account_id
            WHERE t.id = @transactionId AND a.contract_id = @contractId AND t.kind = @payment
              AND (@accountId IS NULL OR a.id = @accountId)
            """,
            new { transactionId, contractId, accountId, payment = (int)TransactionKind.Payment },
            cancellationToken: ct));
        if (row is null || row.Amount <= 0)
        {
            return null;
        }

        var channel = (LedgerAccountKind?)row.SourceKind switch
        {
            LedgerAccountKind.GatewayTransit => PaymentChannel.Gateway,
            LedgerAccountKind.CashDesk => PaymentChannel.CashDesk,
            _ => PaymentChannel.Other,
        };
        return new Receipt(
            row.Id,
            new HistoryAccount(row.AccountId, row.AccountNumber, row.AccountTitle, row.LedgerAccountId, row.Contract, row.Holder),
            row.At, row.Description, new Money(row.Amount), channel,
            new PaymentReference(row.Id, row.IdempotencyKey, row.GatewayPaymentId));
    }

    private static async Task<HistoryAccount?> AccountAsync(DbConnection connection, long contractId, long accountId, CancellationToken ct) =>
        await connection.QuerySingleOrDefaultAsync<HistoryAccount>(new CommandDefinition(
            """
            SELECT a.id AS Id, a.number AS Number, a.title AS Title, a.ledger_account_id AS LedgerAccountId,
                   c.number AS Contract, s.full_name AS Holder
            FROM accounts a
            JOIN contracts c ON c.id = a.contract_id
            JOIN subscribers s ON s.id = c.subscriber_id
            WHERE a.id = @accountId AND a.contract_id = @contractId
            """,
            new { accountId, contractId },
            cancellationToken: ct));

    private async Task<HistoryTotals> TotalsAsync(DbConnection connection, HistoryAccount account, HistoryPeriod period, CancellationToken ct)
    {
        // Per transaction, so that credits and debits are the sums of the lines a listing shows.
        var row = await connection.QuerySingleAsync<TotalsRow>(new CommandDefinition(
            """
            SELECT CAST(COALESCE(SUM(CASE WHEN x.at < @start THEN x.amount ELSE 0 END), 0) AS BIGINT) AS Opening,
                   CAST(COALESCE(SUM(CASE WHEN x.at >= @start AND x.amount > 0 THEN x.amount ELSE 0 END), 0) AS BIGINT) AS Credits,
                   CAST(COALESCE(SUM(CASE WHEN x.at >= @start AND x.amount < 0 THEN -x.amount ELSE 0 END), 0) AS BIGINT) AS Debits
            FROM (SELECT t.occurred_at AS at, CAST(SUM(e.amount) AS BIGINT) AS amount
                  FROM ledger_entries e
                  JOIN ledger_transactions t ON t.id = e.transaction_id
                  WHERE e.ledger_account_id = @ledger AND t.occurred_at < @end
                  GROUP BY e.transaction_id, t.occurred_at) x
            """,
            new { ledger = account.LedgerAccountId, start = period.Start(clock.Zone), end = period.End(clock.Zone) },
            cancellationToken: ct));
        return new HistoryTotals(new Money(row.Opening), new Money(row.Credits), new Money(row.Debits));
    }

    private sealed class LineRow
    {
        public long Id { get; init; }

        public int Kind { get; init; }

        public DateTimeOffset At { get; init; }

        public string Description { get; init; } = "";

        public long Amount { get; init; }

        public HistoryLine Line() => new(Id, (TransactionKind)Kind, At, Description, new Money(Amount));
    }

    private sealed class TotalsRow
    {
        public long Opening { get; init; }

        public long Credits { get; init; }

        public long Debits { get; init; }
    }

    private sealed class ReceiptRow
    {
        public long Id { get; init; }

        public DateTimeOffset At { get; init; }

        public string Description { get; init; } = "";

        public string IdempotencyKey { get; init; } = "";

        public long Amount { get; init; }

        public long AccountId { get; init; }

        public string AccountNumber { get; init; } = "";

        public string AccountTitle { get; init; } = "";

        public long LedgerAccountId { get; init; }

        public string Contract { get; init; } = "";

        public string Holder { get; init; } = "";

        public int? SourceKind { get; init; }

        public string? GatewayPaymentId { get; init; }
    }
}
