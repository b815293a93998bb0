using System.Globalization;
using System.Net;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Domain.Common;

namespace Kabinet.Web.Features.Network;

/// <summary>
/// Staff changes to the network side until the back office exists (command verbs): adding or
/// updating a NAS and setting an access point's PPPoE password or Option 82 identity. Every
/// change is audited.
/// </summary>
public sealed class NetworkAdmin(Database database, NetworkSecrets secrets, NasDirectory directory, TimeProvider time)
{
    /// <summary>Adds a NAS, or updates the one with this address.</summary>
    public async Task<Result<long>> SaveNasAsync(string name, string ip, string vendor, string coaSecret, int coaPort, string actor, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return new Error("network.nas_name", "name");
        }

        if (!IPAddress.TryParse(ip, out var address))
        {
            return new Error("network.nas_ip", "ip");
        }

        if (!VendorProfiles.IsKnown(vendor))
        {
            return new Error("network.nas_vendor", "vendor");
        }

        if (string.IsNullOrEmpty(coaSecret) || coaPort is < 1 or > 65535)
        {
            return new Error("network.nas_coa", string.IsNullOrEmpty(coaSecret) ? "secret" : "coa-port");
        }

        var protectedSecret = secrets.Protect(coaSecret);
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await Database.BeginWriteAsync(connection, ct);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO nas (name, ip, vendor, coa_port, coa_secret, created_at) VALUES (@name, @ip, @vendor, @coaPort, @protectedSecret, @now)
            ON CONFLICT (ip) DO UPDATE SET name = @name, vendor = @vendor, coa_port = @coaPort, coa_secret = @protectedSecret
            RETURNING id
            """,
            new { name, ip = address.ToString(), vendor, coaPort, protectedSecret, now }, tx, cancellationToken: ct));
        await Staff.AuditLog.WriteAsync(connection, tx, now, actor, "nas.save", $"nas:{id}", $"ip={address};vendor={vendor};coa_port={coaPort}", ct);
        await tx.CommitAsync(ct);
        directory.Invalidate();
        return id;
    }

    /// <summary>Sets the PPPoE password of the access point with this login.</summary>
    public async Task<Result<long>> SetPppoePasswordAsync(string login, string password, string actor, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(password) || password.Length is < 6 or > 64)
        {
            return new Error("network.pppoe_password", "password");
        }

        var protectedPassword = secrets.Protect(password);
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await Database.BeginWriteAsync(connection, ct);
        var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "UPDATE access_points SET password_protected = @protectedPassword WHERE login = @login RETURNING id",
            new { protectedPassword, login }, tx, cancellationToken: ct));
        if (id is null)
        {
            return new Error("network.unknown_login", "login");
        }

        await Staff.AuditLog.WriteAsync(connection, tx, now, actor, "access_point.pppoe_password", $"access_point:{id}", "", ct);
        await tx.CommitAsync(ct);
        return id.Value;
    }

    /// <summary>
    /// Gives every access point without a PPPoE password this one (bulk-seeded load-test data),
    /// each encrypted on its own as <see cref="SetPppoePasswordAsync"/> would, so that what RADIUS
    /// reads back is as varied as real subscribers' passwords.
    /// </summary>
    public async Task<int> SetMissingPppoePasswordsAsync(string password, string actor, CancellationToken ct)
    {
        const int Batch = 5_000;
        await using var connection = await database.OpenAsync(ct);
        var count = 0;
        var after = 0L;
        while (true)
        {
            var ids = (await connection.QueryAsync<long>(new CommandDefinition(
                "SELECT id FROM access_points WHERE password_protected IS NULL AND kind = 1 AND id > @after ORDER BY id LIMIT @Batch",
                new { after, Batch }, cancellationToken: ct))).ToList();
            if (ids.Count == 0)
            {
                break;
            }

            // Each access point gets its own ciphertext, as when staff set passwords one by one.
            var encrypted = ids.Select(_ => secrets.Protect(password)).ToArray();
            await using var tx = await Database.BeginWriteAsync(connection, ct);
            // PostgreSQL takes the batch as two arrays in one statement; SQLite runs one prepared
            // statement per row in the transaction (no round trips to save, and a VALUES list of
            // thousands of parameters costs more to bind than the rows to write).
            var parameters = new DynamicParameters();
            count += database.Kind == DatabaseKind.Postgres
                ? await connection.ExecuteAsync(new CommandDefinition(
                    $"""
                    UPDATE access_points SET password_protected = v.secret FROM {SqlRows.Table(connection, parameters, "v", ("id", ids.ToArray()), ("secret", encrypted))}
                    WHERE access_points.id = v.id AND access_points.password_protected IS NULL
                    """,
                    parameters, tx, cancellationToken: ct, commandTimeout: 600))
                : await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE access_points SET password_protected = @secret WHERE id = @id AND password_protected IS NULL",
                    ids.Select((id, i) => new { id, secret = encrypted[i] }), tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            after = ids[^1];
        }

        await using (var tx = await Database.BeginWriteAsync(connection, ct))
        {
            await Staff.AuditLog.WriteAsync(connection, tx, time.GetUtcNow(), actor, "access_point.pppoe_password_bulk", "access_points", $"count={count}", ct);
            await tx.CommitAsync(ct);
        }

        return count;
    }
}
