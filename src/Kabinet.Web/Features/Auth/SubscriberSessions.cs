using System.Security.Cryptography;
using System.Text;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Web.Hosting;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.Auth;

/// <summary>Where a session lives: a cabinet cookie or an API bearer token.</summary>
public enum SessionKind
{
    /// <summary>The cabinet's login cookie.</summary>
    Cookie,

    /// <summary>An API bearer token.</summary>
    Token,
}

/// <summary>A session just started: the key its cookie or token carries, and its absolute end.</summary>
public sealed record StartedSession(string Key, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// Server-side subscriber sessions (ADR 0011). The cookie or token is only a signed carrier of a
/// random key; whether it still opens anything is decided here, on every request, by one
/// primary-key read of the shared database. Nothing is cached in the process, so a session revoked
/// through one instance is refused by all of them at once.
/// </summary>
public sealed class SubscriberSessions(Database database, TimeProvider time, IOptions<KabinetOptions> options)
{
    // last_seen_at is for the session list (M4), not for security: writing it on every request
    // would put a write on every page view, so it moves at most this often.
    private static readonly TimeSpan SeenResolution = TimeSpan.FromMinutes(5);

    private const string LiveSql = "SELECT contract_id, expires_at, revoked_at, last_seen_at FROM subscriber_sessions WHERE id = @id";

    /// <summary>Records a new session for a contract that has just proved its password.</summary>
    public async Task<StartedSession> StartAsync(long contractId, SessionKind kind, HttpContext http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        var key = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        var expires = now.AddHours(options.Value.SessionHours);
        var agent = http.Request.Headers.UserAgent.ToString();
        await database.WriteAsync(
            c => c.ExecuteAsync(
                """
                INSERT INTO subscriber_sessions (id, contract_id, kind, created_at, expires_at, last_seen_at, user_agent, client_address)
                VALUES (@id, @contractId, @kind, @now, @expires, @now, @agent, @address)
                """,
                new
                {
                    id = IdOf(key),
                    contractId,
                    kind = kind == SessionKind.Cookie ? "cookie" : "token",
                    now,
                    expires,
                    agent = agent.Length == 0 ? null : agent[..Math.Min(agent.Length, 300)],
                    address = http.Connection.RemoteIpAddress?.ToString(),
                }),
            ct);
        return new StartedSession(key, now, expires);
    }

    /// <summary>
    /// True when the session exists, belongs to the contract, is not revoked and has not reached its
    /// absolute end. A key that is missing or malformed is simply not live.
    /// </summary>
    public async Task<bool> IsLiveAsync(string? key, long contractId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(key))
        {
            return false;
        }

        var id = IdOf(key);
        var now = time.GetUtcNow();
        DateTimeOffset lastSeen;
        await using (var session = await database.OpenReadSessionAsync(ct))
        {
            var command = session.Command(LiveSql);
            ReadSession.Set(command, "@id", id);
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)
                || reader.GetInt64(0) != contractId
                || TypeHandlers.ReadInstant(reader.GetValue(1)) <= now
                || !reader.IsDBNull(2))
            {
                return false;
            }

            lastSeen = TypeHandlers.ReadInstant(reader.GetValue(3));
        }

        if (now - lastSeen >= SeenResolution)
        {
            await database.WriteAsync(c => c.ExecuteAsync("UPDATE subscriber_sessions SET last_seen_at = @now WHERE id = @id", new { id, now }), ct);
        }

        return true;
    }

    /// <summary>Ends a session (logout, token revocation); ending an ended one is a no-op.</summary>
    public async Task RevokeAsync(string? key, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(key))
        {
            return;
        }

        var now = time.GetUtcNow();
        await database.WriteAsync(
            c => c.ExecuteAsync("UPDATE subscriber_sessions SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL", new { id = IdOf(key), now }),
            ct);
    }

    /// <summary>The stored id of a key: its SHA-256, so a copy of the table opens no session.</summary>
    private static string IdOf(string key) => System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
