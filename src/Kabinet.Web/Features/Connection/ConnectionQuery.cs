using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Domain.Money;
using Kabinet.Domain.Subscribers;
using Kabinet.Web.Features.Network;
using Kabinet.Web.Hosting;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.Connection;

/// <summary>
/// Reads an account's connection for the cabinet and the API: the live session, the last ones,
/// traffic per day (30 days) and per month (12 months), and the reasons it may be offline.
/// </summary>
public sealed class ConnectionQuery(Database database, OperatorClock clock, WhyOffline why)
{
    /// <summary>How many sessions the list shows.</summary>
    public const int SessionCount = 20;

    /// <summary>The connection of an account of this contract; null when the account is not the contract's.</summary>
    public async Task<ConnectionView?> GetAsync(long contractId, long accountId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var account = await connection.QuerySingleOrDefaultAsync<(long Id, string Number, string Title, long Status, long Balance, long Threshold)?>(new CommandDefinition(
            """
            SELECT a.id, a.number, a.title, a.status, la.balance, a.threshold
            FROM accounts a JOIN ledger_accounts la ON la.id = a.ledger_account_id
            WHERE a.id = @accountId AND a.contract_id = @contractId
            """,
            new { accountId, contractId }, cancellationToken: ct));
        if (account is not { } a)
        {
            return null;
        }

        var sessions = (await connection.QueryAsync<(DateTimeOffset StartedAt, DateTimeOffset UpdatedAt, DateTimeOffset? StoppedAt, string? Cause, string? Ip, string? Mac, string NasIp, long BytesIn, long BytesOut)>(
            new CommandDefinition(
                """
                SELECT started_at, updated_at, stopped_at, stop_cause, framed_ip, mac, nas_ip, bytes_in, bytes_out
                FROM radius_sessions WHERE account_id = @accountId ORDER BY started_at DESC, id DESC LIMIT @count
                """,
                new { accountId, count = SessionCount }, cancellationToken: ct)))
            .Select(s => new SessionView(s.StartedAt, s.UpdatedAt, s.StoppedAt, s.Cause, s.Ip, s.Mac, s.NasIp, s.BytesIn, s.BytesOut))
            .ToList();
        var live = sessions.Find(s => s.StoppedAt is null);
        var lastSeen = sessions.Count == 0 ? (DateTimeOffset?)null : sessions.Max(s => s.StoppedAt ?? s.UpdatedAt);

        var today = clock.Today;
        var firstMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(-11);
        var daily = (await connection.QueryAsync<(DateOnly Day, long BytesIn, long BytesOut)>(new CommandDefinition(
            "SELECT day, bytes_in, bytes_out FROM traffic_daily WHERE account_id = @accountId AND day >= @firstMonth ORDER BY day",
            new { accountId, firstMonth }, cancellationToken: ct))).ToList();
        var days = Enumerable.Range(0, 30).Select(i => today.AddDays(i - 29))
            .GroupJoin(daily, d => d, r => r.Day, (d, rows) => new TrafficPoint(d, rows.Sum(r => r.BytesIn), rows.Sum(r => r.BytesOut)))
            .ToList();
        var months = Enumerable.Range(0, 12).Select(i => firstMonth.AddMonths(i))
            .GroupJoin(daily, m => m, r => new DateOnly(r.Day.Year, r.Day.Month, 1), (m, rows) => new TrafficPoint(m, rows.Sum(r => r.BytesIn), rows.Sum(r => r.BytesOut)))
            .ToList();

        var view = new ConnectionView(a.Id, a.Number, a.Title, (AccountStatus)a.Status, new Money(a.Balance), new Money(a.Threshold),
            live, lastSeen, sessions, days, months, []);
        return view with { Reasons = await why.ExplainAsync(connection, view, ct) };
    }
}
