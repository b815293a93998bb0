using System.Data.Common;
using Dapper;
using Kabinet.Data.Connections;

namespace Kabinet.Web.Features.Network;

/// <summary>
/// The access points that the new sessions of an accounting batch belong to, read for the whole
/// batch in at most three queries: by the echoed Class (the access point id Kabinet gave at
/// authorization), by PPPoE login, and by IPoE MAC; a packet takes the first that matches.
/// </summary>
internal sealed class BatchOwners
{
    private readonly Dictionary<long, long> _byId;
    private readonly Dictionary<string, (long AccessPointId, long AccountId)> _byLogin;
    private readonly Dictionary<string, (long AccessPointId, long AccountId)> _byMac;

    private BatchOwners(
        Dictionary<long, long> byId, Dictionary<string, (long, long)> byLogin, Dictionary<string, (long, long)> byMac) =>
        (_byId, _byLogin, _byMac) = (byId, byLogin, byMac);

    public static async Task<BatchOwners> ReadAsync(DbConnection connection, DbTransaction tx, IEnumerable<AccountingPacket> packets, CancellationToken ct)
    {
        var fresh = packets.Where(p => p.Kind is not (AccountingKind.On or AccountingKind.Off)).ToList();
        var ids = fresh.Where(p => p.AccessPointId is not null).Select(p => p.AccessPointId!.Value).Distinct().ToList();
        var logins = fresh.Where(p => p.UserName.Length > 0).Select(p => p.UserName).Distinct(StringComparer.Ordinal).ToList();
        var macs = fresh.Where(p => p.Mac is not null).Select(p => p.Mac!).Distinct(StringComparer.Ordinal).ToList();

        var byId = ids.Count == 0 ? [] : (await connection.QueryAsync<(long Id, long AccountId)>(new CommandDefinition(
            "SELECT id, account_id FROM access_points WHERE " + SqlList.In(connection, "id", "ids"), new { ids }, tx, cancellationToken: ct)))
            .ToDictionary(r => r.Id, r => r.AccountId);
        var byLogin = logins.Count == 0 ? [] : (await connection.QueryAsync<(string Login, long Id, long AccountId)>(new CommandDefinition(
            "SELECT login, id, account_id FROM access_points WHERE " + SqlList.In(connection, "login", "logins"), new { logins }, tx, cancellationToken: ct)))
            .ToDictionary(r => r.Login, r => (r.Id, r.AccountId), StringComparer.Ordinal);
        // Several IPoE access points may share a MAC: the oldest one, as authorization picks it.
        var byMac = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        if (macs.Count > 0)
        {
            var rows = await connection.QueryAsync<(string Mac, long Id, long AccountId)>(new CommandDefinition(
                "SELECT mac, id, account_id FROM access_points WHERE kind = 2 AND " + SqlList.In(connection, "mac", "macs") + " ORDER BY id",
                new { macs }, tx, cancellationToken: ct));
            foreach (var row in rows)
            {
                byMac.TryAdd(row.Mac, (row.Id, row.AccountId));
            }
        }

        return new BatchOwners(byId, byLogin, byMac);
    }

    /// <summary>The packet's access point and account, or null when Kabinet does not know it.</summary>
    public (long AccessPointId, long AccountId)? Of(AccountingPacket p)
    {
        if (p.AccessPointId is { } id && _byId.TryGetValue(id, out var account))
        {
            return (id, account);
        }

        if (p.UserName.Length > 0 && _byLogin.TryGetValue(p.UserName, out var byLogin))
        {
            return byLogin;
        }

        return p.Mac is { } mac && _byMac.TryGetValue(mac, out var byMac) ? byMac : null;
    }
}
