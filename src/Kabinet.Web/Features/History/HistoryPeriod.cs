using System.Globalization;
using System.Text.Json;
using Kabinet.Domain.Common;
using Kabinet.Domain.Ledger;

namespace Kabinet.Web.Features.History;

/// <summary>
/// A period of whole days in the operator's zone, both ends included, and the instants that bound
/// it in the journal: from the start of <see cref="From"/> up to (not including) the start of the
/// day after <see cref="To"/>.
/// </summary>
public sealed record HistoryPeriod(DateOnly From, DateOnly To)
{
    /// <summary>The longest period a query may ask for, in days.</summary>
    public const int MaxDays = 366;

    // Far enough for any real journal; keeps the zone conversion away from DateTime's edges.
    private static readonly DateOnly Earliest = new(2000, 1, 1);
    private static readonly DateOnly Latest = new(2100, 12, 31);

    /// <summary>The first instant of the period.</summary>
    public DateTimeOffset Start(TimeZoneInfo zone) => StartOf(From, zone);

    /// <summary>The first instant after the period.</summary>
    public DateTimeOffset End(TimeZoneInfo zone) => StartOf(To.AddDays(1), zone);

    /// <summary>
    /// Reads the period from "YYYY-MM-DD" texts. Both missing: the current month up to today. Only
    /// <paramref name="to"/> given: from the first of its month. Only <paramref name="from"/> given:
    /// up to today (or that day, when it is in the future).
    /// </summary>
    public static Result<HistoryPeriod> Parse(string? from, string? to, DateOnly today)
    {
        DateOnly? fromDay = null;
        DateOnly? toDay = null;
        if (!string.IsNullOrWhiteSpace(from))
        {
            var read = ReadDay(from, "from");
            if (!read.IsSuccess)
            {
                return read.Error!;
            }

            fromDay = read.Value;
        }

        if (!string.IsNullOrWhiteSpace(to))
        {
            var read = ReadDay(to, "to");
            if (!read.IsSuccess)
            {
                return read.Error!;
            }

            toDay = read.Value;
        }

        var end = toDay ?? (fromDay is { } f && f > today ? f : today);
        var start = fromDay ?? new DateOnly(end.Year, end.Month, 1);
        if (end < start)
        {
            return new Error(HistoryErrors.ToBeforeFrom, "to");
        }

        if (end.DayNumber - start.DayNumber + 1 > MaxDays)
        {
            return new Error(HistoryErrors.PeriodTooLong, "to", Args(("max", MaxDays.ToString(CultureInfo.InvariantCulture))));
        }

        return new HistoryPeriod(start, end);
    }

    /// <summary>The kinds named in a comma-separated list ("payment,charge"); empty for none asked.</summary>
    public static Result<IReadOnlyList<TransactionKind>> ParseKinds(string? text)
    {
        var kinds = new List<TransactionKind>();
        if (string.IsNullOrWhiteSpace(text) || string.Equals(text.Trim(), "all", StringComparison.Ordinal))
        {
            return kinds;
        }

        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var kind = Enum.GetValues<TransactionKind>().Where(k => string.Equals(WireName(k), part, StringComparison.Ordinal)).ToList();
            if (kind.Count == 0)
            {
                return new Error(HistoryErrors.KindInvalid, "kind", Args(("allowed", string.Join(", ", Enum.GetValues<TransactionKind>().Select(WireName)))));
            }

            if (!kinds.Contains(kind[0]))
            {
                kinds.Add(kind[0]);
            }
        }

        return kinds;
    }

    /// <summary>The API's name of a kind: "promised_payment".</summary>
    public static string WireName(TransactionKind kind) => JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());

    private static Result<DateOnly> ReadDay(string text, string field)
    {
        if (!DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new Error(HistoryErrors.DateInvalid, field);
        }

        if (day < Earliest || day > Latest)
        {
            return new Error(HistoryErrors.DateOutOfRange, field, Args(
                ("min", Earliest.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("max", Latest.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))));
        }

        return day;
    }

    private static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo zone)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // Where clocks jump forward at midnight, the day starts at the first minute that exists.
        while (zone.IsInvalidTime(midnight))
        {
            midnight = midnight.AddMinutes(30);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(midnight, zone), TimeSpan.Zero);
    }

    private static Dictionary<string, string> Args(params (string Name, string Value)[] args) =>
        args.ToDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal);
}

/// <summary>The codes of history's expected failures ("error." + code is the text key).</summary>
public static class HistoryErrors
{
    public const string DateInvalid = "history.date_invalid";
    public const string DateOutOfRange = "history.date_out_of_range";
    public const string ToBeforeFrom = "history.to_before_from";
    public const string PeriodTooLong = "history.period_too_long";
    public const string KindInvalid = "history.kind_invalid";
    public const string LimitInvalid = "history.limit_invalid";
    public const string AfterInvalid = "history.after_invalid";
}
