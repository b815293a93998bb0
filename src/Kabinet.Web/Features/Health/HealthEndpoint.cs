using Dapper;
using Kabinet.Data.Connections;

namespace Kabinet.Web.Features.Health;

/// <summary>/healthz (M37): 200 when the database answers, 503 when it does not.</summary>
public static class HealthEndpoint
{
    /// <summary>Maps GET /healthz.</summary>
    public static void MapHealth(this IEndpointRouteBuilder app) =>
        app.MapGet("/healthz", async (Database database, ILoggerFactory logs, CancellationToken ct) =>
        {
            try
            {
                await using var connection = await database.OpenAsync(ct);
                await connection.ExecuteScalarAsync<int>("SELECT 1");
                return Results.Text("ok");
            }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
            {
                logs.CreateLogger("Health").LogError(e, "Health check: the database does not answer");
                return Results.Text("database unavailable", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }).AllowAnonymous().ExcludeFromDescription();
}
