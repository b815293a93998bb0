using Dapper;
using Kabinet.Data.Connections;

namespace Kabinet.Web.Features.Ledger;

/// <summary>
/// The <c>verify-ledger</c> check (M29): every transaction sums to zero and has at least two
/// entries, every cached balance equals its journal sum, and no account is charged twice for one
/// item and billing day. A repeated idempotency key needs no check: the UNIQUE constraint refuses
/// it. The same charge under two different keys gets past it, e.g. a key in the older
/// "charge:&lt;account&gt;:&lt;item&gt;:&lt;day&gt;" form (rewritten by migration 0012) written by an
/// instance still on the old code beside the current "charge:&lt;day&gt;:&lt;account&gt;:&lt;item&gt;".
/// </summary>
public sealed class LedgerVerifier(Database database)
{
    /// <summary>
    /// Charges grouped by (billing day, "account:item") read from either key form, those of a
    /// group more than once. A new key has the day's '-' as its 12th character, an old one ends in
    /// the day. Charges taken back by a reversal do not count.
    /// </summary>
    private const string RepeatedChargesSql = """
        SELECT day, account_item, COUNT(*) FROM (
            SELECT CASE WHEN substr(t.idempotency_key, 12, 1) = '-' THEN substr(t.idempotency_key, 8, 10)
                        ELSE substr(t.idempotency_key, length(t.idempotency_key) - 9, 10) END AS day,
                   CASE WHEN substr(t.idempotency_key, 12, 1) = '-' THEN substr(t.idempotency_key, 19)
                        ELSE substr(t.idempotency_key, 8, length(t.idempotency_key) - 18) END AS account_item
            FROM ledger_transactions t
            LEFT JOIN (SELECT DISTINCT reverses_id FROM ledger_transactions WHERE reverses_id IS NOT NULL) r ON r.reverses_id = t.id
            WHERE t.kind = 2 AND t.idempotency_key LIKE 'charge:%' AND length(t.idempotency_key) > 18 AND r.reverses_id IS NULL
        ) c
        GROUP BY day, account_item
        HAVING COUNT(*) > 1
        ORDER BY day, account_item
        """;

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

        foreach (var (day, accountItem, times) in await connection.QueryAsync<(string, string, long)>(RepeatedChargesSql, commandTimeout: 3600))
        {
            var keys = await connection.QueryAsync<string>(
                "SELECT idempotency_key FROM ledger_transactions WHERE idempotency_key IN (@dayFirst, @dayLast) ORDER BY id",
                new { dayFirst = $"charge:{day}:{accountItem}", dayLast = $"charge:{accountItem}:{day}" });
            var colon = accountItem.IndexOf(':', StringComparison.Ordinal);
            var (account, item) = colon < 0 ? (accountItem, "?") : (accountItem[..colon], accountItem[(colon + 1)..]);
            problems.Add($"account {account}, {item}: billing day {day} is charged {times} times ({string.Join(", ", keys)})");
        }

        return problems;
    }
}
