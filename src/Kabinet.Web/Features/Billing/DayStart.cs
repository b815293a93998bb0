using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Data.Ledger;
using Kabinet.Domain.Ledger;
using Kabinet.Domain.Money;
using Kabinet.Domain.Subscribers;

namespace Kabinet.Web.Features.Billing;

/// <summary>
/// What happens at the start of a billing day, before its charges: pending tariff changes take
/// effect, freezes begin and end, and promised payments past their due date are withdrawn. Each
/// change is its own small transaction with its outbox event; repeating a day finds nothing left.
/// </summary>
public sealed class DayStart(Database database)
{
    /// <summary>Applies the day's scheduled changes.</summary>
    public async Task ApplyAsync(DateOnly day, DateTimeOffset at, CancellationToken ct)
    {
        await ApplyTariffChangesAsync(day, at, ct);
        await EndFreezesAsync(day, at, ct);
        await StartFreezesAsync(day, at, ct);
        await ExpirePromisedPaymentsAsync(day, at, ct);
    }

    private async Task ApplyTariffChangesAsync(DateOnly day, DateTimeOffset at, CancellationToken ct)
    {
        foreach (var change in await PendingAsync<(long Id, long AccountId, long ToTariffId)>(
            "SELECT id, account_id, to_tariff_id FROM tariff_changes WHERE status = 1 AND effective_on <= @day", day, ct))
        {
            await using var connection = await database.OpenAsync(ct);
            await using var tx = await Database.BeginWriteAsync(connection, ct);
            var applied = await connection.ExecuteAsync(
                "UPDATE tariff_changes SET status = 2, closed_at = @at WHERE id = @Id AND status = 1", new { change.Id, at }, tx);
            if (applied == 1)
            {
                await connection.ExecuteAsync(
                    "UPDATE accounts SET tariff_id = @ToTariffId, tariff_since = @day WHERE id = @AccountId",
                    new { change.ToTariffId, day, change.AccountId }, tx);
                await AccountStatusWriter.RecordAsync(connection, tx, change.AccountId, "tariff_changed", at, $"tariff={change.ToTariffId}");
            }

            await tx.CommitAsync(ct);
        }
    }

    private async Task EndFreezesAsync(DateOnly day, DateTimeOffset at, CancellationToken ct)
    {
        foreach (var freeze in await PendingAsync<(long Id, long AccountId)>(
            "SELECT id, account_id FROM freezes WHERE status = 1 AND ends_on < @day", day, ct))
        {
            await using var connection = await database.OpenAsync(ct);
            await using var tx = await Database.BeginWriteAsync(connection, ct);
            if (await connection.ExecuteAsync("UPDATE freezes SET status = 2, closed_at = @at WHERE id = @Id AND status = 1", new { freeze.Id, at }, tx) == 1)
            {
                await ResumeAsync(connection, tx, freeze.AccountId, at);
            }

            await tx.CommitAsync(ct);
        }
    }

    /// <summary>Ends a freeze's effect on the account: active again, or blocked if the balance says so.</summary>
    internal static async Task ResumeAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, long accountId, DateTimeOffset at)
    {
        var updated = await connection.ExecuteAsync(
            "UPDATE accounts SET status = @active WHERE id = @accountId AND status = @frozen",
            new { active = (int)AccountStatus.Active, frozen = (int)AccountStatus.Frozen, accountId }, tx);
        if (updated == 1)
        {
            await AccountStatusWriter.RecordAsync(connection, tx, accountId, "unfrozen", at);
            await AccountStatusWriter.ReevaluateAsync(connection, tx, accountId, at);
        }
    }

    private async Task StartFreezesAsync(DateOnly day, DateTimeOffset at, CancellationToken ct)
    {
        foreach (var freeze in await PendingAsync<(long Id, long AccountId)>(
            "SELECT f.id, f.account_id FROM freezes f JOIN accounts a ON a.id = f.account_id WHERE f.status = 1 AND f.starts_on <= @day AND f.ends_on >= @day AND a.status IN (1, 2)",
            day, ct))
        {
            await using var connection = await database.OpenAsync(ct);
            await using var tx = await Database.BeginWriteAsync(connection, ct);
            var updated = await connection.ExecuteAsync(
                "UPDATE accounts SET status = @frozen WHERE id = @AccountId AND status IN (1, 2)",
                new { frozen = (int)AccountStatus.Frozen, freeze.AccountId }, tx);
            if (updated == 1)
            {
                await AccountStatusWriter.RecordAsync(connection, tx, freeze.AccountId, "frozen", at, $"freeze={freeze.Id}");
            }

            await tx.CommitAsync(ct);
        }
    }

    private async Task ExpirePromisedPaymentsAsync(DateOnly day, DateTimeOffset at, CancellationToken ct)
    {
        // Due on D means usable through D; the run of D+1 withdraws what is still owed.
        foreach (var promised in await PendingAsync<(long Id, long AccountId, long LedgerAccountId, long Outstanding)>(
            """
            SELECT p.id, p.account_id, a.ledger_account_id, p.outstanding
            FROM promised_payments p JOIN accounts a ON a.id = p.account_id
            WHERE p.status = 1 AND p.due_on < @day
            """, day, ct))
        {
            await using var connection = await database.OpenAsync(ct);
            await using var tx = await Database.BeginWriteAsync(connection, ct);
            if (await connection.ExecuteAsync(
                "UPDATE promised_payments SET status = 3, outstanding = 0, closed_at = @at WHERE id = @Id AND status = 1",
                new { promised.Id, at }, tx) == 1 && promised.Outstanding > 0)
            {
                var withdrawal = LedgerTransaction.Transfer(
                    $"promised-expire:{promised.Id}", TransactionKind.PromisedPayment, promised.AccountId, at,
                    "Списание непогашенного обещанного платежа", promised.LedgerAccountId, SystemLedgerAccounts.PromisedCredit,
                    new Money(promised.Outstanding)).Value;
                await LedgerWriter.PostAsync(connection, tx, withdrawal);
                await AccountStatusWriter.RecordAsync(connection, tx, promised.AccountId, "promised_expired", at, $"promised={promised.Id}");
                await AccountStatusWriter.ReevaluateAsync(connection, tx, promised.AccountId, at);
            }

            await tx.CommitAsync(ct);
        }
    }

    private async Task<List<T>> PendingAsync<T>(string sql, DateOnly day, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<T>(sql, new { day })).ToList();
    }
}
