using Kabinet.Domain.Common;
using Kabinet.Domain.Money;
using Kabinet.Web.Features.Api;
using Kabinet.Web.Features.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kabinet.Web.Features.Connection;

/// <summary>A session in the API; bytes_in = uploaded by the subscriber, bytes_out = downloaded.</summary>
public sealed record SessionItem(DateTimeOffset StartedAt, DateTimeOffset UpdatedAt, DateTimeOffset? StoppedAt, string? StopCause, string? Ip, string? Mac, long BytesIn, long BytesOut);

/// <summary>A reason the account may be offline; link is the cabinet page that fixes it.</summary>
public sealed record ReasonItem(string Code, string Text, string Action, string? Link);

/// <summary>GET /api/v1/accounts/{id}/connection.</summary>
public sealed record ConnectionResponse(long AccountId, string Status, bool Online, SessionItem? Session, DateTimeOffset? LastSeen, Money Needed, IReadOnlyList<ReasonItem> Reasons);

/// <summary>Traffic of one day, or of one month (the month's first day).</summary>
public sealed record TrafficItem(DateOnly Period, long BytesIn, long BytesOut);

/// <summary>GET /api/v1/accounts/{id}/traffic.</summary>
public sealed record TrafficResponse(long AccountId, string By, IReadOnlyList<TrafficItem> Items);

/// <summary>The connection API (M14, M34): the same query as the page.</summary>
public static class ConnectionEndpoints
{
    /// <summary>Registers the query.</summary>
    public static void AddConnection(this IServiceCollection services)
    {
        services.AddSingleton<ConnectionQuery>();
        services.AddSingleton<WhyOffline>();
    }

    /// <summary>Maps the endpoints.</summary>
    public static void MapConnection(this RouteGroupBuilder api)
    {
        api.MapGet("/accounts/{id:long}/connection", ConnectionAsync)
            .WithName("GetConnection")
            .WithSummary("Whether the account is online, its live session, and the reasons it may be offline with what to do.")
            .Produces<ConnectionResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/accounts/{id:long}/sessions", SessionsAsync)
            .WithName("ListSessions")
            .WithSummary("The last 20 sessions, newest first.")
            .Produces<SessionItem[]>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/accounts/{id:long}/traffic", TrafficAsync)
            .WithName("GetTraffic")
            .WithSummary("Traffic per day for 30 days (by=day, the default) or per month for 12 months (by=month).")
            .Produces<TrafficResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<ConnectionResponse>, ProblemHttpResult>> ConnectionAsync(
        long id, HttpContext http, ConnectionQuery query, ApiProblems problems, CancellationToken ct)
    {
        if (await query.GetAsync(http.User.ContractId(), id, ct) is not { } v)
        {
            return problems.NotFound();
        }

        return TypedResults.Ok(new ConnectionResponse(
            v.AccountId, v.Status.ToString().ToLowerInvariant(), v.Live is not null, v.Live is null ? null : Item(v.Live), v.LastSeen, v.Needed,
            v.Reasons.Select(r => new ReasonItem(r.Code, r.Text, r.Action, r.Link)).ToList()));
    }

    private static async Task<Results<Ok<List<SessionItem>>, ProblemHttpResult>> SessionsAsync(
        long id, HttpContext http, ConnectionQuery query, ApiProblems problems, CancellationToken ct) =>
        await query.GetAsync(http.User.ContractId(), id, ct) is { } v
            ? TypedResults.Ok(v.Sessions.Select(Item).ToList())
            : problems.NotFound();

    private static async Task<Results<Ok<TrafficResponse>, ProblemHttpResult>> TrafficAsync(
        long id, string? by, HttpContext http, ConnectionQuery query, ApiProblems problems, CancellationToken ct)
    {
        by ??= "day";
        if (by is not ("day" or "month"))
        {
            return problems.For(new Error("connection.period", "by"), StatusCodes.Status400BadRequest);
        }

        if (await query.GetAsync(http.User.ContractId(), id, ct) is not { } v)
        {
            return problems.NotFound();
        }

        var points = by == "day" ? v.Days : v.Months;
        return TypedResults.Ok(new TrafficResponse(id, by, points.Select(p => new TrafficItem(p.Period, p.BytesIn, p.BytesOut)).ToList()));
    }

    private static SessionItem Item(SessionView s) => new(s.StartedAt, s.UpdatedAt, s.StoppedAt, s.StopCause, s.Ip, s.Mac, s.BytesIn, s.BytesOut);
}
