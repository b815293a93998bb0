using Dapper;
using Kabinet.Data.Connections;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.Network;

/// <summary>A network access server Kabinet knows.</summary>
public sealed record Nas(long Id, string Name, string Ip, string Vendor, int CoaPort, string CoaSecretProtected);

/// <summary>
/// The NAS list, read from the database at most every few seconds: it is tiny, changes rarely and
/// is consulted for every Access-Request and every CoA.
/// </summary>
public sealed class NasDirectory(Database database, TimeProvider time, IOptions<NetworkOptions> options)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(5);
    private volatile Snapshot? _snapshot;

    /// <summary>The NAS with this address, or null.</summary>
    public async Task<Nas?> FindAsync(string? ip, CancellationToken ct)
    {
        if (ip is null)
        {
            return null;
        }

        var snapshot = _snapshot;
        var now = time.GetUtcNow();
        if (snapshot is null || now - snapshot.ReadAt > Freshness)
        {
            await using var connection = await database.OpenAsync(ct);
            var rows = await connection.QueryAsync<(long Id, string Name, string Ip, string Vendor, long CoaPort, string Secret)>(new CommandDefinition(
                "SELECT id, name, ip, vendor, coa_port, coa_secret FROM nas", cancellationToken: ct));
            snapshot = new Snapshot(now, rows
                .Select(r => new Nas(r.Id, r.Name, r.Ip, r.Vendor, (int)r.CoaPort, r.Secret))
                .ToDictionary(n => n.Ip, StringComparer.OrdinalIgnoreCase));
            _snapshot = snapshot;
        }

        return snapshot.ByIp.GetValueOrDefault(ip);
    }

    /// <summary>The vendor profile for a NAS address: its own, or the configured default.</summary>
    public async Task<string> VendorAsync(string? ip, CancellationToken ct) =>
        (await FindAsync(ip, ct))?.Vendor ?? options.Value.DefaultVendor;

    /// <summary>Forgets the cached list (after a NAS was added or changed here).</summary>
    public void Invalidate() => _snapshot = null;

    private sealed record Snapshot(DateTimeOffset ReadAt, Dictionary<string, Nas> ByIp);
}
