using Dapper;
using Kabinet.Data.Connections;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.Network;

/// <summary>
/// Closes sessions the NAS stopped reporting (a lost Stop, a NAS that died): a session with no
/// accounting for the configured time is stopped at its last update with cause "Stale". A Stop
/// that arrives later replaces the stale close with the NAS's own.
/// </summary>
public sealed class StaleSessionJob(Database database, TimeProvider time, IOptions<NetworkOptions> options, ILogger<StaleSessionJob> logger) : BackgroundService
{
    /// <summary>Closes stale sessions now; returns how many.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var before = time.GetUtcNow() - TimeSpan.FromMinutes(options.Value.StaleSessionMinutes);
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await Database.BeginWriteAsync(connection, ct);
        var closed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE radius_sessions SET stopped_at = updated_at, stop_cause = 'Stale' WHERE stopped_at IS NULL AND updated_at < @before",
            new { before }, tx, cancellationToken: ct));
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
