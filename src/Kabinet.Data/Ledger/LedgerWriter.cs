using System.Data.Common;
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
    public static async Task<PostResult> PostAsync(DbConnection connection, DbTransaction tx, LedgerTransaction transaction)
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
