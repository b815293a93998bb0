using System.Security.Cryptography;
using System.Text;
using Dapper;
using Kabinet.Data.Connections;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Kabinet.Web.Integrations.Sandbox;

/// <summary>
/// The sandbox acquirer's own SQLite file. The sandbox stands in for the bank, so its records live
/// apart from the provider's database (as the real acquirer's do): the billing database holds only
/// the provider's records and does not carry the bank's share of the load, while the sandbox's
/// state still survives a restart of Kabinet (see docs/decisions/0008).
/// </summary>
public sealed class SandboxDatabase : IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS sandbox_payments (
            id TEXT PRIMARY KEY,
            shop_id TEXT NOT NULL,
            idempotence_key TEXT NOT NULL,
            amount INTEGER NOT NULL,
            status TEXT NOT NULL,
            paid BOOLEAN NOT NULL DEFAULT FALSE,
            capture BOOLEAN NOT NULL DEFAULT TRUE,
            description TEXT NOT NULL DEFAULT '',
            metadata TEXT NOT NULL DEFAULT '{}',
            receipt TEXT,
            return_url TEXT,
            method_type TEXT NOT NULL,
            save_method BOOLEAN NOT NULL DEFAULT FALSE,
            method_id TEXT,
            card_last4 TEXT,
            cancel_reason TEXT,
            refunded INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            awaiting_3ds BOOLEAN NOT NULL DEFAULT FALSE,
            capture_key TEXT,
            recurring_decline TEXT,
            UNIQUE (shop_id, idempotence_key)
        );
        CREATE INDEX IF NOT EXISTS ix_sandbox_payments_method ON sandbox_payments (shop_id, method_id);
        CREATE TABLE IF NOT EXISTS sandbox_refunds (
            id TEXT PRIMARY KEY,
            payment_id TEXT NOT NULL REFERENCES sandbox_payments (id),
            idempotence_key TEXT NOT NULL UNIQUE,
            amount INTEGER NOT NULL,
            created_at TEXT NOT NULL
        );
        """;

    // Columns added after the first release: a file made before them gets them on first use.
    private static readonly (string Name, string Definition)[] Added =
    [
        ("awaiting_3ds", "BOOLEAN NOT NULL DEFAULT FALSE"),
        ("capture_key", "TEXT"),
        ("recurring_decline", "TEXT"),
    ];

    private readonly Database _database;
    private readonly Lazy<Task> _schema;

    public SandboxDatabase(Database kabinet, IOptions<SandboxOptions> options)
    {
        ArgumentNullException.ThrowIfNull(kabinet);
        ArgumentNullException.ThrowIfNull(options);
        Path = string.IsNullOrWhiteSpace(options.Value.DatabasePath) ? DefaultPath(kabinet) : options.Value.DatabasePath;
        // Written at every payment's start and end, read between: no memory map (see Database).
        _database = new Database(DatabaseKind.Sqlite, new SqliteConnectionStringBuilder { DataSource = Path }.ToString(), memoryMappedReads: false);
        _schema = new Lazy<Task>(CreateSchemaAsync);
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The sandbox's store, its tables created on first use.</summary>
    public async Task<Database> GetAsync()
    {
        await _schema.Value;
        return _database;
    }

    /// <inheritdoc />
    public void Dispose() => _database.Dispose();

    /// <summary>
    /// Beside Kabinet's SQLite file (kabinet.db: kabinet.sandbox.db); on PostgreSQL in the temp
    /// directory, named after the server and database, so two Kabinets on one machine keep theirs apart.
    /// </summary>
    private static string DefaultPath(Database kabinet)
    {
        if (kabinet.Kind == DatabaseKind.Sqlite)
        {
            var file = new SqliteConnectionStringBuilder(kabinet.ConnectionString).DataSource;
            return System.IO.Path.ChangeExtension(System.IO.Path.GetFullPath(file), null) + ".sandbox.db";
        }

        var server = new NpgsqlConnectionStringBuilder(kabinet.ConnectionString);
        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{server.Host}:{server.Port}/{server.Database}")))[..16];
        return System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"kabinet-sandbox-{name}.db");
    }

    private async Task CreateSchemaAsync()
    {
        await using var connection = await _database.OpenAsync();
        // WAL: the hosted page reads while a notification's payment is written.
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        await using var tx = await Database.BeginWriteAsync(connection);
        await connection.ExecuteAsync(Schema, transaction: tx);
        var columns = (await connection.QueryAsync<string>("SELECT name FROM pragma_table_info('sandbox_payments')", transaction: tx)).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, definition) in Added.Where(c => !columns.Contains(c.Name)))
        {
            await connection.ExecuteAsync($"ALTER TABLE sandbox_payments ADD COLUMN {name} {definition}", transaction: tx);
        }

        await tx.CommitAsync();
    }
}
