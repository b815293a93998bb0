using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Data.Ledger;
using Kabinet.Domain.Billing;
using Kabinet.Domain.Ledger;
using Kabinet.Domain.Money;
using Kabinet.Domain.Subscribers;
using Kabinet.Web.Integrations.YooKassa;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.Payments;

/// <summary>A card the gateway saved with a payment, for autopay.</summary>
public sealed record SavedPaymentMethod(string Id, string Kind, string Title);

/// <summary>
/// A payment the gateway confirmed as succeeded, as the gateway describes it: its id, the amount paid
/// and the card it saved (kept only if the payer agreed to it when paying).
/// </summary>
public sealed record ConfirmedPayment(string GatewayPaymentId, long Amount, SavedPaymentMethod? SavedMethod, DateTimeOffset? NotifiedAt);

/// <summary>
/// Credits confirmed online payments in groups (group commit): the payments confirmed while one
/// group is being written make the next group, and each group is one database transaction that
/// flips the payments' status, posts their journal transactions, repays open promised payments,
/// re-evaluates the accounts' status (unblock and its account_events row) and moves the gateway
/// transit balance once with the group's sum. Every caller returns when its payment's group has
/// committed. The payment rows, locked by the group, are the gate (only a row not yet credited and
/// paid with the amount Kabinet asked for is credited) and the journal key is still UNIQUE, so a
/// payment confirmed twice, in one group or in two, or on two instances, is credited once. The
/// payments are found by their gateway id in the group's first round trip, so a notification costs
/// no lookup of its own.
/// </summary>
/// <remarks>
/// At most two groups of a process are written at once (one on SQLite): on PostgreSQL the transit
/// balance row, which every payment moves, is then locked once per group and by few transactions
/// at a time, at the end of each. When a group fails, its payments are retried one by one, so one
/// bad payment cannot hold up the others.
/// </remarks>
public sealed class PaymentCreditWriter
{
    private const int MaxBatch = 128;

    private readonly Database _database;
    private readonly IOptions<GatewayOptions> _gateway;
    private readonly GatewayTransitAccounts _transit;
    private readonly TimeProvider _time;
    private readonly ILogger<PaymentCreditWriter> _logger;
    private readonly GroupCommit<ConfirmedPayment, PaymentStatus> _groups;

    public PaymentCreditWriter(
        Database database, IOptions<GatewayOptions> gateway, GatewayTransitAccounts transit, TimeProvider time, ILogger<PaymentCreditWriter> logger)
    {
        (_database, _gateway, _transit, _time, _logger) = (database, gateway, transit, time, logger);
        // SQLite has one writer at a time anyway. On PostgreSQL a second group may start while the
        // first is on its way to the commit; the transit row then serialises only their last round trips.
        _groups = new GroupCommit<ConfirmedPayment, PaymentStatus>(
            database.Kind == DatabaseKind.Postgres ? 2 : 1, MaxBatch,
            async group =>
            {
                var outcome = await WriteAsync(group);
                return group.Select(p => outcome[p.GatewayPaymentId]).ToList();
            },
            p => $"Gateway payment {p.GatewayPaymentId}", logger);
    }

    /// <summary>
    /// Queues a confirmed payment and completes once it is credited (or was already) with its local
    /// status: Succeeded; the status it keeps when the gateway's amount is not the one asked for;
    /// Canceled when it is not one of Kabinet's payments.
    /// </summary>
    public Task<PaymentStatus> CreditAsync(ConfirmedPayment payment, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return _groups.WriteAsync(payment, ct);
    }

    private async Task<Dictionary<string, PaymentStatus>> WriteAsync(IReadOnlyList<ConfirmedPayment> confirmed)
    {
        // The same payment twice in a group (repeated notifications): one credit, stamped with the
        // earliest notification.
        var confirmations = confirmed
            .GroupBy(p => p.GatewayPaymentId)
            .Select(g => g.First() with { NotifiedAt = g.Where(p => p.NotifiedAt is not null).Select(p => p.NotifiedAt).Min() })
            .ToList();
        var transit = await _transit.IdOfAsync(_gateway.Value.Name, CancellationToken.None);
        await using var write = await _database.OpenWriteSessionAsync(CancellationToken.None);
        var (connection, tx) = (write.Connection, write.Transaction);
        var now = _time.GetUtcNow();

        // One round trip: the payments by their gateway id, locked on PostgreSQL (SQLite's writer holds
        // the database): the gate, since a concurrent group that credited one of them first is waited
        // for and its row read as it left it; the accounts' status and balance, their rows locked in
        // id order so nothing moves the balance before this transaction ends; and their open promised
        // payments.
        // NO KEY: no key of these rows changes, so a concurrent insert that refers to one (a new
        // payment of the same account, whose foreign key check takes KEY SHARE) does not wait for the group.
        var lockClause = connection is Npgsql.NpgsqlConnection ? " FOR NO KEY UPDATE" : "";
        var genericPlans = SqlRows.GenericPlans(connection);
        var ours = $"SELECT account_id FROM payments WHERE gateway = @gateway AND {SqlList.In(connection, "gateway_payment_id", "gatewayIds")}";
        List<PaymentRecord> records;
        Dictionary<long, (long Id, long Status, long Balance, long Threshold)> state;
        Dictionary<long, (long Id, long Outstanding)> open;
        using (var grid = await connection.QueryMultipleAsync(
            $"""
            {genericPlans}SELECT {OnlinePayments.Columns} FROM payments p JOIN accounts a ON a.id = p.account_id
            WHERE p.gateway = @gateway AND {SqlList.In(connection, "p.gateway_payment_id", "gatewayIds")} ORDER BY p.id{(lockClause.Length == 0 ? "" : lockClause + " OF p")};
            SELECT a.id, a.status, la.balance, a.threshold FROM accounts a JOIN ledger_accounts la ON la.id = a.ledger_account_id
            WHERE a.id IN ({ours}) ORDER BY a.id{lockClause};
            SELECT id, account_id, outstanding FROM promised_payments WHERE account_id IN ({ours}) AND status = 1 ORDER BY id
            """,
            new { gateway = _gateway.Value.Name, gatewayIds = confirmations.Select(c => c.GatewayPaymentId).ToList() },
            tx))
        {
            if (genericPlans.Length > 0)
            {
                await grid.ReadAsync<string>();
            }

            records = (await grid.ReadAsync<PaymentRecord>()).ToList();
            state = (await grid.ReadAsync<(long Id, long Status, long Balance, long Threshold)>()).ToDictionary(r => r.Id);
            open = (await grid.ReadAsync<(long Id, long AccountId, long Outstanding)>())
                .GroupBy(p => p.AccountId).ToDictionary(g => g.Key, g => (g.First().Id, g.First().Outstanding));
        }

        var outcome = Outcomes(confirmations, records.ToDictionary(r => r.GatewayPaymentId!));
        var payments = confirmations
            .Join(records, c => c.GatewayPaymentId, r => r.GatewayPaymentId, (c, r) => new Matched(r, c))
            .OrderBy(p => p.Local.Id)
            .ToList();
        // Credited here: not credited yet, and paid with the amount asked for (flipped with the stamps at the end).
        var won = payments.Where(p => p.Local.Status != (int)PaymentStatus.Succeeded && p.Confirmed.Amount == p.Local.Amount)
            .Select(p => p.Local.Id).ToHashSet();
        var credits = payments.Where(p => won.Contains(p.Local.Id)).ToList();
        if (credits.Count == 0)
        {
            return outcome;
        }

        var journal = credits.Select(p => LedgerTransaction.Transfer(
            $"payment:{p.Local.Gateway}:{p.GatewayPaymentId}", TransactionKind.Payment, p.Local.AccountId, now,
            p.Local.Method == (int)PaymentMethod.Sbp ? "Оплата СБП" : "Оплата банковской картой",
            transit, p.Local.LedgerAccountId, new Money(p.Local.Amount)).Value).ToList();
        var posted = await InsertTransactionsAsync(connection, tx, journal);
        var transactionIds = new Dictionary<long, long>();
        var moves = new SortedDictionary<long, long>();
        var entries = new List<(long TransactionId, LedgerEntry Entry)>();
        var repayments = new List<LedgerTransaction>();
        var promisedLeft = new SortedDictionary<long, long>();
        foreach (var (payment, transaction) in credits.Zip(journal))
        {
            if (!posted.TryGetValue(transaction.IdempotencyKey, out var id))
            {
                continue;
            }

            transactionIds[payment.Local.Id] = id;
            Add(id, transaction);
            // M9: the payment closes the open promised payment up to its amount; two payments of one
            // account in a group repay in turn, as they would one after the other.
            if (open.TryGetValue(payment.Local.AccountId, out var promised) && promised.Outstanding > 0)
            {
                var repay = Math.Min(promised.Outstanding, payment.Local.Amount);
                open[payment.Local.AccountId] = (promised.Id, promised.Outstanding - repay);
                promisedLeft[promised.Id] = promised.Outstanding - repay;
                repayments.Add(LedgerTransaction.Transfer(
                    $"promised-repay:{promised.Id}:{id}", TransactionKind.PromisedPayment, payment.Local.AccountId, now,
                    "Погашение обещанного платежа", payment.Local.LedgerAccountId, SystemLedgerAccounts.PromisedCredit, new Money(repay)).Value);
            }
        }

        var postedRepayments = await InsertTransactionsAsync(connection, tx, repayments);
        foreach (var repayment in repayments.Where(r => postedRepayments.ContainsKey(r.IdempotencyKey)))
        {
            Add(postedRepayments[repayment.IdempotencyKey], repayment);
        }

        // Keys already in the journal (nothing else writes them, but the database is the judge): linked, not posted again.
        var existing = journal.Where(t => !posted.ContainsKey(t.IdempotencyKey)).Select(t => t.IdempotencyKey).ToList();
        if (existing.Count > 0)
        {
            var found = (await connection.QueryAsync<(long Id, string Key)>(
                $"SELECT id, idempotency_key FROM ledger_transactions WHERE {SqlList.In(connection, "idempotency_key", "existing")}", new { existing }, tx))
                .ToDictionary(r => r.Key, r => r.Id);
            foreach (var (payment, transaction) in credits.Zip(journal).Where(c => found.ContainsKey(c.Second.IdempotencyKey)))
            {
                transactionIds[payment.Local.Id] = found[transaction.IdempotencyKey];
            }
        }

        // The rest in one round trip: entries; the subscribers' balances in ledger account order; the
        // promised payments; the accounts' new status with its account_events row, as
        // AccountStatusWriter records it (M31: a payment unblocks at once); saved cards; the provider's
        // own balances (gateway transit, promised credit), moved once for the group and last, so on
        // PostgreSQL their row lock is held only for the end of the transaction; and the payments'
        // stamps: the credit's last round trip before the commit, so succeeded_at - notified_at is the
        // whole credit.
        var sql = new StringBuilder();
        var parameters = new DynamicParameters(new { now, credited = _time.GetUtcNow() });
        if (entries.Count > 0)
        {
            sql.Append("INSERT INTO ledger_entries (transaction_id, ledger_account_id, amount) SELECT t, l, a FROM ")
                .Append(SqlRows.Table(connection, parameters, "e",
                    ("t", entries.Select(e => e.TransactionId).ToArray()),
                    ("l", entries.Select(e => e.Entry.LedgerAccountId).ToArray()),
                    ("a", entries.Select(e => e.Entry.Amount.Kopecks).ToArray())))
                .Append(';');
        }

        var n = 0;
        var subscriberMoves = moves.Where(m => m.Key >= SystemLedgerAccounts.FirstSubscriberLedgerAccount && m.Value != 0).ToList();
        if (subscriberMoves.Count > 0)
        {
            // One statement for all (a ledger account appears once: the moves are summed per account).
            sql.Append("UPDATE ledger_accounts SET balance = balance + m.amount, updated_at = @now FROM ")
                .Append(SqlRows.Table(connection, parameters, "m",
                    ("id", subscriberMoves.Select(m => m.Key).ToArray()), ("amount", subscriberMoves.Select(m => m.Value).ToArray())))
                .Append(" WHERE ledger_accounts.id = m.id;");
        }

        foreach (var (id, outstanding) in promisedLeft)
        {
            sql.Append(CultureInfo.InvariantCulture, $"UPDATE promised_payments SET outstanding = @po{n}, status = @ps{n}, closed_at = @pc{n} WHERE id = @pi{n};");
            parameters.Add($"pi{n}", id);
            parameters.Add($"po{n}", outstanding);
            parameters.Add($"ps{n}", outstanding == 0 ? 2 : 1);
            parameters.Add($"pc{n}", outstanding == 0 ? now : (DateTimeOffset?)null);
            n++;
        }

        foreach (var payment in credits.Where(p => posted.ContainsKey($"payment:{p.Local.Gateway}:{p.GatewayPaymentId}")).DistinctBy(p => p.Local.AccountId).OrderBy(p => p.Local.AccountId))
        {
            var row = state[payment.Local.AccountId];
            var current = (AccountStatus)row.Status;
            var next = AccountState.Evaluate(current, new Money(row.Balance + moves.GetValueOrDefault(payment.Local.LedgerAccountId)), new Money(row.Threshold));
            if (next != current)
            {
                sql.Append(CultureInfo.InvariantCulture,
                    $"UPDATE accounts SET status = @ss{n} WHERE id = @sa{n}; INSERT INTO account_events (account_id, kind, occurred_at, details) VALUES (@sa{n}, @sk{n}, @now, '');");
                parameters.Add($"sa{n}", row.Id);
                parameters.Add($"ss{n}", (int)next);
                parameters.Add($"sk{n}", next == AccountStatus.Blocked ? "blocked" : "unblocked");
                n++;
            }
        }

        foreach (var payment in credits.Where(p => p.Local.SaveMethod && p.SavedMethod is not null))
        {
            sql.Append(CultureInfo.InvariantCulture,
                $"""
                INSERT INTO payment_methods (account_id, gateway, gateway_method_id, kind, title, consent_text, consent_at, created_at)
                VALUES (@ca{n}, @cg{n}, @cm{n}, @ck{n}, @ct{n}, @cc{n}, @cat{n}, @now) ON CONFLICT (gateway, gateway_method_id) DO NOTHING;
                """);
            parameters.Add($"ca{n}", payment.Local.AccountId);
            parameters.Add($"cg{n}", payment.Local.Gateway);
            parameters.Add($"cm{n}", payment.SavedMethod!.Id);
            parameters.Add($"ck{n}", payment.SavedMethod.Kind);
            parameters.Add($"ct{n}", payment.SavedMethod.Title);
            parameters.Add($"cc{n}", payment.Local.ConsentText ?? "");
            parameters.Add($"cat{n}", payment.Local.ConsentAt ?? now);
            n++;
        }

        foreach (var (account, amount) in moves.Where(m => m.Key < SystemLedgerAccounts.FirstSubscriberLedgerAccount && m.Value != 0))
        {
            Move(account, amount);
        }

        var stamped = credits.Where(p => transactionIds.ContainsKey(p.Local.Id)).ToList();
        if (stamped.Count > 0)
        {
            sql.Append("UPDATE payments SET status = 2, ledger_transaction_id = s.tx, succeeded_at = @credited, updated_at = @credited, notified_at = s.notified FROM ")
                .Append(SqlRows.Table(connection, parameters, "s",
                    ("id", stamped.Select(p => p.Local.Id).ToArray()),
                    ("tx", stamped.Select(p => transactionIds[p.Local.Id]).ToArray()),
                    ("notified", stamped.Select(p => p.NotifiedAt).ToArray())))
                .Append(" WHERE payments.id = s.id;");
        }

        await connection.ExecuteAsync(sql.ToString(), parameters, tx);
        await write.CommitAsync(CancellationToken.None);
        return outcome;

        void Add(long transactionId, LedgerTransaction transaction)
        {
            foreach (var entry in transaction.Entries)
            {
                entries.Add((transactionId, entry));
                moves[entry.LedgerAccountId] = checked(moves.GetValueOrDefault(entry.LedgerAccountId) + entry.Amount.Kopecks);
            }
        }

        void Move(long ledgerAccount, long amount)
        {
            sql.Append(CultureInfo.InvariantCulture, $"UPDATE ledger_accounts SET balance = balance + @mv{n}, updated_at = @now WHERE id = @ma{n};");
            parameters.Add($"ma{n}", ledgerAccount);
            parameters.Add($"mv{n}", amount);
            n++;
        }
    }

    /// <summary>What each confirmation comes to, by gateway id; the refusals are logged.</summary>
    private Dictionary<string, PaymentStatus> Outcomes(List<ConfirmedPayment> confirmations, Dictionary<string, PaymentRecord> records)
    {
        var outcome = new Dictionary<string, PaymentStatus>();
        foreach (var confirmation in confirmations)
        {
            if (!records.TryGetValue(confirmation.GatewayPaymentId, out var local))
            {
                _logger.LogWarning("Gateway payment {GatewayPaymentId} is not one of ours", confirmation.GatewayPaymentId);
                outcome[confirmation.GatewayPaymentId] = PaymentStatus.Canceled;
            }
            else if (confirmation.Amount != local.Amount)
            {
                _logger.LogError("Payment {PublicId}: the gateway says {Paid} but {Expected} was asked; not credited", local.PublicId, new Money(confirmation.Amount), new Money(local.Amount));
                outcome[confirmation.GatewayPaymentId] = (PaymentStatus)local.Status;
            }
            else
            {
                // Credited now (won) or before: succeeded either way.
                outcome[confirmation.GatewayPaymentId] = PaymentStatus.Succeeded;
            }
        }

        return outcome;
    }

    /// <summary>A confirmation with Kabinet's record of its payment.</summary>
    private sealed record Matched(PaymentRecord Local, ConfirmedPayment Confirmed)
    {
        public string GatewayPaymentId => Confirmed.GatewayPaymentId;

        public SavedPaymentMethod? SavedMethod => Confirmed.SavedMethod;

        public DateTimeOffset? NotifiedAt => Confirmed.NotifiedAt;
    }

    /// <summary>Inserts journal transactions in one statement; returns the ids of those whose key was free.</summary>
    private static async Task<Dictionary<string, long>> InsertTransactionsAsync(DbConnection connection, DbTransaction tx, List<LedgerTransaction> transactions)
    {
        if (transactions.Count == 0)
        {
            return [];
        }

        var parameters = new DynamicParameters();
        // WHERE TRUE: without it SQLite would read ON CONFLICT as the join's ON.
        var sql = $"""
            INSERT INTO ledger_transactions (idempotency_key, kind, account_id, occurred_at, description)
            SELECT k, kind, account, at, d FROM {SqlRows.Table(connection, parameters, "t",
                ("k", transactions.Select(t => t.IdempotencyKey).ToArray()),
                ("kind", transactions.Select(t => (int)t.Kind).ToArray()),
                ("account", transactions.Select(t => t.AccountId).ToArray()),
                ("at", transactions.Select(t => t.OccurredAt).ToArray()),
                ("d", transactions.Select(t => t.Description).ToArray()))}
            WHERE TRUE
            ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, idempotency_key
            """;
        return (await connection.QueryAsync<(long Id, string Key)>(sql, parameters, tx)).ToDictionary(r => r.Key, r => r.Id);
    }
}
