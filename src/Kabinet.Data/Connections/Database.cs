using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Kabinet.Data.Connections;

/// <summary>
/// Opens connections to the configured database. Every query in Kabinet goes through here, so the
/// per-connection settings (SQLite's busy timeout and foreign keys) are never forgotten.
/// </summary>
public sealed class Database : IDisposable
{
    /// <summary>How many open SQLite read sessions are kept for reuse.</summary>
    public const int MaxIdleReadSessions = 64;

    private readonly NpgsqlDataSource? _postgres;
    // A queue, not a bag: ConcurrentBag.Count takes every per-thread lock, and each returned session asks it.
    private readonly ConcurrentQueue<ReadSession> _idleReadSessions = [];
    private readonly SqliteWriter? _sqliteWriter;
    private readonly bool _memoryMappedReads;

    /// <param name="kind">The engine.</param>
    /// <param name="connectionString">Where the database is.</param>
    /// <param name="memoryMappedReads">
    /// SQLite read sessions read pages through a memory map (see <see cref="ReadSession"/>). Right for
    /// a database read far more than written; for one written between most reads, pass false: SQLite
    /// unmaps the whole file at the start of every read after another connection's write (and a
    /// multi-threaded process pays for each unmap on every core), then maps it again.
    /// </param>
    public Database(DatabaseKind kind, string connectionString, bool memoryMappedReads = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        Kind = kind;
        _memoryMappedReads = memoryMappedReads;
        TypeHandlers.Register();
        if (kind == DatabaseKind.Postgres)
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            // Statements used again and again are prepared on the server once per connection.
            if (builder.MaxAutoPrepare == 0)
            {
                builder.MaxAutoPrepare = 64;
            }

            // A pooled connection is not reset (seven statements on the server per open) unless the
            // connection string asks: Kabinet leaves no session state behind (settings are SET LOCAL,
            // no temp tables or LISTEN, the migrator's advisory lock is released in a finally).
            if (!connectionString.Contains("No Reset On Close", StringComparison.OrdinalIgnoreCase)
                && !connectionString.Contains("NoResetOnClose", StringComparison.OrdinalIgnoreCase))
            {
                builder.NoResetOnClose = true;
            }

            _postgres = NpgsqlDataSource.Create(builder.ConnectionString);
            ConnectionString = connectionString;
        }
        else
        {
            var builder = new SqliteConnectionStringBuilder(connectionString)
            {
                Pooling = true,
                // Busy waits instead of failing at once when another writer holds the lock.
                DefaultTimeout = 30,
            };
            ConnectionString = builder.ToString();
            _sqliteWriter = new SqliteWriter(ConnectionString);
        }
    }

    /// <summary>Which engine this is.</summary>
    public DatabaseKind Kind { get; }

    /// <summary>The connection string in use.</summary>
    public string ConnectionString { get; }

    /// <summary>Opens a connection (pooled).</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }

        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>A read session whose statements stay prepared between uses (see <see cref="ReadSession"/>).</summary>
    public async Task<ReadSession> OpenReadSessionAsync(CancellationToken cancellationToken = default) =>
        _postgres is not null
            ? ReadSession.ForPostgres(await _postgres.OpenConnectionAsync(cancellationToken))
            : await ReadSession.OpenSqliteAsync(ConnectionString, _memoryMappedReads, _idleReadSessions, cancellationToken);

    /// <summary>A write transaction on a connection of its own; on SQLite, writers of this process take turns (see <see cref="WriteSession"/>).</summary>
    public async Task<WriteSession> OpenWriteSessionAsync(CancellationToken cancellationToken = default) =>
        _postgres is not null
            ? await WriteSession.OpenPostgresAsync(await _postgres.OpenConnectionAsync(cancellationToken), cancellationToken)
            : await WriteSession.OpenSqliteAsync(_sqliteWriter!, cancellationToken);

    /// <summary>
    /// Runs writes that need no transaction of their own (a single statement, or a command whose
    /// statements PostgreSQL runs as one implicit transaction) on a connection of their own: on
    /// PostgreSQL a pooled one, on SQLite this process's writer connection in its turn (see
    /// <see cref="WriteSession"/>). Pass no transaction to the statements.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, Task<T>> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (_postgres is not null)
        {
            await using var connection = await _postgres.OpenConnectionAsync(cancellationToken);
            return await write(connection);
        }

        await _sqliteWriter!.Gate.WaitAsync(cancellationToken);
        try
        {
            return await write(await _sqliteWriter.ConnectionAsync(cancellationToken));
        }
        finally
        {
            _sqliteWriter.Gate.Release();
        }
    }

    /// <summary>
    /// Starts a write transaction. On SQLite it first turns on foreign keys (a no-op inside a
    /// transaction, and not worth a statement on every read) and takes the write lock at once
    /// (BEGIN IMMEDIATE), so two writers queue on the busy timeout instead of failing with a lock
    /// upgrade error.
    /// </summary>
    public static async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken = default) =>
        await BeginWriteAsync(connection, durable: false, cancellationToken);

    /// <summary>
    /// As <see cref="BeginWriteAsync(DbConnection, CancellationToken)"/>; with <paramref name="durable"/>
    /// SQLite also syncs the WAL at commit (synchronous = FULL), so a commit survives a power cut,
    /// for writes that are acknowledged to a peer which will not resend them.
    /// </summary>
    public static Task<DbTransaction> BeginWriteAsync(DbConnection connection, bool durable, CancellationToken cancellationToken = default) =>
        BeginAsync(connection, durable, foreignKeys: true, cancellationToken);

    /// <summary>
    /// As <see cref="BeginWriteAsync(DbConnection, CancellationToken)"/>, for set-based statements
    /// that take every id they write from the rows it refers to, read in the same transaction (the
    /// billing day): SQLite then skips its foreign key checks, a lookup per reference per row
    /// written, which could not fail. PostgreSQL checks them as always. The setting stays on the
    /// SQLite connection: the caller turns the checks back on before it returns the connection.
    /// </summary>
    public static Task<DbTransaction> BeginBulkWriteAsync(DbConnection connection, CancellationToken cancellationToken = default) =>
        BeginAsync(connection, durable: false, foreignKeys: false, cancellationToken);

    private static async Task<DbTransaction> BeginAsync(DbConnection connection, bool durable, bool foreignKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection is not SqliteConnection sqlite)
        {
            return await connection.BeginTransactionAsync(cancellationToken);
        }

        using (var pragma = sqlite.CreateCommand())
        {
            // Both settings are taken only outside a transaction; every write sets both.
            pragma.CommandText = $"PRAGMA foreign_keys = {(foreignKeys ? "ON" : "OFF")}; PRAGMA synchronous = {(durable ? "FULL" : "NORMAL")}; PRAGMA busy_timeout = 30000;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }

        return sqlite.BeginTransaction(deferred: false);
    }

    /// <summary>True when the exception is the database refusing a duplicate key.</summary>
    public static bool IsUniqueViolation(Exception exception) => exception switch
    {
        SqliteException e => e.SqliteErrorCode == 19 && e.SqliteExtendedErrorCode is 2067 or 1555,
        PostgresException e => e.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    /// <inheritdoc />
    public void Dispose()
    {
        _postgres?.Dispose();
        _sqliteWriter?.Dispose();
        while (_idleReadSessions.TryDequeue(out var session))
        {
            session.Connection.Dispose();
        }
    }
}
