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
/// in coa_requests. A NAK or no answer is tried again later, with a doubling delay, up to
/// CoaRetries rounds; the final outcome stays in coa_requests for staff (the coa-log verb). One
/// instance sends at a time (a lease); the cursor moves only after an event's requests are
/// recorded, and a recorded request is sent again only as such a retry.
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
                if (await HoldLeaseAsync(stoppingToken) && await RunOnceAsync(stoppingToken) + await RetryDueAsync(stoppingToken) > 0)
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
        CoaAction action;
        List<LiveSession> sessions;
        await using (var connection = await database.OpenAsync(ct))
        {
            long? only = null;
            if (kind == CoaPlan.SessionResumed)
            {
                // What the session missed while taken for closed, for it alone: the strongest action of those events.
                only = CoaPlan.Detail(details, "session");
                var missed = await connection.QueryAsync<(string Kind, string Details)>(new CommandDefinition(
                    "SELECT kind, details FROM account_events WHERE account_id = @accountId AND id >= @from AND id < @eventId AND kind <> @kind ORDER BY id",
                    new { accountId, from = CoaPlan.Detail(details, "missed_from") ?? eventId, eventId, kind }, cancellationToken: ct));
                action = CoaAction.None;
                foreach (var m in missed)
                {
                    action = CoaPlan.Stronger(action, await ActionAsync(connection, m.Kind, m.Details, settings, ct));
                }
            }
            else
            {
                action = await ActionAsync(connection, kind, details, settings, ct);
            }

            if (action == CoaAction.None)
            {
                return;
            }

            sessions = (await connection.QueryAsync<(long Id, string SessionId, string UserName, string NasIp, string? FramedIp, long? AccessPointId)>(new CommandDefinition(
                """
                SELECT s.id, s.session_id, s.user_name, s.nas_ip, s.framed_ip, s.access_point_id
                FROM radius_sessions s
                WHERE s.account_id = @accountId AND s.stopped_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM coa_requests c WHERE c.event_id = @eventId AND c.session_id = s.id)
                """,
                new { accountId, eventId }, cancellationToken: ct)))
                .Where(s => only is null || s.Id == only)
                .Select(s => new LiveSession(s.Id, s.SessionId, s.UserName, s.NasIp, s.FramedIp, s.AccessPointId))
                .ToList();
        }

        foreach (var s in sessions)
        {
            await SendAsync(eventId, s, action == CoaAction.Change ? "coa" : "disconnect", ct);
        }
    }

    private static async Task<CoaAction> ActionAsync(DbConnection connection, string kind, string details, NetworkOptions settings, CancellationToken ct)
    {
        string? role = null;
        if (CoaPlan.ServiceId(details) is { } serviceId)
        {
            role = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT network_role FROM extra_services WHERE id = @serviceId", new { serviceId }, cancellationToken: ct));
        }

        return CoaPlan.For(kind, role, LineReply.ThrottlesBlocked(settings));
    }

    /// <summary>
    /// Sends one CoA ("coa") or Disconnect ("disconnect") for a session and records the outcome; a
    /// CoA the NAS refuses falls back to a Disconnect. <paramref name="retryOf"/> is the recorded
    /// request this one tries again, if any.
    /// </summary>
    private async Task SendAsync(long eventId, LiveSession s, string kind, CancellationToken ct, long? retryOf = null)
    {
        var settings = options.Value;
        var nas = await directory.FindAsync(s.NasIp, ct);
        var secret = secrets.Unprotect(nas?.CoaSecretProtected);
        var requestedAt = time.GetUtcNow();
        if (nas is null || secret is null || !IPAddress.TryParse(nas.Ip, out var address))
        {
            await RecordAsync(eventId, s.Id, kind, "no_nas", 0, null, requestedAt, retryOf, ct);
            return;
        }

        var target = new IPEndPoint(address, nas.CoaPort);
        if (kind == "coa")
        {
            var line = s.AccessPointId is { } ap ? await lines.GetAsync(ap, ct) : null;
            // A line that may no longer connect at all (a tariff without internet) is ended, not
            // changed: a CoA without a rate would leave the session at its old speed.
            if (line is null || Authorizer.Refusal(line) is null)
            {
                var attributes = line is null ? [] : LineReply.For(line, nas.Vendor, settings);
                var coa = Identify(new RadiusPacket(RadiusCode.CoaRequest), s.UserName, s.SessionId, s.NasIp, s.FramedIp);
                foreach (var pair in attributes.Where(a => a.Name != "Framed-IP-Address"))
                {
                    coa.Add(RadiusAttribute.FromName(pair.Name, pair.Value));
                }

                var result = await client.SendAsync(coa, target, secret, ct);
                await RecordAsync(eventId, s.Id, "coa", Outcome(result), result.Attempts, result.ErrorCause, requestedAt, retryOf, ct);
                if (result.Outcome != RadiusOutcome.Nak)
                {
                    return;
                }

                // The NAS cannot change the session in place: end it, the reconnect gets the new state.
                requestedAt = time.GetUtcNow();
                retryOf = null;
            }
        }

        var disconnect = Identify(new RadiusPacket(RadiusCode.DisconnectRequest), s.UserName, s.SessionId, s.NasIp, s.FramedIp);
        var ended = await client.SendAsync(disconnect, target, secret, ct);
        await RecordAsync(eventId, s.Id, "disconnect", Outcome(ended), ended.Attempts, ended.ErrorCause, requestedAt, retryOf, ct);
    }

    /// <summary>
    /// Tries again the requests whose retry is due (a NAK or no answer), each for its session if
    /// it is still live; returns how many were tried.
    /// </summary>
    public async Task<int> RetryDueAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var due = (await connection.QueryAsync<(long Id, long EventId, string Kind, long SessionId)>(new CommandDefinition(
            """
            SELECT id, event_id, kind, session_id FROM coa_requests
            WHERE retry_at IS NOT NULL AND retry_at <= @now ORDER BY retry_at LIMIT @limit
            """,
            new { now = time.GetUtcNow(), limit = BatchSize }, cancellationToken: ct))).ToList();
        foreach (var (id, eventId, kind, sessionId) in due)
        {
            var s = await connection.QuerySingleAsync<(long Id, string SessionId, string UserName, string NasIp, string? FramedIp, long? AccessPointId, long Live)>(new CommandDefinition(
                """
                SELECT id, session_id, user_name, nas_ip, framed_ip, access_point_id, CASE WHEN stopped_at IS NULL THEN 1 ELSE 0 END
                FROM radius_sessions WHERE id = @sessionId
                """,
                new { sessionId }, cancellationToken: ct));
            if (s.Live == 0)
            {
                // The session ended meanwhile (a Stop, a reconnect): there is nothing left to change or end.
                await FinishAsync(id, "ended", ct);
                continue;
            }

            await SendAsync(eventId, new LiveSession(s.Id, s.SessionId, s.UserName, s.NasIp, s.FramedIp, s.AccessPointId), kind, ct, retryOf: id);
        }

        return due.Count;
    }

    private async Task FinishAsync(long id, string outcome, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await Database.BeginWriteAsync(connection, ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE coa_requests SET outcome = @outcome, retry_at = NULL, answered_at = @now WHERE id = @id",
            new { id, outcome, now = time.GetUtcNow() }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Whether an outcome is worth another try. No answer may be a NAS rebooting or a link down; a
    /// Disconnect-NAK may be a busy NAS (506 Resources-Unavailable). Not so a NAK that names a missing
    /// session (503: nothing to change) or a request the NAS will never take (4xx, RFC 5176 §3.5).
    /// </summary>
    internal static bool Retryable(string kind, string outcome, uint? errorCause) => outcome switch
    {
        "timeout" => true,
        // A CoA-NAK is answered at once by a Disconnect, which is what gets retried.
        "nak" => kind == "disconnect" && errorCause is not (503 or (>= 400 and < 500)),
        _ => false,
    };

    /// <summary>A live session a request goes to.</summary>
    private sealed record LiveSession(long Id, string SessionId, string UserName, string NasIp, string? FramedIp, long? AccessPointId);

    /// <summary>RFC 5176 §3: the session is identified by Acct-Session-Id, with the user and the NAS.</summary>
    private static RadiusPacket Identify(RadiusPacket packet, string userName, string sessionId, string nasIp, string? framedIp)
    {
        packet.Add(RadiusAttribute.UserName(userName));
        packet.Add(RadiusAttribute.FromName("Acct-Session-Id", sessionId));
        // A NAS kept under its IPv6 address or NAS-Identifier is named by Acct-Session-Id and User-Name alone.
        if (IPAddress.TryParse(nasIp, out var nas) && nas.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
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

    private async Task RecordAsync(
        long eventId, long sessionId, string kind, string outcome, int attempts, uint? errorCause, DateTimeOffset requestedAt, long? retryOf, CancellationToken ct)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await Database.BeginWriteAsync(connection, ct);
        var rounds = retryOf is { } id
            ? await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT rounds FROM coa_requests WHERE id = @id", new { id }, tx, cancellationToken: ct)) + 1
            : 1;
        // Back-off: the delay doubles after each round, up to CoaRetries more rounds.
        DateTimeOffset? retryAt = Retryable(kind, outcome, errorCause) && rounds <= settings.CoaRetries
            ? now + TimeSpan.FromSeconds(Math.Max(1, settings.CoaRetryDelaySeconds) * Math.Pow(2, Math.Min(rounds - 1, 20)))
            : null;
        if (retryOf is { } existing)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE coa_requests SET outcome = @outcome, attempts = attempts + @attempts, error_cause = @errorCause, rounds = @rounds,
                                        answered_at = @now, retry_at = @retryAt
                WHERE id = @existing
                """,
                new { outcome, attempts, errorCause = (long?)errorCause, rounds, now, retryAt, existing }, tx, cancellationToken: ct));
        }
        else
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO coa_requests (event_id, session_id, kind, outcome, attempts, error_cause, requested_at, answered_at, rounds, retry_at)
                VALUES (@eventId, @sessionId, @kind, @outcome, @attempts, @errorCause, @requestedAt, @now, 1, @retryAt)
                ON CONFLICT (event_id, session_id, kind) DO NOTHING
                """,
                new { eventId, sessionId, kind, outcome, attempts, errorCause = (long?)errorCause, requestedAt, now, retryAt }, tx, cancellationToken: ct));
        }

        await tx.CommitAsync(ct);
        if (outcome != "ack")
        {
            logger.LogWarning(
                "{Kind} for session {Session} (event {Event}) ended {Outcome} (Error-Cause {Cause}) after {Attempts} attempt(s) in round {Round}; {Next}",
                kind, sessionId, eventId, outcome, errorCause, attempts, rounds, retryAt is { } at ? "next try at " + at.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : "final");
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
