using System.Data.Common;
using Dapper;
using Kabinet.Data.Connections;

namespace Kabinet.Web.Features.Billing;

/// <summary>
/// A lease on a named background job, so that with several instances only one does it. The row is
/// taken when it is free or expired; the holder renews it while working.
/// </summary>
public static class JobLease
{
    /// <summary>Takes or renews the lease; false when another holder has it.</summary>
    public static async Task<bool> TryAcquireAsync(Database database, string job, string holder, DateTimeOffset now, TimeSpan ttl, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var connection = await database.OpenAsync(ct);
        return await TryAcquireAsync(connection, job, holder, now, ttl);
    }

    /// <summary>The same on a connection the caller holds (outside any transaction of it).</summary>
    public static async Task<bool> TryAcquireAsync(DbConnection connection, string job, string holder, DateTimeOffset now, TimeSpan ttl)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var taken = await connection.ExecuteScalarAsync<string?>(
            """
            INSERT INTO job_leases (name, holder, expires_at) VALUES (@job, @holder, @expires)
            ON CONFLICT (name) DO UPDATE SET holder = @holder, expires_at = @expires
            WHERE job_leases.expires_at < @now OR job_leases.holder = @holder
            RETURNING holder
            """,
            new { job, holder, expires = now + ttl, now });
        return taken == holder;
    }

    /// <summary>Gives the lease back.</summary>
    public static async Task ReleaseAsync(Database database, string job, string holder)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("DELETE FROM job_leases WHERE name = @job AND holder = @holder", new { job, holder });
    }
}
