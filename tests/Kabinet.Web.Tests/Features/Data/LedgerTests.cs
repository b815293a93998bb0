using System.Data.Common;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Kabinet.Data.Ledger;
using Kabinet.Domain.Ledger;
using Kabinet.Domain.Money;
using Kabinet.Web.Tests.Infrastructure;

namespace Kabinet.Web.Tests.Features.Data;

/// <summary>The journal the demo seed wrote, checked in SQL on each engine (M29).</summary>
public abstract class LedgerTests(KabinetFactory factory)
{
    [Theory]
    [InlineData("UPDATE ledger_entries SET amount = amount + 1 WHERE id = (SELECT MIN(id) FROM ledger_entries)")]
    [InlineData("DELETE FROM ledger_entries WHERE id = (SELECT MIN(id) FROM ledger_entries)")]
    [InlineData("UPDATE ledger_transactions SET description = 'edited' WHERE id = (SELECT MIN(id) FROM ledger_transactions)")]
    [InlineData("DELETE FROM ledger_transactions WHERE id = (SELECT MAX(id) FROM ledger_transactions)")]
    public async Task Ledger_is_append_only(string sql)
    {
        factory.CreateClient().Dispose();
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        var before = await FingerprintAsync(connection);

        var error = await Should.ThrowAsync<DbException>(() => connection.ExecuteAsync(sql));
        error.Message.ShouldContain("append-only");
        (await FingerprintAsync(connection)).ShouldBe(before);
    }

    [Fact]
    public async Task Every_demo_transaction_sums_to_zero()
    {
        factory.CreateClient().Dispose();
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();

        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ledger_transactions")).ShouldBeGreaterThan(100);
        var unbalanced = await connection.QueryAsync<long>(
            "SELECT transaction_id FROM ledger_entries GROUP BY transaction_id HAVING SUM(amount) <> 0 OR COUNT(*) < 2");
        unbalanced.ShouldBeEmpty();
        var empty = await connection.QueryAsync<long>(
            "SELECT t.id FROM ledger_transactions t WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.transaction_id = t.id)");
        empty.ShouldBeEmpty();
    }

    [Fact]
    public async Task Every_cached_balance_equals_the_sum_of_its_entries()
    {
        factory.CreateClient().Dispose();
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();

        var drifted = await connection.QueryAsync<long>(
            """
            SELECT la.id FROM ledger_accounts la
            LEFT JOIN (SELECT ledger_account_id, SUM(amount) AS total FROM ledger_entries GROUP BY ledger_account_id) e
                ON e.ledger_account_id = la.id
            WHERE la.balance <> COALESCE(e.total, 0)
            """);
        drifted.ShouldBeEmpty();
        (await connection.ExecuteScalarAsync<long>("SELECT SUM(balance) FROM ledger_accounts")).ShouldBe(0);
    }

    [Fact]
    public async Task Api_balance_is_the_sum_of_the_accounts_entries()
    {
        using var client = await factory.ApiClientAsync(Cabinet.DemoContract, Cabinet.DemoPassword);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/me");

        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        foreach (var account in me.GetProperty("accounts").EnumerateArray())
        {
            var sum = await connection.ExecuteScalarAsync<long>(
                """
                SELECT COALESCE(SUM(e.amount), 0) FROM accounts a
                JOIN ledger_entries e ON e.ledger_account_id = a.ledger_account_id
                WHERE a.id = @id
                """,
                new { id = account.GetProperty("id").GetInt64() });
            account.GetProperty("balance").GetString().ShouldBe(new Money(sum).ToString());
        }
    }

    [Fact]
    public async Task Posting_the_same_idempotency_key_twice_records_once()
    {
        factory.CreateClient().Dispose();
        var ledgerAccount = await LedgerAccountOfFirstDemoAccountAsync();
        var key = "test-payment:" + Guid.NewGuid().ToString("N");
        var payment = LedgerTransaction.Transfer(
            key, TransactionKind.Payment, null, TimeProvider.System.GetUtcNow(), "test payment",
            SystemLedgerAccounts.CashDesk, ledgerAccount, new Money(12_345)).Value;
        using var database = factory.OpenDatabase();

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => LedgerWriter.PostAsync(database, payment)));

        results.Count(r => r.Outcome == PostOutcome.Posted).ShouldBe(1);
        results.Select(r => r.TransactionId).Distinct().Count().ShouldBe(1);
        await using var connection = await database.OpenAsync();
        (await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id WHERE t.idempotency_key = @key",
            new { key })).ShouldBe(2);
        var drifted = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM ledger_accounts la WHERE la.balance <> (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries e WHERE e.ledger_account_id = la.id)");
        drifted.ShouldBe(0);
    }

    private async Task<long> LedgerAccountOfFirstDemoAccountAsync()
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT a.ledger_account_id FROM accounts a JOIN contracts c ON c.id = a.contract_id WHERE c.number = @number ORDER BY a.id LIMIT 1",
            new { number = Cabinet.DemoContract });
    }

    private static Task<(long Count, long Sum)> FingerprintAsync(DbConnection connection) =>
        connection.QuerySingleAsync<(long, long)>(
            "SELECT (SELECT COUNT(*) FROM ledger_transactions) + (SELECT COUNT(*) FROM ledger_entries), (SELECT COALESCE(SUM(ABS(amount)), 0) FROM ledger_entries)");
}

public sealed class SqliteLedgerTests(SqliteApp app) : LedgerTests(app.Factory), IClassFixture<SqliteApp>;

[Collection("postgres")]
public sealed class PostgresLedgerTests(PostgresApp app) : LedgerTests(app.Factory), IClassFixture<PostgresApp>;
