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
    private readonly NpgsqlDataSource? _postgres;

    public Database(DatabaseKind kind, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        Kind = kind;
        TypeHandlers.Register();
        if (kind == DatabaseKind.Postgres)
        {
            _postgres = NpgsqlDataSource.Create(connectionString);
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
        }
    }

    /// <summary>Which engine this is.</summary>
    public DatabaseKind Kind { get; }

    /// <summary>The connection string in use.</summary>
    public string ConnectionString { get; }

    /// <summary>Opens a connection with Kabinet's per-connection settings applied.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }

        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// Starts a write transaction. On SQLite it takes the write lock at once (BEGIN IMMEDIATE), so
    /// two writers queue on the busy timeout instead of failing with a lock upgrade error.
    /// </summary>
    public static async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: false)
            : await connection.BeginTransactionAsync(cancellationToken);
    }

    /// <summary>True when the exception is the database refusing a duplicate key.</summary>
    public static bool IsUniqueViolation(Exception exception) => exception switch
    {
        SqliteException e => e.SqliteErrorCode == 19 && e.SqliteExtendedErrorCode is 2067 or 1555,
        PostgresException e => e.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    /// <inheritdoc />
    public void Dispose() => _postgres?.Dispose();
}
