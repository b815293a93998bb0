using System.Globalization;
using Dapper;
using Kabinet.Data.Connections;

namespace Kabinet.Web.Features.Network;

/// <summary>One CoA or Disconnect request as staff read it.</summary>
public sealed record CoaLogEntry(
    DateTimeOffset AnsweredAt,
    string Contract,
    string Account,
    string Event,
    string Kind,
    string Outcome,
    long? ErrorCause,
    long Attempts,
    long Rounds,
    DateTimeOffset? RetryAt,
    string UserName,
    string SessionId);

/// <summary>
/// The outcomes of CoA and Disconnect requests (coa_requests), newest first, for staff: the
/// coa-log verb now, the back office later. A NAK or timeout still being retried shows its next try.
/// </summary>
public sealed class CoaLog(Database database)
{
    /// <summary>The outcomes a filter may name.</summary>
    public static readonly string[] Outcomes = ["ack", "nak", "timeout", "no_nas", "ended"];

    /// <summary>The latest requests, optionally of one account or contract number and one outcome.</summary>
    public async Task<IReadOnlyList<CoaLogEntry>> ReadAsync(string? account, string? contract, string? outcome, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT c.answered_at AS AnsweredAt, k.number AS Contract, a.number AS Account, e.kind AS Event, c.kind AS Kind, c.outcome AS Outcome,
                   c.error_cause AS ErrorCause, c.attempts AS Attempts, c.rounds AS Rounds, c.retry_at AS RetryAt,
                   s.user_name AS UserName, s.session_id AS SessionId
            FROM coa_requests c
            JOIN account_events e ON e.id = c.event_id
            JOIN accounts a ON a.id = e.account_id
            JOIN contracts k ON k.id = a.contract_id
            JOIN radius_sessions s ON s.id = c.session_id
            WHERE (@account = '' OR a.number = @account) AND (@contract = '' OR k.number = @contract) AND (@outcome = '' OR c.outcome = @outcome)
            ORDER BY c.answered_at DESC, c.id DESC
            LIMIT @limit
            """,
            new { account = account ?? "", contract = contract ?? "", outcome = outcome ?? "", limit }, cancellationToken: ct));
        return rows.Select(r => new CoaLogEntry(r.AnsweredAt, r.Contract, r.Account, r.Event, r.Kind, r.Outcome, r.ErrorCause, r.Attempts, r.Rounds, r.RetryAt, r.UserName, r.SessionId)).ToList();
    }

    /// <summary>One line per request, tab-separated, for a terminal or a spreadsheet.</summary>
    public static void Write(IReadOnlyList<CoaLogEntry> entries, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine("answered_at\tcontract\taccount\tevent\tkind\toutcome\terror_cause\tattempts\trounds\tnext_try\tuser\tsession");
        foreach (var e in entries)
        {
            output.WriteLine(string.Join('\t',
                e.AnsweredAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                e.Contract, e.Account, e.Event, e.Kind, e.Outcome,
                e.ErrorCause is { } cause ? cause.ToString(CultureInfo.InvariantCulture) : "-",
                e.Attempts.ToString(CultureInfo.InvariantCulture),
                e.Rounds.ToString(CultureInfo.InvariantCulture),
                e.RetryAt is { } next ? next.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "final",
                e.UserName, e.SessionId));
        }
    }

    private sealed class Row
    {
        public DateTimeOffset AnsweredAt { get; set; }

        public string Contract { get; set; } = "";

        public string Account { get; set; } = "";

        public string Event { get; set; } = "";

        public string Kind { get; set; } = "";

        public string Outcome { get; set; } = "";

        public long? ErrorCause { get; set; }

        public long Attempts { get; set; }

        public long Rounds { get; set; }

        public DateTimeOffset? RetryAt { get; set; }

        public string UserName { get; set; } = "";

        public string SessionId { get; set; } = "";
    }
}
