using System.Data.Common;
using System.Globalization;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Domain.Billing;
using Kabinet.Domain.Catalog;
using Kabinet.Domain.Common;
using Kabinet.Domain.Money;
using Kabinet.Domain.Subscribers;
using Kabinet.Web.Features.Billing;
using Kabinet.Web.Hosting;

namespace Kabinet.Web.Features.Freeze;

/// <summary>An account of the logged-in contract, as the freeze page lists it.</summary>
/// <param name="TariffMode">How the account's tariff is charged: a monthly-in-advance month already paid is not refunded for frozen days.</param>
public sealed record FreezeAccount(long Id, string Number, string Title, AccountStatus Status, ChargeMode TariffMode);

/// <summary>An open freeze: booked (not started) or running.</summary>
public sealed record FreezeView(long Id, DateOnly Start, DateOnly End, DateOnly PaidFrom, Money DailyFee, bool Started)
{
    /// <summary>The fee of its paid days.</summary>
    public Money Fee => End < PaidFrom ? Money.Zero : DailyFee * (End.DayNumber - PaidFrom.DayNumber + 1);
}

/// <summary>The operator's rules, this year's use and the open freeze of the selected account.</summary>
public sealed record FreezeOverview(
    IReadOnlyList<FreezeAccount> Accounts, FreezeAccount? Selected, FreezeRules Rules, int Year, int UsedDays, FreezeView? Current, DateOnly Today)
{
    /// <summary>Frozen days still allowed this year.</summary>
    public int DaysLeft => Math.Max(0, Rules.DaysPerYear - UsedDays);

    /// <summary>Free days still left this year.</summary>
    public int FreeDaysLeft => Math.Max(0, Rules.FreeDaysPerYear - UsedDays);
}

/// <summary>How a freeze was ended early.</summary>
public sealed record FreezeEnded(long Id, string Outcome, DateOnly Start, DateOnly? EndsOn);

/// <summary>The error codes of the freeze handler beyond <see cref="FreezeErrors"/>.</summary>
public static class FreezeHandlerErrors
{
    /// <summary>A date is missing (field "start" or "end").</summary>
    public const string DateRequired = "freeze.date_required";

    /// <summary>A date is not YYYY-MM-DD (field "start" or "end").</summary>
    public const string DateInvalid = "freeze.date_invalid";

    /// <summary>There is no booked or running freeze.</summary>
    public const string None = "freeze.none";
}

/// <summary>
/// Voluntary freeze (M13): rules and use, quote, booking and ending early. The billing run starts
/// and ends freezes on their days and charges the daily fee; this class never charges.
/// </summary>
public sealed class Freezes(Database database, OperatorClock clock)
{
    /// <summary>The rules, use this year and the open freeze for the selected account (asked for if the contract's, else the first).</summary>
    public async Task<FreezeOverview> OverviewAsync(long contractId, long? accountId, CancellationToken ct)
    {
        var today = clock.Today;
        await using var connection = await database.OpenAsync(ct);
        var accounts = await AccountsAsync(connection, null, contractId, ct);
        var selected = accounts.FirstOrDefault(a => a.Id == accountId) ?? accounts.FirstOrDefault();
        var rules = await RulesAsync(connection, null, ct);
        var used = selected is null ? 0 : await UsedDaysAsync(connection, null, selected.Id, today.Year, ct);
        var current = selected is null ? null : await OpenAsync(connection, null, selected.Id, ct);
        return new FreezeOverview(accounts, selected, rules, today.Year, used, current, today);
    }

    /// <summary>Quotes a freeze; null when the account is not the contract's.</summary>
    public async Task<Result<FreezeQuote>?> QuoteAsync(long contractId, long accountId, string? start, string? end, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await QuoteAsync(connection, null, contractId, accountId, start, end, ct);
    }

    /// <summary>Books a freeze; one open freeze per account, enforced by the database. Null when the account is not the contract's.</summary>
    public async Task<Result<FreezeView>?> ConfirmAsync(long contractId, long accountId, string? start, string? end, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await Database.BeginWriteAsync(connection, ct);
        var quoted = await QuoteAsync(connection, tx, contractId, accountId, start, end, ct);
        if (quoted is not { } result)
        {
            return null;
        }

        if (!result.IsSuccess)
        {
            return Result<FreezeView>.Fail(result.Error!);
        }

        var q = result.Value;
        var paidFrom = q.Start.AddDays(q.FreeDays);
        try
        {
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO freezes (account_id, starts_on, ends_on, paid_from, daily_fee, status, created_at)
                VALUES (@accountId, @start, @end, @paidFrom, @fee, 1, @now) RETURNING id
                """,
                new { accountId, start = q.Start, end = q.End, paidFrom, fee = q.DailyFee.Kopecks, now = clock.UtcNow },
                tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            return new FreezeView(id, q.Start, q.End, paidFrom, q.DailyFee, false);
        }
        catch (DbException e) when (Database.IsUniqueViolation(e))
        {
            return Result<FreezeView>.Fail(new Error(FreezeErrors.AlreadyPlanned));
        }
    }

    /// <summary>
    /// Ends the open freeze early: one that has not started (or starts today) is cancelled, one that
    /// started earlier ends yesterday; either way the account resumes now. Null when the account is
    /// not the contract's.
    /// </summary>
    public async Task<Result<FreezeEnded>?> EndAsync(long contractId, long accountId, CancellationToken ct)
    {
        var today = clock.Today;
        var now = clock.UtcNow;
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await Database.BeginWriteAsync(connection, ct);
        var accounts = await AccountsAsync(connection, tx, contractId, ct);
        if (!accounts.Any(a => a.Id == accountId))
        {
            return null;
        }

        var open = await OpenAsync(connection, tx, accountId, ct);
        if (open is null)
        {
            return Result<FreezeEnded>.Fail(new Error(FreezeHandlerErrors.None));
        }

        FreezeEnded ended;
        if (today > open.Start)
        {
            var endsOn = open.End < today ? open.End : today.AddDays(-1);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE freezes SET ends_on = @endsOn, status = 2, closed_at = @now WHERE id = @id AND status = 1",
                new { endsOn, now, id = open.Id }, tx, cancellationToken: ct));
            ended = new FreezeEnded(open.Id, "ended", open.Start, endsOn);
        }
        else
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE freezes SET status = 3, closed_at = @now WHERE id = @id AND status = 1",
                new { now, id = open.Id }, tx, cancellationToken: ct));
            ended = new FreezeEnded(open.Id, "cancelled", open.Start, null);
        }

        await DayStart.ResumeAsync(connection, tx, accountId, now);
        await tx.CommitAsync(ct);
        return ended;
    }

    /// <summary>Reads a day typed as YYYY-MM-DD (what &lt;input type="date"&gt; sends).</summary>
    public static Result<DateOnly> ParseDay(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new Error(FreezeHandlerErrors.DateRequired, field);
        }

        return DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : new Error(FreezeHandlerErrors.DateInvalid, field);
    }

    private async Task<Result<FreezeQuote>?> QuoteAsync(
        DbConnection connection, DbTransaction? tx, long contractId, long accountId, string? start, string? end, CancellationToken ct)
    {
        var accounts = await AccountsAsync(connection, tx, contractId, ct);
        var account = accounts.FirstOrDefault(a => a.Id == accountId);
        if (account is null)
        {
            return null;
        }

        var from = ParseDay(start, "start");
        if (!from.IsSuccess)
        {
            return Result<FreezeQuote>.Fail(from.Error!);
        }

        var to = ParseDay(end, "end");
        if (!to.IsSuccess)
        {
            return Result<FreezeQuote>.Fail(to.Error!);
        }

        var rules = await RulesAsync(connection, tx, ct);
        var used = await UsedDaysAsync(connection, tx, accountId, from.Value.Year, ct);
        var open = await OpenAsync(connection, tx, accountId, ct);
        return FreezePolicy.Quote(rules, new FreezeContext(account.Status, clock.Today, used, open is not null), from.Value, to.Value);
    }

    private static async Task<List<FreezeAccount>> AccountsAsync(DbConnection connection, DbTransaction? tx, long contractId, CancellationToken ct) =>
        (await connection.QueryAsync<AccountRow>(new CommandDefinition(
            """
            SELECT a.id AS Id, a.number AS Number, a.title AS Title, a.status AS Status, COALESCE(t.charge_mode, 1) AS TariffMode
            FROM accounts a LEFT JOIN tariffs t ON t.id = a.tariff_id WHERE a.contract_id = @contractId ORDER BY a.id
            """,
            new { contractId }, tx, cancellationToken: ct)))
        .Select(r => new FreezeAccount(r.Id, r.Number, r.Title, (AccountStatus)r.Status, (ChargeMode)r.TariffMode)).ToList();

    private static async Task<FreezeRules> RulesAsync(DbConnection connection, DbTransaction? tx, CancellationToken ct)
    {
        // The row is always there (migration 0002 inserts it, the only one its CHECK allows).
        var row = await connection.QuerySingleAsync<RulesRow>(new CommandDefinition(
            """
            SELECT freeze_min_days AS MinDays, freeze_max_days AS MaxDays, freeze_days_per_year AS DaysPerYear,
                   freeze_free_days_per_year AS FreeDaysPerYear, freeze_daily_fee AS DailyFee, freeze_max_days_ahead AS MaxDaysAhead
            FROM billing_rules WHERE id = 1
            """, transaction: tx, cancellationToken: ct));
        return new FreezeRules
        {
            MinDays = row.MinDays,
            MaxDays = row.MaxDays,
            DaysPerYear = row.DaysPerYear,
            FreeDaysPerYear = row.FreeDaysPerYear,
            DailyFee = new Money(row.DailyFee),
            MaxDaysAhead = row.MaxDaysAhead,
        };
    }

    // Booked, running and finished freezes that start in the year; cancelled ones do not count.
    private static async Task<int> UsedDaysAsync(DbConnection connection, DbTransaction? tx, long accountId, int year, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<SpanRow>(new CommandDefinition(
            """
            SELECT starts_on AS StartsOn, ends_on AS EndsOn FROM freezes
            WHERE account_id = @accountId AND status IN (1, 2) AND starts_on >= @from AND starts_on < @to
            """,
            new { accountId, from = new DateOnly(year, 1, 1), to = new DateOnly(year + 1, 1, 1) }, tx, cancellationToken: ct));
        return rows.Sum(r => Math.Max(0, r.EndsOn.DayNumber - r.StartsOn.DayNumber + 1));
    }

    private async Task<FreezeView?> OpenAsync(DbConnection connection, DbTransaction? tx, long accountId, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<FreezeRow>(new CommandDefinition(
            """
            SELECT id AS Id, starts_on AS StartsOn, ends_on AS EndsOn, paid_from AS PaidFrom, daily_fee AS DailyFee
            FROM freezes WHERE account_id = @accountId AND status = 1
            """,
            new { accountId }, tx, cancellationToken: ct));
        return row is null ? null : new FreezeView(row.Id, row.StartsOn, row.EndsOn, row.PaidFrom, new Money(row.DailyFee), row.StartsOn <= clock.Today);
    }

    private sealed class AccountRow
    {
        public long Id { get; set; }

        public string Number { get; set; } = "";

        public string Title { get; set; } = "";

        public int Status { get; set; }

        public int TariffMode { get; set; }
    }

    private sealed class RulesRow
    {
        public int MinDays { get; set; }

        public int MaxDays { get; set; }

        public int DaysPerYear { get; set; }

        public int FreeDaysPerYear { get; set; }

        public long DailyFee { get; set; }

        public int MaxDaysAhead { get; set; }
    }

    private sealed class SpanRow
    {
        public DateOnly StartsOn { get; set; }

        public DateOnly EndsOn { get; set; }
    }

    private sealed class FreezeRow
    {
        public long Id { get; set; }

        public DateOnly StartsOn { get; set; }

        public DateOnly EndsOn { get; set; }

        public DateOnly PaidFrom { get; set; }

        public long DailyFee { get; set; }
    }
}
