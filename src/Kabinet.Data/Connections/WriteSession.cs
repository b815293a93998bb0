using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Kabinet.Data.Connections;

/// <summary>
/// A write transaction on its own connection, from <see cref="Database.OpenWriteSessionAsync"/>.
/// On SQLite the writers of this process take turns on an async gate and share one connection, so
/// a waiting writer awaits instead of blocking a thread in SQLite's busy handler (which sleeps in
/// steps of up to 100 ms, and Microsoft.Data.Sqlite's own retry sleeps 150 ms); another process's
/// writer still meets the busy timeout. On PostgreSQL it is a pooled connection and a transaction.
/// Dispose without <see cref="CommitAsync"/> rolls back.
/// </summary>
public sealed class WriteSession : IAsyncDisposable
{
    private readonly SemaphoreSlim? _gate;
    private readonly bool _ownsConnection;
    private bool _done;

    private WriteSession(DbConnection connection, DbTransaction transaction, SemaphoreSlim? gate, bool ownsConnection)
    {
        Connection = connection;
        Transaction = transaction;
        _gate = gate;
        _ownsConnection = ownsConnection;
    }

    /// <summary>The connection; pass <see cref="Transaction"/> with every statement.</summary>
    public DbConnection Connection { get; }

    /// <summary>The open transaction.</summary>
    public DbTransaction Transaction { get; }

    internal static async Task<WriteSession> OpenPostgresAsync(DbConnection connection, CancellationToken ct)
    {
        try
        {
            return new WriteSession(connection, await connection.BeginTransactionAsync(ct), null, ownsConnection: true);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    internal static async Task<WriteSession> OpenSqliteAsync(SqliteWriter writer, CancellationToken ct)
    {
        await writer.Gate.WaitAsync(ct);
        try
        {
            var connection = await writer.ConnectionAsync(ct);
            return new WriteSession(connection, connection.BeginTransaction(deferred: false), writer.Gate, ownsConnection: false);
        }
        catch
        {
            writer.Gate.Release();
            throw;
        }
    }

    /// <summary>Commits.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        await Transaction.CommitAsync(cancellationToken);
        _done = true;
    }

    /// <summary>Rolls back what was not committed and lets the next writer in.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_done)
            {
                await Transaction.RollbackAsync();
            }

            await Transaction.DisposeAsync();
            if (_ownsConnection)
            {
                await Connection.DisposeAsync();
            }
        }
        finally
        {
            _gate?.Release();
        }
    }
}

/// <summary>This process's one SQLite writer connection and the gate its users take turns on.</summary>
internal sealed class SqliteWriter(string connectionString) : IDisposable
{
    private SqliteConnection? _connection;

    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The open connection; call only while holding <see cref="Gate"/>.</summary>
    public async Task<SqliteConnection> ConnectionAsync(CancellationToken ct)
    {
        if (_connection is { State: System.Data.ConnectionState.Open })
        {
            return _connection;
        }

        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000;";
            await pragma.ExecuteNonQueryAsync(ct);
        }

        _connection = connection;
        return connection;
    }

    public void Dispose()
    {
        _connection?.Dispose();
        Gate.Dispose();
    }
}
