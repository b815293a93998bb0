using System.Threading.Channels;
using Kabinet.Data.Connections;
using Kabinet.Web.Hosting;

namespace Kabinet.Web.Features.Network;

/// <summary>
/// On PostgreSQL, the PPPoE logins that Access-Requests ask for at the same time are looked up
/// together: while one query is out, the next requests gather, and the next query reads all of
/// them (<c>login = ANY(@keys)</c>). Each request still sees the database as it is after it
/// arrived. A lookup is a round trip to another process, which on a busy 2-core machine costs
/// more than the read itself; SQLite reads in-process and does not use this.
/// </summary>
internal sealed class LoginLookups : IDisposable
{
    private const int MaxBatch = 256;
    private const int Readers = 2;

    private readonly Database _database;
    private readonly OperatorClock _clock;
    private readonly string _sql;
    private readonly Func<System.Data.Common.DbDataReader, AccessLine> _read;
    private readonly Channel<(string Login, TaskCompletionSource<AccessLine?> Done)> _queue =
        Channel.CreateUnbounded<(string, TaskCompletionSource<AccessLine?>)>();

    public LoginLookups(Database database, OperatorClock clock, string sql, Func<System.Data.Common.DbDataReader, AccessLine> read)
    {
        (_database, _clock, _sql, _read) = (database, clock, sql, read);
        for (var i = 0; i < Readers; i++)
        {
            _ = Task.Run(DrainAsync);
        }
    }

    public Task<AccessLine?> FindAsync(string login, CancellationToken ct)
    {
        var done = new TaskCompletionSource<AccessLine?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Writer.TryWrite((login, done));
        return done.Task.WaitAsync(ct);
    }

    /// <summary>Lets the readers end once the queue is empty.</summary>
    public void Dispose() => _queue.Writer.TryComplete();

    private async Task DrainAsync()
    {
        var batch = new List<(string Login, TaskCompletionSource<AccessLine?> Done)>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                var found = await ReadAsync(batch.Select(b => b.Login).Distinct(StringComparer.Ordinal).ToArray());
                batch.ForEach(b => b.Done.TrySetResult(found.GetValueOrDefault(b.Login)));
            }
            catch (Exception e)
            {
                batch.ForEach(b => b.Done.TrySetException(e));
            }

            batch.Clear();
        }
    }

    private async Task<Dictionary<string, AccessLine>> ReadAsync(string[] logins)
    {
        await using var session = await _database.OpenReadSessionAsync();
        var command = session.Command(_sql);
        ReadSession.Set(command, "@keys", logins);
        ReadSession.Set(command, "@today", TypeHandlers.Day(_database.Kind, _clock.Today));
        ReadSession.Set(command, "@now", TypeHandlers.Instant(_database.Kind, _clock.UtcNow));
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new Dictionary<string, AccessLine>(logins.Length, StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            var line = _read(reader);
            lines[line.Login!] = line;
        }

        return lines;
    }
}
