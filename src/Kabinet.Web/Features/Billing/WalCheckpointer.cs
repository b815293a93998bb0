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
/// <remarks>
/// The price: the log cannot start again from its beginning while the next batch is already
/// writing, so it grows by the day's writes (about 300 MB for a million accounts) until the run
/// ends; the last checkpoint then truncates it. A failed checkpoint is logged and left to the next
/// one (the committed pages are safe in the log meanwhile); it does not fail the billing day.
/// </remarks>
internal sealed class WalCheckpointer : IAsyncDisposable
{
    private readonly DbConnection _connection;
    private readonly ILogger _logger;
    private Task _running = Task.CompletedTask;

    private WalCheckpointer(DbConnection connection, ILogger logger) => (_connection, _logger) = (connection, logger);

    /// <summary>What the billing connection turns off while it leaves checkpoints to this class (SQLite's default is 1,000 pages).</summary>
    public const string AutomaticOff = "PRAGMA wal_autocheckpoint = 0;";

    /// <summary>What the billing connection restores before it goes back to the pool.</summary>
    public const string AutomaticOn = "PRAGMA wal_autocheckpoint = 1000;";

    public static async Task<WalCheckpointer> OpenAsync(Database database, ILogger logger, CancellationToken ct) =>
        new(await database.OpenAsync(ct), logger);

    /// <summary>Starts a checkpoint of what is committed so far, unless one is still running (the next request covers both).</summary>
    public void Request()
    {
        if (_running.IsCompleted)
        {
            _running = Task.Run(() => CheckpointAsync("PASSIVE"));
        }
    }

    /// <summary>Waits for the running checkpoint, then copies the rest and truncates the log.</summary>
    public async Task FinishAsync()
    {
        await _running;
        // TRUNCATE waits (on the busy timeout) for readers of older pages and holds new writers
        // back meanwhile: once, at the end of the run.
        await CheckpointAsync("TRUNCATE");
    }

    public async ValueTask DisposeAsync()
    {
        // A run that failed still waits for its checkpoint before the connection goes.
        await _running;
        await _connection.DisposeAsync();
    }

    private async Task CheckpointAsync(string mode)
    {
        try
        {
            await _connection.ExecuteAsync($"PRAGMA wal_checkpoint({mode})");
        }
        catch (DbException e)
        {
            _logger.LogWarning(e, "WAL checkpoint ({Mode}) during billing failed; the next one will copy its pages", mode);
        }
    }
}
