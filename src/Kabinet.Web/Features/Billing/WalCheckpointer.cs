using System.Data.Common;
using Dapper;
using Kabinet.Data.Connections;

namespace Kabinet.Web.Features.Billing;

/// <summary>
/// SQLite: copies the write-ahead log into the database file on a connection of its own while the
/// billing run charges its next batch. Left to itself, each batch's commit would run that
/// checkpoint (hundreds of megabytes of pages and two fsyncs a day) on the billing thread, in turn
/// with the charging; here the disk work of one batch overlaps the next batch's work in the engine.
/// A checkpoint takes no write lock, so it holds up neither the run nor the web app's writers.
/// </summary>
internal sealed class WalCheckpointer : IAsyncDisposable
{
    private readonly DbConnection _connection;
    private Task _running = Task.CompletedTask;

    private WalCheckpointer(DbConnection connection) => _connection = connection;

    /// <summary>What the billing connection turns off while it leaves checkpoints to this class (SQLite's default is 1,000 pages).</summary>
    public const string AutomaticOff = "PRAGMA wal_autocheckpoint = 0;";

    /// <summary>What the billing connection restores before it goes back to the pool.</summary>
    public const string AutomaticOn = "PRAGMA wal_autocheckpoint = 1000;";

    public static async Task<WalCheckpointer> OpenAsync(Database database, CancellationToken ct) =>
        new(await database.OpenAsync(ct));

    /// <summary>Starts a checkpoint of what is committed so far, unless one is still running (the next request covers both).</summary>
    public void Request()
    {
        if (_running.IsCompleted)
        {
            _running = Task.Run(() => _connection.ExecuteAsync("PRAGMA wal_checkpoint(PASSIVE)"));
        }
    }

    /// <summary>Waits for the running checkpoint and copies the rest, so the run leaves no long log behind.</summary>
    public async Task FinishAsync()
    {
        await _running;
        await _connection.ExecuteAsync("PRAGMA wal_checkpoint(PASSIVE)");
    }

    public async ValueTask DisposeAsync()
    {
        // A run that failed still waits for its checkpoint before the connection goes.
        try
        {
            await _running;
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }
}
