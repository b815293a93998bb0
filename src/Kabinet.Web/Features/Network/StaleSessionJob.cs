using Dapper;
using Kabinet.Data.Connections;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.Network;

/// <summary>
/// The network's minute sweep. Closes sessions the NAS stopped reporting (a lost Stop, a NAS that
/// died): a session with no accounting for the configured time is stopped at its last update with
/// cause "Stale"; a Stop that arrives later replaces the stale close with the NAS's own. And
/// announces each Turbo that ran out, once, as a 'turbo_ended' event, so the CoA dispatcher gives
/// the session its normal speed back.
/// </summary>
public sealed class StaleSessionJob(Database database, TimeProvider time, IOptions<NetworkOptions> options, ILogger<StaleSessionJob> logger) : BackgroundService
{
    /// <summary>Closes stale sessions and announces ended Turbos now; returns how many sessions it closed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var before = now - TimeSpan.FromMinutes(options.Value.StaleSessionMinutes);
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await Database.BeginWriteAsync(connection, ct);
        var closed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE radius_sessions SET stopped_at = updated_at, stop_cause = 'Stale' WHERE stopped_at IS NULL AND updated_at < @before",
            new { before }, tx, cancellationToken: ct));
        var ended = (await connection.QueryAsync<(long Id, long AccountId, long ServiceId)>(new CommandDefinition(
            """
            UPDATE account_services SET expiry_announced_at = @now
            WHERE expires_at <= @now AND expiry_announced_at IS NULL
              AND service_id IN (SELECT id FROM extra_services WHERE network_role IS NOT NULL)
            RETURNING id, account_id, service_id
            """,
            new { now }, tx, cancellationToken: ct))).ToList();
        foreach (var e in ended)
        {
            await Billing.AccountStatusWriter.RecordAsync(connection, tx, e.AccountId, "turbo_ended", now,
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"service={e.ServiceId};purchase={e.Id}"));
        }

        await tx.CommitAsync(ct);
        return closed;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var closed = await RunOnceAsync(stoppingToken);
                if (closed > 0)
                {
                    logger.LogInformation("Closed {Count} stale sessions", closed);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Closing stale sessions failed; retrying on the next tick");
            }
        }
    }
}
