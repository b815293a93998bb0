using System.Data.Common;
using Kabinet.Data.Connections;
using Kabinet.Domain.Subscribers;
using Kabinet.Web.Hosting;

namespace Kabinet.Web.Features.Network;

/// <summary>
/// Finds the access point a RADIUS request is about: by PPPoE login, by DHCP Option 82, or by the
/// MAC of an IPoE access point. One indexed read with prepared statements: it runs for every
/// Access-Request.
/// </summary>
public sealed class AccessLines(Database database, OperatorClock clock) : IDisposable
{
    private const string Select =
        """
        SELECT ap.id, ap.account_id, ap.kind, ap.login, ap.password_protected, ap.ip, ap.enabled,
               a.status, t.down_kbps, t.up_kbps,
               EXISTS (SELECT 1 FROM account_services s JOIN extra_services e ON e.id = s.service_id
                       WHERE s.account_id = a.id AND e.network_role = 'static_ip'
                         AND s.active_from <= @today AND (s.active_to IS NULL OR s.active_to > @today)),
               EXISTS (SELECT 1 FROM account_services s JOIN extra_services e ON e.id = s.service_id
                       WHERE s.account_id = a.id AND e.network_role = 'turbo' AND s.expires_at > @now)
        FROM access_points ap
        JOIN accounts a ON a.id = ap.account_id
        LEFT JOIN tariffs t ON t.id = a.tariff_id
        """;

    private const string ByLoginSql = Select + " WHERE ap.login = @key";
    private const string ByMacSql = Select + " WHERE ap.mac = @key AND ap.kind = 2 ORDER BY ap.id LIMIT 1";
    private const string ByOption82Sql = Select + " WHERE ap.remote_id = @key AND ap.circuit_id = @circuit";
    private const string ByIdSql = Select + " WHERE ap.id = @key";
    private const string ByLoginsSql = Select + " WHERE ap.login = ANY(@keys)";

    private readonly LoginLookups? _logins = database.Kind == DatabaseKind.Postgres ? new LoginLookups(database, clock, ByLoginsSql, Read) : null;

    /// <inheritdoc />
    public void Dispose() => _logins?.Dispose();

    /// <summary>
    /// The line for a request: Option 82 first (the port is the identity on IPoE with relay), then
    /// the login, then an IPoE MAC; null when nothing matches.
    /// </summary>
    public async Task<AccessLine?> FindAsync(RadiusRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ReadSession? session = null;
        try
        {
            if (request.RemoteId is { } remote && request.CircuitId is { } circuit
                && await ReadAsync(session ??= await database.OpenReadSessionAsync(ct), ByOption82Sql, remote, circuit, ct) is { } byPort)
            {
                return byPort;
            }

            if (request.UserName is { Length: > 0 } login
                && await (_logins is not null
                    ? _logins.FindAsync(login, ct)
                    : ReadAsync(session ??= await database.OpenReadSessionAsync(ct), ByLoginSql, login, null, ct)) is { } byLogin)
            {
                return byLogin;
            }

            return request.Mac is { } mac ? await ReadAsync(session ??= await database.OpenReadSessionAsync(ct), ByMacSql, mac, null, ct) : null;
        }
        finally
        {
            if (session is not null)
            {
                await session.DisposeAsync();
            }
        }
    }

    /// <summary>The line of a known access point (for CoA after an account event).</summary>
    public async Task<AccessLine?> GetAsync(long accessPointId, CancellationToken ct)
    {
        await using var session = await database.OpenReadSessionAsync(ct);
        return await ReadAsync(session, ByIdSql, accessPointId, null, ct);
    }

    private async Task<AccessLine?> ReadAsync(ReadSession session, string sql, object key, string? circuit, CancellationToken ct)
    {
        var command = session.Command(sql);
        ReadSession.Set(command, "@key", key);
        if (circuit is not null)
        {
            ReadSession.Set(command, "@circuit", circuit);
        }

        ReadSession.Set(command, "@today", TypeHandlers.Day(database.Kind, clock.Today));
        ReadSession.Set(command, "@now", TypeHandlers.Instant(database.Kind, clock.UtcNow));
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    private static AccessLine Read(DbDataReader r) => new(
        r.GetInt64(0),
        r.GetInt64(1),
        (AccessPointKind)r.GetInt32(2),
        r.IsDBNull(3) ? null : r.GetString(3),
        r.IsDBNull(4) ? null : r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5),
        r.GetBoolean(6),
        (AccountStatus)r.GetInt32(7),
        r.IsDBNull(8) ? null : r.GetInt32(8),
        r.IsDBNull(9) ? null : r.GetInt32(9),
        Convert.ToBoolean(r.GetValue(10), System.Globalization.CultureInfo.InvariantCulture),
        Convert.ToBoolean(r.GetValue(11), System.Globalization.CultureInfo.InvariantCulture));
}
