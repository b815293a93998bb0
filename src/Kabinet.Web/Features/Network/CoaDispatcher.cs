using System.Data.Common;
using System.Net;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Web.Features.Billing;
using Kabinet.Web.Integrations.Radius;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.Network;

/// <summary>
/// Follows the account_events outbox and tells each NAS what changed (M31, RFC 5176): CoA-Request
/// with the session's new attributes or Disconnect-Request, signed with the NAS's secret, retried
/// with back-off, falling back from CoA to Disconnect when the NAS refuses, every outcome recorded
/// in coa_requests. One instance sends at a time (a lease); the cursor moves only after an
/// event's requests are recorded, and a recorded request is never sent twice.
/// </summary>
public sealed class CoaDispatcher(
    Database database,
    AccessLines lines,
    NasDirectory directory,
    NetworkSecrets secrets,
    RadiusClient client,
    TimeProvider time,
    IOptions<NetworkOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<CoaDispatcher> logger) : BackgroundService
{
    private const string Consumer = "coa";
    private const int BatchSize = 200;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(30);
    private readonly string _holder = "coa-" + Guid.NewGuid().ToString("N");
    private DateTimeOffset _leaseRenewed = DateTimeOffset.MinValue;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.CoaEnabled)
        {
            return;
        }

        // After start-up, when the migrations have run.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await HoldLeaseAsync(stoppingToken) && await RunOnceAsync(stoppingToken) > 0)
                {
                    continue;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "CoA dispatch failed; retrying");
                _leaseRenewed = DateTimeOffset.MinValue;
            }

            try
            {
                await Task.Delay(Poll, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await JobLease.ReleaseAsync(database, Consumer, _holder);
    }

    /// <summary>Handles the events after the cursor (one batch); returns how many.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        List<(long Id, long AccountId, string Kind, string Details)> events;
        await using (var connection = await database.OpenAsync(ct))
        {
            var cursor = await CursorAsync(connection, ct);
            events = (await connection.QueryAsync<(long, long, string, string)>(new CommandDefinition(
                "SELECT id, account_id, kind, details FROM account_events WHERE id > @cursor ORDER BY id LIMIT @limit",
                new { cursor, limit = BatchSize }, cancellationToken: ct))).ToList();
        }

        if (events.Count == 0)
        {
            return 0;
        }

        // Accounts in parallel (a slow NAS must not hold up the others), each account's events in order.
        await Task.WhenAll(events.GroupBy(e => e.AccountId).Select(async group =>
        {
            foreach (var e in group)
            {
                await HandleAsync(e.Id, e.AccountId, e.Kind, e.Details, ct);
            }
        }));

        await using (var connection = await database.OpenAsync(ct))
        {
            await using var tx = await Database.BeginWriteAsync(connection, ct);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE event_cursors SET last_event_id = @last WHERE consumer = @Consumer AND last_event_id < @last",
                new { last = events[^1].Id, Consumer }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
        }

        return events.Count;
    }

    private async Task HandleAsync(long eventId, long accountId, string kind, string details, CancellationToken ct)
    {
        var settings = options.Value;
        string? role = null;
        CoaAction action;
        List<(long Id, string SessionId, string UserName, string NasIp, string? FramedIp, long? AccessPointId)> sessions;
        await using (var connection = await database.OpenAsync(ct))
        {
            if (CoaPlan.ServiceId(details) is { } serviceId)
            {
                role = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                    "SELECT network_role FROM extra_services WHERE id = @serviceId", new { serviceId }, cancellationToken: ct));
            }

            action = CoaPlan.For(kind, role, LineReply.ThrottlesBlocked(settings));
            if (action == CoaAction.None)
            {
                return;
            }

            sessions = (await connection.QueryAsync<(long, string, string, string, string?, long?)>(new CommandDefinition(
                """
                SELECT s.id, s.session_id, s.user_name, s.nas_ip, s.framed_ip, s.access_point_id FROM radius_sessions s
                WHERE s.account_id = @accountId AND s.stopped_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM coa_requests c WHERE c.event_id = @eventId AND c.session_id = s.id)
                """,
                new { accountId, eventId }, cancellationToken: ct))).ToList();
        }

        foreach (var s in sessions)
        {
            var nas = await directory.FindAsync(s.NasIp, ct);
            var secret = secrets.Unprotect(nas?.CoaSecretProtected);
            var requestedAt = time.GetUtcNow();
            if (nas is null || secret is null || !IPAddress.TryParse(nas.Ip, out var address))
            {
                await RecordAsync(eventId, s.Id, action == CoaAction.Change ? "coa" : "disconnect", "no_nas", 0, null, requestedAt, ct);
                continue;
            }

            var target = new IPEndPoint(address, nas.CoaPort);
            if (action == CoaAction.Change)
            {
                var line = s.AccessPointId is { } ap ? await lines.GetAsync(ap, ct) : null;
                var attributes = line is null ? [] : LineReply.For(line, nas.Vendor, settings);
                var coa = Identify(new RadiusPacket(RadiusCode.CoaRequest), s.UserName, s.SessionId, s.NasIp, s.FramedIp);
                foreach (var pair in attributes.Where(a => a.Name != "Framed-IP-Address"))
                {
                    coa.Add(RadiusAttribute.FromName(pair.Name, pair.Value));
                }

                var result = await client.SendAsync(coa, target, secret, ct);
                await RecordAsync(eventId, s.Id, "coa", Outcome(result), result.Attempts, result.ErrorCause, requestedAt, ct);
                if (result.Outcome != RadiusOutcome.Nak)
                {
                    continue;
                }

                // The NAS cannot change the session in place: end it, the reconnect gets the new state.
                requestedAt = time.GetUtcNow();
            }

            var disconnect = Identify(new RadiusPacket(RadiusCode.DisconnectRequest), s.UserName, s.SessionId, s.NasIp, s.FramedIp);
            var ended = await client.SendAsync(disconnect, target, secret, ct);
            await RecordAsync(eventId, s.Id, "disconnect", Outcome(ended), ended.Attempts, ended.ErrorCause, requestedAt, ct);
        }
    }

    /// <summary>RFC 5176 §3: the session is identified by Acct-Session-Id, with the user and the NAS.</summary>
    private static RadiusPacket Identify(RadiusPacket packet, string userName, string sessionId, string nasIp, string? framedIp)
    {
        packet.Add(RadiusAttribute.UserName(userName));
        packet.Add(RadiusAttribute.FromName("Acct-Session-Id", sessionId));
        if (IPAddress.TryParse(nasIp, out var nas))
        {
            packet.Add(RadiusAttribute.NasIpAddress(nas));
        }

        if (framedIp is not null && IPAddress.TryParse(framedIp, out var framed))
        {
            packet.Add(RadiusAttribute.FramedIpAddress(framed));
        }

        return packet;
    }

    private static string Outcome(RadiusResult result) => result.Outcome switch
    {
        RadiusOutcome.Ack => "ack",
        RadiusOutcome.Nak => "nak",
        _ => "timeout",
    };

    private async Task RecordAsync(long eventId, long sessionId, string kind, string outcome, int attempts, uint? errorCause, DateTimeOffset requestedAt, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await Database.BeginWriteAsync(connection, ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO coa_requests (event_id, session_id, kind, outcome, attempts, error_cause, requested_at, answered_at)
            VALUES (@eventId, @sessionId, @kind, @outcome, @attempts, @errorCause, @requestedAt, @answeredAt)
            ON CONFLICT (event_id, session_id, kind) DO NOTHING
            """,
            new { eventId, sessionId, kind, outcome, attempts, errorCause = (long?)errorCause, requestedAt, answeredAt = time.GetUtcNow() },
            tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        if (outcome != "ack")
        {
            logger.LogWarning("{Kind} for session {Session} (event {Event}) ended {Outcome} after {Attempts} attempt(s)", kind, sessionId, eventId, outcome, attempts);
        }
    }

    /// <summary>The cursor; on the first run it starts at the newest event (history is not replayed to the NAS).</summary>
    private static async Task<long> CursorAsync(DbConnection connection, CancellationToken ct)
    {
        var cursor = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT last_event_id FROM event_cursors WHERE consumer = @Consumer", new { Consumer }, cancellationToken: ct));
        if (cursor is { } known)
        {
            return known;
        }

        await using var tx = await Database.BeginWriteAsync(connection, ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO event_cursors (consumer, last_event_id) SELECT @Consumer, COALESCE(MAX(id), 0) FROM account_events WHERE TRUE ON CONFLICT (consumer) DO NOTHING",
            new { Consumer }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT last_event_id FROM event_cursors WHERE consumer = @Consumer", new { Consumer }, cancellationToken: ct));
    }

    private async Task<bool> HoldLeaseAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (now - _leaseRenewed < LeaseTtl / 3)
        {
            return true;
        }

        if (await JobLease.TryAcquireAsync(database, Consumer, _holder, now, LeaseTtl, ct))
        {
            _leaseRenewed = now;
            return true;
        }

        return false;
    }
}
