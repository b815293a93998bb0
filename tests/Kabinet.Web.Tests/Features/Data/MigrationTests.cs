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
