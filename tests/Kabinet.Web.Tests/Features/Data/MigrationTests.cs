using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Data.Migrations;
using Kabinet.Web.Tests.Infrastructure;

namespace Kabinet.Web.Tests.Features.Data;

/// <summary>Migrations on a fresh database of each engine: idempotent, and safe when instances start together (M36).</summary>
public abstract class MigrationTests
{
    /// <summary>A new, empty database of the engine under test.</summary>
    protected abstract Task<Database> FreshDatabaseAsync();

    [Fact]
    public async Task Four_migrators_at_once_on_a_fresh_database_all_succeed_and_apply_each_version_once()
    {
        using var database = await FreshDatabaseAsync();
        var migrator = new Migrator(database);
        using var start = new Barrier(4);

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(30));
            return await new Migrator(database).MigrateAsync();
        })));

        var expected = migrator.Scripts.Select(s => s.Version).ToList();
        expected.ShouldNotBeEmpty();
        runs.SelectMany(r => r).OrderBy(v => v).ToList().ShouldBe(expected, "each version is applied by exactly one of the four");
        await using var connection = await database.OpenAsync();
        var versions = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
        versions.ShouldBe(expected);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ledger_accounts")).ShouldBe(6, "the seed rows of the first script went in once");
    }

    [Fact]
    public async Task Migrating_again_applies_nothing_and_changes_nothing()
    {
        using var database = await FreshDatabaseAsync();
        var first = await new Migrator(database).MigrateAsync();
        first.ShouldNotBeEmpty();

        (await new Migrator(database).MigrateAsync()).ShouldBeEmpty();
        (await new Migrator(database).MigrateAsync()).ShouldBeEmpty();
        (await new Migrator(database).AppliedAsync()).ShouldBe(first);
    }

    [Fact]
    public async Task Charge_keys_written_before_0012_are_rewritten_day_first_and_the_journal_is_append_only_again()
    {
        using var database = await FreshDatabaseAsync();
        var migrator = new Migrator(database);
        await using (var connection = await database.OpenAsync())
        {
            // The database as a release before 0012 left it, with charges keyed account-first.
            await using var tx = await Database.BeginWriteAsync(connection);
            await connection.ExecuteAsync("CREATE TABLE schema_migrations (version INT PRIMARY KEY, name TEXT NOT NULL)", transaction: tx);
            foreach (var script in migrator.Scripts.Where(s => s.Version < 12))
            {
                await connection.ExecuteAsync(script.Sql, transaction: tx);
                await connection.ExecuteAsync("INSERT INTO schema_migrations (version, name) VALUES (@Version, @Name)", new { script.Version, script.Name }, tx);
            }

            foreach (var key in new[] { "charge:7:tariff:2026-10-31", "charge:12345:service:3:2026-11-01", "charge:2026:freeze:2026-11-02", "payment:yookassa:abc" })
            {
                await connection.ExecuteAsync(
                    "INSERT INTO ledger_transactions (idempotency_key, kind, occurred_at, description) VALUES (@key, 2, @at, 'old')",
                    new { key, at = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) }, tx);
            }

            await tx.CommitAsync();
        }

        (await migrator.MigrateAsync()).ShouldBe([.. migrator.Scripts.Where(s => s.Version >= 12).Select(s => s.Version)]);

        await using var check = await database.OpenAsync();
        (await check.QueryAsync<string>("SELECT idempotency_key FROM ledger_transactions ORDER BY id")).ShouldBe(
            ["charge:2026-10-31:7:tariff", "charge:2026-11-01:12345:service:3", "charge:2026-11-02:2026:freeze", "payment:yookassa:abc"]);
        var rewrite = () => check.ExecuteAsync("UPDATE ledger_transactions SET description = 'changed'");
        (await Should.ThrowAsync<Exception>(rewrite)).Message.ShouldContain("append-only");
    }
}

public sealed class SqliteMigrationTests : MigrationTests
{
    protected override Task<Database> FreshDatabaseAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "kabinet-tests");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "migrate-" + Guid.NewGuid().ToString("N") + ".db");
        return Task.FromResult(new Database(DatabaseKind.Sqlite, $"Data Source={path}"));
    }
}

[Collection("postgres")]
public sealed class PostgresMigrationTests(PostgresFixture postgres) : MigrationTests
{
    protected override async Task<Database> FreshDatabaseAsync() =>
        new(DatabaseKind.Postgres, await postgres.CreateDatabaseAsync("migrate"));
}
