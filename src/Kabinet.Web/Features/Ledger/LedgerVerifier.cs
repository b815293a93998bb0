using Dapper;
using Kabinet.Data.Connections;

namespace Kabinet.Web.Features.Ledger;

/// <summary>
/// The <c>verify-ledger</c> check (M29): every transaction sums to zero and has at least two
/// entries, every cached balance equals its journal sum, no idempotency key repeats.
/// </summary>
public sealed class LedgerVerifier(Database database)
{
    /// <summary>Runs every check and returns what is wrong (empty when all is well).</summary>
    public async Task<IReadOnlyList<string>> VerifyAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var problems = new List<string>();
        foreach (var (id, sum) in await connection.QueryAsync<(long, long)>(
            "SELECT transaction_id, SUM(amount) FROM ledger_entries GROUP BY transaction_id HAVING SUM(amount) <> 0", commandTimeout: 3600))
        {
            problems.Add($"transaction {id} does not sum to zero: {sum} kopecks");
        }

        foreach (var (id, count) in await connection.QueryAsync<(long, long)>(
            "SELECT t.id, COUNT(e.id) FROM ledger_transactions t LEFT JOIN ledger_entries e ON e.transaction_id = t.id GROUP BY t.id HAVING COUNT(e.id) < 2",
            commandTimeout: 3600))
        {
            problems.Add($"transaction {id} has {count} entries");
        }

        foreach (var (id, cached, journal) in await connection.QueryAsync<(long, long, long)>(
            """
            SELECT la.id, la.balance, COALESCE(s.total, 0)
            FROM ledger_accounts la
            LEFT JOIN (SELECT ledger_account_id, SUM(amount) AS total FROM ledger_entries GROUP BY ledger_account_id) s
                   ON s.ledger_account_id = la.id
            WHERE la.balance <> COALESCE(s.total, 0)
            """, commandTimeout: 3600))
        {
            problems.Add($"ledger account {id}: cached balance {cached} but the journal sums to {journal}");
        }

        foreach (var (key, count) in await connection.QueryAsync<(string, long)>(
            "SELECT idempotency_key, COUNT(*) FROM ledger_transactions GROUP BY idempotency_key HAVING COUNT(*) > 1", commandTimeout: 3600))
        {
            problems.Add($"idempotency key {key} is used {count} times");
        }

        return problems;
    }
}
