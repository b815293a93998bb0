using System.Data.Common;
using System.Globalization;
using System.Reflection;
using Dapper;
using Kabinet.Data.Connections;

namespace Kabinet.Data.Migrations;

/// <summary>
/// Applies the numbered SQL scripts under Migrations/&lt;engine&gt;/ in order, each once. Safe when
/// several instances start together: PostgreSQL serialises them on an advisory lock, SQLite on its
/// write lock (BEGIN IMMEDIATE), and whoever comes second finds the work done.
/// </summary>
public sealed class Migrator(Database database)
{
    // An arbitrary constant: the advisory lock that only Kabinet's migrator takes.
    private const long PostgresLockKey = 0x4B61_6269_6E65_74;

    /// <summary>The scripts for this engine, in version order.</summary>
    public IReadOnlyList<MigrationScript> Scripts { get; } = LoadScripts(database.Kind);

    /// <summary>Applies what is missing and returns the versions it applied.</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (database.Kind == DatabaseKind.Sqlite)
        {
            // WAL lets readers go on while one writer writes; it cannot be set inside a transaction.
            await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
            await using var tx = await Database.BeginWriteAsync(connection, cancellationToken);
            var applied = await ApplyPendingAsync(connection, tx, cancellationToken);
            await tx.CommitAsync(cancellationToken);
            return applied;
        }

        await connection.ExecuteAsync("SELECT pg_advisory_lock(@key)", new { key = PostgresLockKey });
        try
        {
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            var applied = await ApplyPendingAsync(connection, tx, cancellationToken);
            await tx.CommitAsync(cancellationToken);
            return applied;
        }
        finally
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = PostgresLockKey });
        }
    }

    /// <summary>The versions already applied.</summary>
    public async Task<IReadOnlyList<int>> AppliedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await EnsureHistoryTableAsync(connection, null);
        return (await connection.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
    }

    private async Task<IReadOnlyList<int>> ApplyPendingAsync(DbConnection connection, DbTransaction tx, CancellationToken cancellationToken)
    {
        await EnsureHistoryTableAsync(connection, tx);
        var done = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations", transaction: tx)).ToHashSet();
        var applied = new List<int>();
        foreach (var script in Scripts.Where(s => !done.Contains(s.Version)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await connection.ExecuteAsync(script.Sql, transaction: tx, commandTimeout: 600);
            await connection.ExecuteAsync(
                "INSERT INTO schema_migrations (version, name) VALUES (@Version, @Name)",
                new { script.Version, script.Name }, tx);
            applied.Add(script.Version);
        }

        return applied;
    }

    private static Task<int> EnsureHistoryTableAsync(DbConnection connection, DbTransaction? tx) =>
        connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INT PRIMARY KEY, name TEXT NOT NULL)",
            transaction: tx);

    private static List<MigrationScript> LoadScripts(DatabaseKind kind)
    {
        var assembly = typeof(Migrator).Assembly;
        var prefix = $"{assembly.GetName().Name}.Migrations.{(kind == DatabaseKind.Sqlite ? "sqlite" : "postgres")}.";
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var name = resource[prefix.Length..^".sql".Length];
            var version = int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
            scripts.Add(new MigrationScript(version, name, Read(assembly, resource)));
        }

        return scripts.OrderBy(s => s.Version).ToList();
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>One numbered schema script.</summary>
public sealed record MigrationScript(int Version, string Name, string Sql);
