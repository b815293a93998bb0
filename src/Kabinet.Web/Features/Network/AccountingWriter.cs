using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Web.Hosting;

namespace Kabinet.Web.Features.Network;

/// <summary>
/// Stores Accounting-Requests (M14). A request is acknowledged only after its transaction has
/// committed (synced on SQLite), so the NAS resends anything Kabinet did not keep. Requests that
/// arrive together are written in one transaction (group commit): one sync for many packets.
/// Storing is idempotent: counters only grow, and traffic is the growth, so a repeated, late or
/// reordered packet adds nothing.
/// </summary>
public sealed class AccountingWriter(Database database, OperatorClock clock, PostAuthLog authLog, ILogger<AccountingWriter> logger) : BackgroundService
{
    private const int MaxBatch = 512;

    // SQLite has one writer at a time, so one queue; PostgreSQL takes concurrent transactions and
    // commits them in groups, so packets are spread over several queues by session (a session's
    // packets stay in order in its queue).
    private readonly Channel<(AccountingPacket Packet, TaskCompletionSource Done)>[] _queues =
        Enumerable.Range(0, database.Kind == DatabaseKind.Sqlite ? 1 : 4)
            .Select(_ => Channel.CreateBounded<(AccountingPacket, TaskCompletionSource)>(new BoundedChannelOptions(20_000) { SingleReader = true }))
            .ToArray();

    /// <summary>Queues a packet and completes when it is durably stored; throws when it could not be.</summary>
    public async Task StoreAsync(AccountingPacket packet, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var queue = _queues[(int)((uint)StringComparer.Ordinal.GetHashCode(packet.UniqueId) % (uint)_queues.Length)];
        await queue.Writer.WriteAsync((packet, done), ct);
        await done.Task.WaitAsync(ct);
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_queues.Select(q => DrainAsync(q.Reader, stoppingToken)));

    private async Task DrainAsync(ChannelReader<(AccountingPacket Packet, TaskCompletionSource Done)> reader, CancellationToken stoppingToken)
    {
        var batch = new List<(AccountingPacket Packet, TaskCompletionSource Done)>(MaxBatch);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                await WriteBatchAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            foreach (var (_, done) in batch)
            {
                done.TrySetCanceled(stoppingToken);
            }
        }
    }

    private async Task WriteBatchAsync(List<(AccountingPacket Packet, TaskCompletionSource Done)> batch, CancellationToken ct)
    {
        try
        {
            await WriteAsync(batch.ConvertAll(b => b.Packet), ct);
            batch.ForEach(b => b.Done.TrySetResult());
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException && batch.Count > 1)
        {
            logger.LogWarning(e, "An accounting batch of {Count} failed; storing its packets one by one", batch.Count);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            batch[0].Done.TrySetException(e);
            return;
        }

        // One bad packet must not cost the others their acknowledgement.
        foreach (var (packet, done) in batch)
        {
            try
            {
                await WriteAsync([packet], ct);
                done.TrySetResult();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Accounting packet {Kind} for session {Session} could not be stored", packet.Kind, packet.UniqueId);
                done.TrySetException(e);
            }
        }
    }

    private async Task WriteAsync(IReadOnlyList<AccountingPacket> packets, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await Database.BeginWriteAsync(connection, durable: true, ct);
        // The batch's known sessions in one read, then kept up to date here as the packets apply in
        // order: one round trip per packet (its write) instead of three on PostgreSQL.
        var sessions = await ReadSessionsAsync(connection, tx, packets, ct);
        var owners = await BatchOwners.ReadAsync(connection, tx, packets.Where(p => !sessions.ContainsKey(p.UniqueId)), ct);
        var traffic = new SortedDictionary<(long Account, DateOnly Day), (long In, long Out)>();
        foreach (var packet in packets)
        {
            if (await ApplyAsync(connection, tx, packet, sessions, owners, ct) is { } growth)
            {
                var key = (growth.Account, growth.Day);
                var sum = traffic.GetValueOrDefault(key);
                traffic[key] = (sum.In + growth.In, sum.Out + growth.Out);
            }
        }

        await AddTrafficAsync(connection, tx, traffic, ct);
        await tx.CommitAsync(ct);
    }

    private static async Task<Dictionary<string, StoredSession>> ReadSessionsAsync(
        DbConnection connection, DbTransaction tx, IReadOnlyList<AccountingPacket> packets, CancellationToken ct)
    {
        var ids = packets.Where(p => p.Kind is not (AccountingKind.On or AccountingKind.Off)).Select(p => p.UniqueId).Distinct().ToList();
        var found = ids.Count == 0
            ? []
            : await connection.QueryAsync<(string UniqueId, long Id, long? AccountId, long BytesIn, long BytesOut, DateTimeOffset? StaleSince)>(new CommandDefinition(
                "SELECT unique_id, id, account_id, bytes_in, bytes_out, CASE WHEN stop_cause = 'Stale' THEN stopped_at END FROM radius_sessions WHERE "
                + SqlList.In(connection, "unique_id", "ids"),
                new { ids }, tx, cancellationToken: ct));
        return found.ToDictionary(s => s.UniqueId, s => new StoredSession(s.Id, s.AccountId, s.BytesIn, s.BytesOut, s.StaleSince), StringComparer.Ordinal);
    }

    /// <summary>
    /// One row per account and day, in one statement, in a fixed order: concurrent batches on
    /// PostgreSQL lock traffic rows in the same order and cannot deadlock.
    /// </summary>
    private static async Task AddTrafficAsync(
        DbConnection connection, DbTransaction tx, SortedDictionary<(long Account, DateOnly Day), (long In, long Out)> traffic, CancellationToken ct)
    {
        if (traffic.Count == 0)
        {
            return;
        }

        var values = new StringBuilder();
        var parameters = new DynamicParameters();
        var i = 0;
        foreach (var ((account, day), (bytesIn, bytesOut)) in traffic)
        {
            values.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@a{i}, @d{i}, @i{i}, @o{i})");
            parameters.Add($"a{i}", account);
            parameters.Add($"d{i}", day);
            parameters.Add($"i{i}", bytesIn);
            parameters.Add($"o{i}", bytesOut);
            i++;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO traffic_daily (account_id, day, bytes_in, bytes_out) VALUES {values}
            ON CONFLICT (account_id, day) DO UPDATE SET bytes_in = traffic_daily.bytes_in + excluded.bytes_in,
                                                        bytes_out = traffic_daily.bytes_out + excluded.bytes_out
            """,
            parameters, tx, cancellationToken: ct));
    }

    /// <summary>Stores one packet; returns the traffic it adds to its account's day, if any.</summary>
    private async Task<(long Account, DateOnly Day, long In, long Out)?> ApplyAsync(
        DbConnection connection, DbTransaction tx, AccountingPacket p, Dictionary<string, StoredSession> sessions, BatchOwners owners, CancellationToken ct)
    {
        if (p.Kind is AccountingKind.On or AccountingKind.Off)
        {
            // The NAS (re)started: whatever it had open is gone.
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE radius_sessions SET stopped_at = @At, stop_cause = 'NAS-Reboot' WHERE nas_ip = @NasIp AND stopped_at IS NULL AND started_at <= @At",
                new { p.At, p.NasIp }, tx, cancellationToken: ct));
            return null;
        }

        long? accountId;
        long addIn, addOut;
        var isStop = p.Kind == AccountingKind.Stop;
        var cause = p.Cause ?? "Unknown";
        if (!sessions.TryGetValue(p.UniqueId, out var session))
        {
            var owner = owners.Of(p);
            accountId = owner?.AccountId;
            if (owner is { } found)
            {
                // A session means the NAS let the subscriber in: the accept FreeRADIUS does not report.
                authLog.Record(found.AccessPointId, p.At, "accept");
            }

            addIn = p.BytesIn;
            addOut = p.BytesOut;
            // A session first heard of by an Interim or a Stop (its Start lost, or sent before Kabinet
            // was there) began Acct-Session-Time before this packet, not on its arrival.
            var startedAt = p.Kind == AccountingKind.Start ? p.At : p.At - TimeSpan.FromSeconds(p.SessionSeconds);
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO radius_sessions (unique_id, session_id, access_point_id, account_id, user_name, nas_ip, framed_ip, mac,
                                             started_at, updated_at, stopped_at, stop_cause, bytes_in, bytes_out)
                VALUES (@UniqueId, @SessionId, @apId, @accountId, @UserName, @NasIp, @FramedIp, @Mac, @startedAt, @At, @stopped, @stopCause, @BytesIn, @BytesOut)
                RETURNING id
                """,
                new
                {
                    p.UniqueId, p.SessionId, apId = owner?.AccessPointId, accountId, p.UserName, p.NasIp, p.FramedIp, p.Mac, startedAt, p.At,
                    stopped = isStop ? p.At : (DateTimeOffset?)null, stopCause = isStop ? cause : null, p.BytesIn, p.BytesOut,
                },
                tx, cancellationToken: ct));
            sessions[p.UniqueId] = new StoredSession(id, accountId, p.BytesIn, p.BytesOut, null);
        }
        else
        {
            accountId = session.AccountId;
            addIn = Math.Max(0, p.BytesIn - session.BytesIn);
            addOut = Math.Max(0, p.BytesOut - session.BytesOut);
            // An Interim after the stale close (not a late copy of an earlier one) proves the session
            // lived through the silence, an outage longer than StaleSessionMinutes: it is live again.
            var resumes = p.Kind == AccountingKind.Interim && session.StaleSince is { } since && p.At > since;
            // A Start that arrives late moves the start back; a Stop closes (a stale close is replaced
            // by the NAS's own); counters and the last update only move forward.
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE radius_sessions SET
                    bytes_in = bytes_in + @addIn,
                    bytes_out = bytes_out + @addOut,
                    started_at = CASE WHEN @isStart AND @At < started_at THEN @At ELSE started_at END,
                    updated_at = CASE WHEN @At > updated_at THEN @At ELSE updated_at END,
                    framed_ip = COALESCE(framed_ip, @FramedIp),
                    mac = COALESCE(mac, @Mac),
                    stopped_at = CASE WHEN @resumes THEN NULL WHEN @isStop AND (stopped_at IS NULL OR stop_cause = 'Stale') THEN @At ELSE stopped_at END,
                    stop_cause = CASE WHEN @resumes THEN NULL WHEN @isStop AND (stopped_at IS NULL OR stop_cause = 'Stale') THEN @cause ELSE stop_cause END
                WHERE id = @id
                """,
                new { addIn, addOut, isStart = p.Kind == AccountingKind.Start, p.At, p.FramedIp, p.Mac, isStop, cause, resumes, id = session.Id },
                tx, cancellationToken: ct));
            if (resumes && accountId is { } resumed)
            {
                await AnnounceResumeAsync(connection, tx, resumed, session.Id, session.StaleSince!.Value, p.At, ct);
            }

            sessions[p.UniqueId] = session with
            {
                BytesIn = session.BytesIn + addIn,
                BytesOut = session.BytesOut + addOut,
                StaleSince = resumes ? null : isStop ? null : session.StaleSince,
            };
        }

        return accountId is { } account && (addIn > 0 || addOut > 0)
            ? (account, DateOnly.FromDateTime(clock.ToLocal(p.At).DateTime), addIn, addOut)
            : null;
    }

    /// <summary>
    /// The account events a resumed session missed while it was taken for closed (no CoA went to
    /// it) are announced again for that session alone, as a 'session_resumed' event the CoA
    /// dispatcher follows: a payment during the outage reaches the live session now.
    /// </summary>
    private static async Task AnnounceResumeAsync(DbConnection connection, DbTransaction tx, long accountId, long sessionId, DateTimeOffset silentSince, DateTimeOffset at, CancellationToken ct)
    {
        var firstMissed = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MIN(id) FROM account_events WHERE account_id = @accountId AND occurred_at >= @silentSince AND kind <> @kind",
            new { accountId, silentSince, kind = CoaPlan.SessionResumed }, tx, cancellationToken: ct));
        if (firstMissed is { } first)
        {
            await Billing.AccountStatusWriter.RecordAsync(connection, tx, accountId, CoaPlan.SessionResumed, at,
                string.Create(CultureInfo.InvariantCulture, $"session={sessionId};missed_from={first}"));
        }
    }

    /// <summary>A stored session's counters as this batch has left them; StaleSince is the stale close's time.</summary>
    private readonly record struct StoredSession(long Id, long? AccountId, long BytesIn, long BytesOut, DateTimeOffset? StaleSince);
}
