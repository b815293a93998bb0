using System.Data.Common;
using Dapper;
using Kabinet.Domain.Billing;
using Kabinet.Domain.Money;
using Kabinet.Domain.Subscribers;

namespace Kabinet.Web.Features.Billing;

/// <summary>
/// Puts an account's status where its balance says (M31) and records every change in the
/// account_events outbox in the same database transaction, for the network and notifications.
/// </summary>
public static class AccountStatusWriter
{
    /// <summary>Records an event about an account (tariff changed, Turbo bought, ...).</summary>
    public static Task<int> RecordAsync(DbConnection connection, DbTransaction tx, long accountId, string kind, DateTimeOffset at, string details = "") =>
        connection.ExecuteAsync(
            "INSERT INTO account_events (account_id, kind, occurred_at, details) VALUES (@accountId, @kind, @at, @details)",
            new { accountId, kind, at, details }, tx);

    /// <summary>
    /// Re-evaluates one account after its balance moved. On PostgreSQL the row is locked first, so
    /// a charge and a payment arriving together cannot leave a paid account blocked.
    /// </summary>
    public static async Task<AccountStatus> ReevaluateAsync(DbConnection connection, DbTransaction tx, long accountId, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var lockClause = connection is Npgsql.NpgsqlConnection ? " FOR UPDATE OF a" : "";
        var row = await connection.QuerySingleAsync<(long Status, long Balance, long Threshold)>(
            "SELECT a.status, la.balance, a.threshold FROM accounts a JOIN ledger_accounts la ON la.id = a.ledger_account_id WHERE a.id = @accountId" + lockClause,
            new { accountId }, tx);
        var current = (AccountStatus)row.Status;
        var next = AccountState.Evaluate(current, new Money(row.Balance), new Money(row.Threshold));
        if (next != current)
        {
            await SetStatusAsync(connection, tx, accountId, next, at, next == AccountStatus.Blocked ? "blocked" : "unblocked");
        }

        return next;
    }

    /// <summary>Sets a status and records the event.</summary>
    public static async Task SetStatusAsync(DbConnection connection, DbTransaction tx, long accountId, AccountStatus status, DateTimeOffset at, string kind)
    {
        await connection.ExecuteAsync("UPDATE accounts SET status = @status WHERE id = @accountId", new { status = (int)status, accountId }, tx);
        await RecordAsync(connection, tx, accountId, kind, at);
    }
}
