using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Domain.Billing;
using Kabinet.Domain.Ledger;
using Kabinet.Domain.Money;
using Kabinet.Domain.Subscribers;
using Kabinet.Web.Features.Billing;

namespace Kabinet.Web.Features.Payments;

/// <summary>A card the gateway saved with a payment, for autopay.</summary>
public sealed record SavedPaymentMethod(string Id, string Kind, string Title);

/// <summary>A payment the gateway confirmed as succeeded with the amount Kabinet asked for.</summary>
public sealed record ConfirmedPayment(PaymentRecord Local, string GatewayPaymentId, SavedPaymentMethod? SavedMethod, DateTimeOffset? NotifiedAt);

/// <summary>
/// Credits confirmed online payments in groups (group commit): the payments confirmed while one
/// group is being written make the next group, and each group is one database transaction that
/// flips the payments' status, posts their journal transactions, repays open promised payments,
/// re-evaluates the accounts' status (unblock and its account_events row) and moves the gateway
/// transit balance once with the group's sum. Every caller returns when its payment's group has
/// committed. The flip is still the gate (status &lt;&gt; 2) and the journal key still UNIQUE, so a
/// payment confirmed twice, in one group or in two, or on two instances, is credited once.
/// </summary>
/// <remarks>
/// One writer per process: on PostgreSQL the transit balance row, which every payment moves, is
/// then locked by one transaction of this instance at a time and only once per group; on SQLite
/// the writers take turns anyway. When a group fails, its payments are retried one by one, so one
/// bad payment cannot hold up the others.
/// </remarks>
public sealed class PaymentCreditWriter(Database database, TimeProvider time, ILogger<PaymentCreditWriter> logger)
{
    private const int MaxBatch = 128;

    private readonly ConcurrentQueue<(ConfirmedPayment Payment, TaskCompletionSource Done)> _queue = new();
    private int _draining;

    /// <summary>Queues a confirmed payment and completes once it is credited (or was already).</summary>
    public async Task CreditAsync(ConfirmedPayment payment, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(payment);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Enqueue((payment, done));
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }

        // A caller that gives up leaves its payment to be credited all the same.
        await done.Task.WaitAsync(ct);
    }

    private async Task DrainAsync()
    {
        var batch = new List<(ConfirmedPayment Payment, TaskCompletionSource Done)>(MaxBatch);
        while (true)
        {
            while (batch.Count < MaxBatch && _queue.TryDequeue(out var item))
            {
                batch.Add(item);
            }

            if (batch.Count == 0)
            {
                Interlocked.Exchange(ref _draining, 0);
                // A payment queued after the last look found the flag still up and started no drainer.
                if (_queue.IsEmpty || Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
                {
                    return;
                }

                continue;
            }

            await WriteBatchAsync(batch);
            batch.Clear();
        }
    }

    private async Task WriteBatchAsync(List<(ConfirmedPayment Payment, TaskCompletionSource Done)> batch)
    {
        try
        {
            await WriteAsync(batch.Select(b => b.Payment).ToList());
            batch.ForEach(b => b.Done.TrySetResult());
            return;
        }
        catch (Exception e) when (batch.Count > 1)
        {
            logger.LogWarning(e, "A credit group of {Count} payments failed; crediting them one by one", batch.Count);
        }
        catch (Exception e)
        {
            batch[0].Done.TrySetException(e);
            return;
        }

        foreach (var (payment, done) in batch)
        {
            try
            {
                await WriteAsync([payment]);
                done.TrySetResult();
            }
            catch (Exception e)
            {
                logger.LogError(e, "Payment {PublicId} could not be credited", payment.Local.PublicId);
                done.TrySetException(e);
            }
        }
    }

    private async Task WriteAsync(IReadOnlyList<ConfirmedPayment> confirmed)
    {
        // The same payment twice in a group (repeated notifications): one credit, stamped with the
        // earliest notification.
        var payments = confirmed
            .GroupBy(p => p.Local.Id)
            .Select(g => g.First() with { NotifiedAt = g.Where(p => p.NotifiedAt is not null).Select(p => p.NotifiedAt).Min() })
            .OrderBy(p => p.Local.Id)
            .ToList();
        await using var write = await database.OpenWriteSessionAsync(CancellationToken.None);
        var (connection, tx) = (write.Connection, write.Transaction);
        var now = time.GetUtcNow();
        // The status flip is the gate: of any number of concurrent confirmations one updates the row.
        var won = (await connection.QueryAsync<long>(
            $"UPDATE payments SET status = 2, updated_at = @now WHERE {In(connection, "id", "ids")} AND status <> 2 RETURNING id",
            new { now, ids = payments.Select(p => p.Local.Id).ToList() }, tx)).ToHashSet();
        var credits = payments.Where(p => won.Contains(p.Local.Id)).ToList();
        if (credits.Count == 0)
        {
            return;
        }

        var journal = credits.Select(p => LedgerTransaction.Transfer(
            $"payment:{p.Local.Gateway}:{p.GatewayPaymentId}", TransactionKind.Payment, p.Local.AccountId, now,
            p.Local.Method == (int)PaymentMethod.Sbp ? "Оплата СБП" : "Оплата банковской картой",
            SystemLedgerAccounts.GatewayTransit, p.Local.LedgerAccountId, new Money(p.Local.Amount)).Value).ToList();
        var posted = await InsertTransactionsAsync(connection, tx, journal);
        var moves = new SortedDictionary<long, long>();
        var entries = new List<(long TransactionId, LedgerEntry Entry)>();
        var transactionIds = new Dictionary<long, long>();
        foreach (var (payment, transaction) in credits.Zip(journal))
        {
            if (posted.TryGetValue(transaction.IdempotencyKey, out var id))
            {
                transactionIds[payment.Local.Id] = id;
                Add(id, transaction);
            }
        }

        // Keys already in the journal (nothing else writes them, but the database is the judge): linked, not posted again.
        var existing = journal.Where(t => !posted.ContainsKey(t.IdempotencyKey)).Select(t => t.IdempotencyKey).ToList();
        if (existing.Count > 0)
        {
            var found = (await connection.QueryAsync<(long Id, string Key)>(
                $"SELECT id, idempotency_key FROM ledger_transactions WHERE {In(connection, "idempotency_key", "existing")}", new { existing }, tx)).ToDictionary(r => r.Key, r => r.Id);
            foreach (var (payment, transaction) in credits.Zip(journal).Where(c => found.ContainsKey(c.Second.IdempotencyKey)))
            {
                transactionIds[payment.Local.Id] = found[transaction.IdempotencyKey];
            }
        }

        var postedCredits = credits.Where(p => transactionIds.ContainsKey(p.Local.Id) && posted.ContainsKey(Key(p))).ToList();
        var accounts = postedCredits.Select(p => p.Local.AccountId).Distinct().Order().ToList();
        if (accounts.Count > 0)
        {
            await RepayPromisedAsync(connection, tx, postedCredits, transactionIds, now, Add);
        }

        // Entries, then the subscribers' balances in ledger account order, then the accounts' status.
        await InsertEntriesAndMoveAsync(connection, tx, entries, moves.Where(m => m.Key >= SystemLedgerAccounts.FirstSubscriberLedgerAccount), now);
        if (accounts.Count > 0)
        {
            await ReevaluateAsync(connection, tx, accounts, now);
        }

        foreach (var payment in credits.Where(p => p.Local.SaveMethod && p.SavedMethod is not null))
        {
            var saved = payment.SavedMethod!;
            await connection.ExecuteAsync(
                """
                INSERT INTO payment_methods (account_id, gateway, gateway_method_id, kind, title, consent_text, consent_at, created_at)
                VALUES (@AccountId, @Gateway, @methodId, @kind, @title, @consent, @consentAt, @now)
                ON CONFLICT (gateway, gateway_method_id) DO NOTHING
                """,
                new
                {
                    payment.Local.AccountId, payment.Local.Gateway, methodId = saved.Id, kind = saved.Kind, title = saved.Title,
                    consent = payment.Local.ConsentText ?? "", consentAt = payment.Local.ConsentAt ?? now, now,
                },
                tx);
        }

        // The provider's own balances (gateway transit, promised credit) move once for the group, last,
        // with the payments' stamps in the same round trip: on PostgreSQL their row lock is held only
        // for the end of the transaction. The stamp is the credit's last round trip before the commit,
        // so succeeded_at - notified_at is the whole credit.
        var credited = time.GetUtcNow();
        var sql = new StringBuilder();
        var parameters = new DynamicParameters(new { now, credited });
        var i = 0;
        foreach (var (account, amount) in moves.Where(m => m.Key < SystemLedgerAccounts.FirstSubscriberLedgerAccount && m.Value != 0))
        {
            sql.Append(CultureInfo.InvariantCulture, $"UPDATE ledger_accounts SET balance = balance + @m{i}, updated_at = @now WHERE id = @a{i};");
            parameters.Add($"a{i}", account);
            parameters.Add($"m{i}", amount);
            i++;
        }

        i = 0;
        foreach (var payment in credits.Where(p => transactionIds.ContainsKey(p.Local.Id)))
        {
            sql.Append(CultureInfo.InvariantCulture,
                $"UPDATE payments SET ledger_transaction_id = @t{i}, succeeded_at = @credited, updated_at = @credited, notified_at = @n{i} WHERE id = @p{i};");
            parameters.Add($"t{i}", transactionIds[payment.Local.Id]);
            parameters.Add($"n{i}", payment.NotifiedAt);
            parameters.Add($"p{i}", payment.Local.Id);
            i++;
        }

        await connection.ExecuteAsync(sql.ToString(), parameters, tx);
        await write.CommitAsync(CancellationToken.None);

        void Add(long transactionId, LedgerTransaction transaction)
        {
            foreach (var entry in transaction.Entries)
            {
                entries.Add((transactionId, entry));
                moves[entry.LedgerAccountId] = checked(moves.GetValueOrDefault(entry.LedgerAccountId) + entry.Amount.Kopecks);
            }
        }

        static string Key(ConfirmedPayment p) => $"payment:{p.Local.Gateway}:{p.GatewayPaymentId}";
    }

    /// <summary>
    /// M9: a payment closes the account's open promised payment, up to its amount; two payments of
    /// one account in a group repay in turn, as they would one after the other.
    /// </summary>
    private static async Task RepayPromisedAsync(
        DbConnection connection, DbTransaction tx, List<ConfirmedPayment> credits, Dictionary<long, long> transactionIds, DateTimeOffset at,
        Action<long, LedgerTransaction> add)
    {
        var open = (await connection.QueryAsync<(long Id, long AccountId, long Outstanding)>(
            $"SELECT id, account_id, outstanding FROM promised_payments WHERE {In(connection, "account_id", "accounts")} AND status = 1 ORDER BY id",
            new { accounts = credits.Select(p => p.Local.AccountId).Distinct().ToList() }, tx))
            .GroupBy(p => p.AccountId).ToDictionary(g => g.Key, g => (g.First().Id, g.First().Outstanding));
        if (open.Count == 0)
        {
            return;
        }

        var repayments = new List<LedgerTransaction>();
        var left = new Dictionary<long, (long Id, long Outstanding)>();
        foreach (var payment in credits)
        {
            if (!open.TryGetValue(payment.Local.AccountId, out var promised) || promised.Outstanding <= 0)
            {
                continue;
            }

            var repay = Math.Min(promised.Outstanding, payment.Local.Amount);
            promised = (promised.Id, promised.Outstanding - repay);
            open[payment.Local.AccountId] = promised;
            left[promised.Id] = promised;
            repayments.Add(LedgerTransaction.Transfer(
                $"promised-repay:{promised.Id}:{transactionIds[payment.Local.Id]}", TransactionKind.PromisedPayment, payment.Local.AccountId, at,
                "Погашение обещанного платежа", payment.Local.LedgerAccountId, SystemLedgerAccounts.PromisedCredit, new Money(repay)).Value);
        }

        foreach (var (id, outstanding) in left.Values)
        {
            await connection.ExecuteAsync(
                "UPDATE promised_payments SET outstanding = @outstanding, status = @status, closed_at = @closed WHERE id = @id",
                new { outstanding, status = outstanding == 0 ? 2 : 1, closed = outstanding == 0 ? at : (DateTimeOffset?)null, id }, tx);
        }

        var posted = await InsertTransactionsAsync(connection, tx, repayments);
        foreach (var repayment in repayments.Where(r => posted.ContainsKey(r.IdempotencyKey)))
        {
            add(posted[repayment.IdempotencyKey], repayment);
        }
    }

    /// <summary>Inserts journal transactions in one statement; returns the ids of those whose key was free.</summary>
    private static async Task<Dictionary<string, long>> InsertTransactionsAsync(DbConnection connection, DbTransaction tx, List<LedgerTransaction> transactions)
    {
        if (transactions.Count == 0)
        {
            return [];
        }

        var sql = new StringBuilder("INSERT INTO ledger_transactions (idempotency_key, kind, account_id, occurred_at, description) VALUES ");
        var parameters = new DynamicParameters();
        for (var i = 0; i < transactions.Count; i++)
        {
            var t = transactions[i];
            sql.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ", ")}(@k{i}, @kind{i}, @acc{i}, @at{i}, @d{i})");
            parameters.Add($"k{i}", t.IdempotencyKey);
            parameters.Add($"kind{i}", (int)t.Kind);
            parameters.Add($"acc{i}", t.AccountId);
            parameters.Add($"at{i}", t.OccurredAt);
            parameters.Add($"d{i}", t.Description);
        }

        sql.Append(" ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, idempotency_key");
        return (await connection.QueryAsync<(long Id, string Key)>(sql.ToString(), parameters, tx)).ToDictionary(r => r.Key, r => r.Id);
    }

    /// <summary>The entries in one statement and the subscribers' balance moves, in one round trip.</summary>
    private static async Task InsertEntriesAndMoveAsync(
        DbConnection connection, DbTransaction tx, List<(long TransactionId, LedgerEntry Entry)> entries,
        IEnumerable<KeyValuePair<long, long>> moves, DateTimeOffset at)
    {
        if (entries.Count == 0)
        {
            return;
        }

        var sql = new StringBuilder("INSERT INTO ledger_entries (transaction_id, ledger_account_id, amount) VALUES ");
        var parameters = new DynamicParameters(new { at });
        for (var i = 0; i < entries.Count; i++)
        {
            sql.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ", ")}(@t{i}, @l{i}, @e{i})");
            parameters.Add($"t{i}", entries[i].TransactionId);
            parameters.Add($"l{i}", entries[i].Entry.LedgerAccountId);
            parameters.Add($"e{i}", entries[i].Entry.Amount.Kopecks);
        }

        sql.Append(';');
        var j = 0;
        foreach (var (account, amount) in moves)
        {
            if (amount != 0)
            {
                sql.Append(CultureInfo.InvariantCulture, $"UPDATE ledger_accounts SET balance = balance + @mv{j}, updated_at = @at WHERE id = @ma{j};");
                parameters.Add($"ma{j}", account);
                parameters.Add($"mv{j}", amount);
                j++;
            }
        }

        await connection.ExecuteAsync(sql.ToString(), parameters, tx);
    }

    /// <summary>
    /// M31 for every account of the group, after its balance moved: as <see cref="AccountStatusWriter.ReevaluateAsync"/>
    /// (rows locked on PostgreSQL, in id order), in one query.
    /// </summary>
    private static async Task ReevaluateAsync(DbConnection connection, DbTransaction tx, List<long> accounts, DateTimeOffset at)
    {
        var lockClause = connection is Npgsql.NpgsqlConnection ? " FOR UPDATE OF a" : "";
        var rows = await connection.QueryAsync<(long Id, long Status, long Balance, long Threshold)>(
            $"SELECT a.id, a.status, la.balance, a.threshold FROM accounts a JOIN ledger_accounts la ON la.id = a.ledger_account_id WHERE {In(connection, "a.id", "accounts")} ORDER BY a.id" + lockClause,
            new { accounts }, tx);
        foreach (var row in rows)
        {
            var current = (AccountStatus)row.Status;
            var next = AccountState.Evaluate(current, new Money(row.Balance), new Money(row.Threshold));
            if (next != current)
            {
                await AccountStatusWriter.SetStatusAsync(connection, tx, row.Id, next, at, next == AccountStatus.Blocked ? "blocked" : "unblocked");
            }
        }
    }

    /// <summary>"column is one of the list": Dapper expands a list for SQLite and sends it as one array to PostgreSQL.</summary>
    private static string In(DbConnection connection, string column, string parameter) =>
        connection is Npgsql.NpgsqlConnection ? $"{column} = ANY(@{parameter})" : $"{column} IN @{parameter}";
}
