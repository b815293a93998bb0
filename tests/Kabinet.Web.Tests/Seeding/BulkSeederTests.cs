using System.Data.Common;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Data.Ledger;
using Kabinet.Data.Migrations;
using Kabinet.Data.Seeding;
using Kabinet.Domain.Ledger;
using Kabinet.Domain.Money;
using Kabinet.Domain.Subscribers;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Kabinet.Web.Tests.Seeding;

public sealed class BulkSeederSqliteTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"kabinet-bulk-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task Bulk_seed_adds_consistent_subscribers_twice_on_sqlite()
    {
        using var database = new Database(DatabaseKind.Sqlite, $"Data Source={_file}");
        await BulkSeederScenario.RunAsync(database);
    }

    [Fact]
    public async Task Bulk_seed_without_a_catalogue_asks_for_the_demo_catalogue()
    {
        using var database = new Database(DatabaseKind.Sqlite, $"Data Source={_file}");
        await new Migrator(database).MigrateAsync();

        var error = await Should.ThrowAsync<InvalidOperationException>(
            () => BulkSeeder.SeedAsync(database, 10, "hash", BulkSeederScenario.Now));

        error.Message.ShouldBe("seed the demo catalogue first");
        await using var connection = await database.OpenAsync();
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM subscribers")).ShouldBe(0);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var path in new[] { _file, _file + "-wal", _file + "-shm" })
        {
            File.Delete(path);
        }
    }
}

[Collection("postgres")]
public sealed class BulkSeederPostgresTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Bulk_seed_adds_consistent_subscribers_twice_on_postgres()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync("bulk_seed_" + Guid.NewGuid().ToString("N"));
        using var database = new Database(DatabaseKind.Postgres, connectionString);
        await BulkSeederScenario.RunAsync(database);

        // The identities were moved past the explicit ids: the application's own inserts still work.
        await using var connection = await database.OpenAsync();
        var next = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO subscribers (kind, full_name, created_at) VALUES (1, 'Новый Абонент', now()) RETURNING id");
        next.ShouldBeGreaterThan(await connection.ExecuteScalarAsync<long>("SELECT MAX(id) FROM contracts"));
    }
}

/// <summary>The same story on each engine: a database with a little demo data, seeded twice.</summary>
internal static class BulkSeederScenario
{
    public static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);

    private const int Batch = 2_000;
    private const string Hash = "AQAAAAIAAYagAAAAEshared-hash-for-load-tests";
    private const long ExistingContract = 100_000_000_042;

    public static async Task RunAsync(Database database)
    {
        await new Migrator(database).MigrateAsync();
        await InsertCatalogueAndOneSubscriberAsync(database);

        var first = await BulkSeeder.SeedAsync(database, Batch, Hash, Now);

        first.Subscribers.ShouldBe(Batch);
        first.FirstContractNumber.ShouldBe(ExistingContract + 1);
        first.LastContractNumber.ShouldBe(ExistingContract + Batch);
        await CheckAsync(database, Batch);

        var messages = new List<string>();
        var second = await BulkSeeder.SeedAsync(database, Batch, Hash, Now.AddDays(1), messages.Add);

        second.FirstContractNumber.ShouldBe(first.LastContractNumber + 1);
        second.LastContractNumber.ShouldBe(first.LastContractNumber + Batch);
        messages.ShouldNotBeEmpty();
        await CheckAsync(database, 2 * Batch);
    }

    private static async Task CheckAsync(Database database, int seeded)
    {
        await using var connection = await database.OpenAsync();
        async Task<long> Count(string sql) => await connection.ExecuteScalarAsync<long>(sql);

        // The one subscriber that was there before, plus the seeded ones.
        (await Count("SELECT COUNT(*) FROM subscribers")).ShouldBe(seeded + 1);
        (await Count("SELECT COUNT(*) FROM contracts")).ShouldBe(seeded + 1);
        (await Count("SELECT COUNT(*) FROM accounts")).ShouldBe(seeded + 1);
        (await Count("SELECT COUNT(*) FROM access_points")).ShouldBe(seeded);
        (await Count("SELECT COUNT(*) FROM ledger_accounts WHERE kind = 1 AND id >= 1000")).ShouldBe(seeded + 1);
        (await Count("SELECT COUNT(*) FROM ledger_transactions")).ShouldBe((3 * seeded) + 1);
        (await Count("SELECT COUNT(*) FROM ledger_entries")).ShouldBe((6 * seeded) + 2);
        (await Count("SELECT COUNT(*) FROM ledger_transactions WHERE idempotency_key LIKE 'charge:____-__-__:%:tariff'")).ShouldBe(2 * seeded);
        (await Count("SELECT COUNT(*) FROM ledger_transactions WHERE idempotency_key LIKE 'seed-payment:%'")).ShouldBe(seeded);

        var numbers = (await connection.QueryAsync<string>("SELECT number FROM contracts")).ToList();
        numbers.Distinct(StringComparer.Ordinal).Count().ShouldBe(numbers.Count);
        numbers.Where(n => n.Length != 12 || !n.All(char.IsAsciiDigit) || !ContractNumber.TryParse(n, out var _)).ShouldBeEmpty();

        (await Count(
            """
            SELECT COUNT(*) FROM (
                SELECT transaction_id FROM ledger_entries GROUP BY transaction_id HAVING SUM(amount) <> 0
            ) unbalanced
            """)).ShouldBe(0, "every transaction's entries sum to zero");
        (await Count(
            """
            SELECT COUNT(*) FROM ledger_accounts la
            WHERE la.balance <> COALESCE((SELECT SUM(e.amount) FROM ledger_entries e WHERE e.ledger_account_id = la.id), 0)
            """)).ShouldBe(0, "every cached balance equals the sum of its entries");
        (await Count("SELECT COUNT(*) FROM ledger_accounts WHERE id IN (1, 2) AND balance = 0")).ShouldBe(0);

        // Foreign keys are not checked during the load, so every reference is checked here.
        string[] orphans =
        [
            "SELECT COUNT(*) FROM contracts c LEFT JOIN subscribers s ON s.id = c.subscriber_id WHERE s.id IS NULL",
            "SELECT COUNT(*) FROM accounts a LEFT JOIN contracts c ON c.id = a.contract_id WHERE c.id IS NULL",
            "SELECT COUNT(*) FROM accounts a LEFT JOIN ledger_accounts l ON l.id = a.ledger_account_id WHERE l.id IS NULL",
            "SELECT COUNT(*) FROM accounts a LEFT JOIN tariffs t ON t.id = a.tariff_id WHERE t.id IS NULL",
            "SELECT COUNT(*) FROM access_points p LEFT JOIN accounts a ON a.id = p.account_id WHERE a.id IS NULL",
            "SELECT COUNT(*) FROM ledger_transactions t LEFT JOIN accounts a ON a.id = t.account_id WHERE a.id IS NULL",
            "SELECT COUNT(*) FROM ledger_entries e LEFT JOIN ledger_transactions t ON t.id = e.transaction_id WHERE t.id IS NULL",
            "SELECT COUNT(*) FROM ledger_entries e LEFT JOIN ledger_accounts l ON l.id = e.ledger_account_id WHERE l.id IS NULL",
        ];
        foreach (var sql in orphans)
        {
            (await Count(sql)).ShouldBe(0, sql);
        }

        // Only active individual internet or bundle tariffs, and each account's entries are its own.
        (await Count(
            """
            SELECT COUNT(*) FROM accounts a JOIN tariffs t ON t.id = a.tariff_id
            WHERE t.is_archived = TRUE OR t.audience <> 1 OR t.category NOT IN (1, 3)
            """)).ShouldBe(0);
        (await Count(
            """
            SELECT COUNT(*) FROM ledger_entries e
            JOIN ledger_transactions t ON t.id = e.transaction_id
            JOIN accounts a ON a.id = t.account_id
            WHERE e.ledger_account_id >= 1000 AND e.ledger_account_id <> a.ledger_account_id
            """)).ShouldBe(0);
        (await Count("SELECT COUNT(*) FROM accounts WHERE title = 'Интернет' AND number = (SELECT c.number FROM contracts c WHERE c.id = accounts.contract_id) || '-1'"))
            .ShouldBe(seeded + 1);
    }

    /// <summary>A small catalogue and one subscriber with a payment, as a demo database would have.</summary>
    private static async Task InsertCatalogueAndOneSubscriberAsync(Database database)
    {
        await using (var connection = await database.OpenAsync())
        {
            await using var tx = await Database.BeginWriteAsync(connection);
            await connection.ExecuteAsync(
                """
                INSERT INTO tariffs (code, name_ru, name_en, category, audience, monthly_fee, down_kbps, up_kbps, charge_mode, is_archived) VALUES
                    ('home-100', 'Домашний 100', 'Home 100', 1, 1, 50000, 100000, 100000, 1, FALSE),
                    ('bundle-300', 'Интернет + ТВ', 'Internet + TV', 3, 1, 99000, 300000, 300000, 1, FALSE),
                    ('tv-only', 'Только ТВ', 'TV only', 2, 1, 40000, NULL, NULL, 1, FALSE),
                    ('office-200', 'Офис 200', 'Office 200', 1, 2, 300000, 200000, 200000, 1, FALSE),
                    ('old-20', 'Старый 20', 'Old 20', 1, 1, 30000, 20000, 20000, 1, TRUE),
                    ('free-10', 'Социальный', 'Social', 1, 1, 0, 10000, 10000, 1, FALSE)
                """,
                transaction: tx);
            var at = Now.AddDays(-30);
            var subscriber = await InsertAsync(connection, tx,
                "INSERT INTO subscribers (kind, full_name, phone, email, created_at) VALUES (1, 'Иванов Иван Петрович', '+79130000001', 'demo@kabinet.local', @at) RETURNING id",
                new { at });
            var contract = await InsertAsync(connection, tx,
                "INSERT INTO contracts (number, subscriber_id, password_hash, security_stamp, signed_on, created_at) VALUES (@number, @subscriber, 'x', 'y', @day, @at) RETURNING id",
                new { number = ExistingContract.ToString(System.Globalization.CultureInfo.InvariantCulture), subscriber, day = DateOnly.FromDateTime(at.UtcDateTime), at });
            var ledgerAccount = await InsertAsync(connection, tx,
                "INSERT INTO ledger_accounts (kind, name, balance, updated_at) VALUES (1, 'demo', 0, @at) RETURNING id",
                new { at });
            var account = await InsertAsync(connection, tx,
                "INSERT INTO accounts (contract_id, number, title, ledger_account_id, tariff_id, status, created_at) VALUES (@contract, '100000000042-1', 'Интернет', @ledgerAccount, 1, 1, @at) RETURNING id",
                new { contract, ledgerAccount, at });
            var payment = LedgerTransaction.Create(
                "demo-payment", TransactionKind.Payment, account, at, "Оплата",
                [new LedgerEntry(SystemLedgerAccounts.CashDesk, new Money(-70_000)), new LedgerEntry(ledgerAccount, new Money(70_000))]).Value;
            await LedgerWriter.PostAsync(connection, tx, payment);
            await tx.CommitAsync();
        }
    }

    private static async Task<long> InsertAsync(DbConnection connection, DbTransaction tx, string sql, object parameters) =>
        await connection.ExecuteScalarAsync<long>(sql, parameters, tx);
}
