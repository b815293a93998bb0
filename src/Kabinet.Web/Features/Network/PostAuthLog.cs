using System.Collections.Concurrent;
using Dapper;
using Kabinet.Data.Connections;

namespace Kabinet.Web.Features.Network;

/// <summary>
/// Keeps each access point's last authorization outcome ("accept", or "reject:" and a reason) for
/// "why am I offline". Outcomes are held in memory and written once a second in one transaction,
/// so a storm of Access-Requests costs no write each; only the latest per access point matters.
/// </summary>
public sealed class PostAuthLog(Database database, ILogger<PostAuthLog> logger) : BackgroundService
{
    private ConcurrentDictionary<long, (DateTimeOffset At, string Result)> _pending = new();

    /// <summary>Notes an outcome.</summary>
    public void Record(long accessPointId, DateTimeOffset at, string result) => _pending[accessPointId] = (at, result);

    /// <summary>Writes what was noted; returns the number of access points updated.</summary>
    public async Task<int> FlushAsync(CancellationToken ct)
    {
        if (_pending.IsEmpty)
        {
            return 0;
        }

        var taken = Interlocked.Exchange(ref _pending, new ConcurrentDictionary<long, (DateTimeOffset At, string Result)>());
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await Database.BeginWriteAsync(connection, ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE access_points SET last_auth_at = @At, last_auth_result = @Result WHERE id = @Id",
            taken.Select(p => new { Id = p.Key, p.Value.At, p.Value.Result }), tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return taken.Count;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await FlushAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Could not write the last authorization outcomes; they are dropped");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        await FlushAsync(CancellationToken.None);
    }
}
