using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Domain.Ledger;

namespace Kabinet.Data.Ledger;

/// <summary>What happened to a posting.</summary>
public enum PostOutcome
{
    /// <summary>The transaction is now in the journal.</summary>
    Posted = 1,

    /// <summary>A transaction with the same idempotency key was already there; nothing changed.</summary>
    AlreadyPosted = 2,
}

/// <summary>The result of posting: the outcome and the journal id of the transaction.</summary>
public sealed record PostResult(PostOutcome Outcome, long TransactionId);

/// <summary>
/// Writes journal transactions. Idempotency is the database's: the insert of the key either
/// happens or finds the key taken, and then nothing else is written. Cached balances move in the
/// same database transaction as the entries.
/// </summary>
public static class LedgerWriter
{
    /// <summary>
    /// Posts inside the caller's write transaction (begun with <see cref="Database.BeginWriteAsync"/>),
    /// so a money movement and the state change it causes commit together.
    /// </summary>
    public static Task<PostResult> PostAsync(DbConnection connection, DbTransaction tx, LedgerTransaction transaction) =>
        PostAsync(connection, tx, transaction, null);

    /// <summary>
    /// Posts, but when <paramref name="deferredBalances"/> is given, leaves the balance moves of the
    /// provider's own ledger accounts in it instead of making them: those rows (gateway transit,
    /// cash desk) are touched by every payment, so a caller with more to do in its transaction makes
    /// them last with <see cref="MoveBalancesAsync"/>, and holds their row lock (PostgreSQL) only
    /// for the end of it. The caller must move them before it commits.
    /// </summary>
    public static async Task<PostResult> PostAsync(
        DbConnection connection, DbTransaction tx, LedgerTransaction transaction, List<(long LedgerAccountId, long Amount)>? deferredBalances)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(transaction);
        var id = await connection.ExecuteScalarAsync<long?>(
            """
            INSERT INTO ledger_transactions (idempotency_key, kind, account_id, occurred_at, description, reverses_id)
            VALUES (@IdempotencyKey, @Kind, @AccountId, @OccurredAt, @Description, @Reverses)
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING id
            """,
            new
            {
                transaction.IdempotencyKey,
                Kind = (int)transaction.Kind,
                transaction.AccountId,
                transaction.OccurredAt,
                transaction.Description,
                transaction.Reverses,
            },
            tx);

        if (id is null)
        {
            var existing = await connection.ExecuteScalarAsync<long>(
                "SELECT id FROM ledger_transactions WHERE idempotency_key = @key",
                new { key = transaction.IdempotencyKey }, tx);
            return new PostResult(PostOutcome.AlreadyPosted, existing);
        }

        if (deferredBalances is not null)
        {
            // All the entries and the subscribers' balance moves in one round trip.
            var sql = new StringBuilder();
            var parameters = new DynamicParameters(new { id, at = transaction.OccurredAt });
            var i = 0;
            foreach (var entry in transaction.Entries)
            {
                sql.Append(CultureInfo.InvariantCulture, $"INSERT INTO ledger_entries (transaction_id, ledger_account_id, amount) VALUES (@id, @account{i}, @amount{i});");
                if (entry.LedgerAccountId < SystemLedgerAccounts.FirstSubscriberLedgerAccount)
                {
                    deferredBalances.Add((entry.LedgerAccountId, entry.Amount.Kopecks));
                }
                else
                {
                    sql.Append(CultureInfo.InvariantCulture, $"UPDATE ledger_accounts SET balance = balance + @amount{i}, updated_at = @at WHERE id = @account{i};");
                }

                parameters.Add($"account{i}", entry.LedgerAccountId);
                parameters.Add($"amount{i}", entry.Amount.Kopecks);
                i++;
            }

            await connection.ExecuteAsync(sql.ToString(), parameters, tx);
            return new PostResult(PostOutcome.Posted, id.Value);
        }

        foreach (var entry in transaction.Entries)
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO ledger_entries (transaction_id, ledger_account_id, amount) VALUES (@id, @account, @amount);
                UPDATE ledger_accounts SET balance = balance + @amount, updated_at = @at WHERE id = @account;
                """,
                new { id, account = entry.LedgerAccountId, amount = entry.Amount.Kopecks, at = transaction.OccurredAt },
                tx);
        }

        return new PostResult(PostOutcome.Posted, id.Value);
    }

    /// <summary>Makes the balance moves that <see cref="PostAsync(DbConnection, DbTransaction, LedgerTransaction, List{ValueTuple{long, long}})"/> left.</summary>
    /// <remarks>
    /// <paramref name="thenSql"/> (with <paramref name="thenParameters"/>, whose names must not start
    /// with "move") is the caller's last statement, sent in the same round trip.
    /// </remarks>
    public static async Task MoveBalancesAsync(
        DbConnection connection, DbTransaction tx, IEnumerable<(long LedgerAccountId, long Amount)> moves, DateTimeOffset at,
        string? thenSql = null, object? thenParameters = null)
    {
        ArgumentNullException.ThrowIfNull(moves);
        var sql = new StringBuilder();
        var parameters = new DynamicParameters(thenParameters);
        parameters.Add("moveAt", at);
        var i = 0;
        foreach (var (account, amount) in moves)
        {
            sql.Append(CultureInfo.InvariantCulture, $"UPDATE ledger_accounts SET balance = balance + @moveAmount{i}, updated_at = @moveAt WHERE id = @moveAccount{i};");
            parameters.Add($"moveAccount{i}", account);
            parameters.Add($"moveAmount{i}", amount);
            i++;
        }

        sql.Append(thenSql);
        if (sql.Length > 0)
        {
            await connection.ExecuteAsync(sql.ToString(), parameters, tx);
        }
    }

    /// <summary>Posts in a transaction of its own.</summary>
    public static async Task<PostResult> PostAsync(Database database, LedgerTransaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var tx = await Database.BeginWriteAsync(connection, cancellationToken);
        var result = await PostAsync(connection, tx, transaction);
        await tx.CommitAsync(cancellationToken);
        return result;
    }
}
