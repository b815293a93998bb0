using System.Globalization;
using Kabinet.Domain.Common;
using Kabinet.Domain.Subscribers;

namespace Kabinet.Domain.Billing;

using Money = Kabinet.Domain.Money.Money;

/// <summary>
/// The operator's voluntary-freeze rules (M13). Their values have one home, the billing_rules row the
/// product reads (its column defaults, migration 0002, are the product's defaults); this record only
/// carries them, so it has no defaults of its own.
/// </summary>
public sealed record FreezeRules
{
    /// <summary>The shortest freeze, in days.</summary>
    public required int MinDays { get; init; }

    /// <summary>The longest freeze, in days.</summary>
    public required int MaxDays { get; init; }

    /// <summary>Frozen days allowed per calendar year.</summary>
    public required int DaysPerYear { get; init; }

    /// <summary>Frozen days per calendar year that carry no fee.</summary>
    public required int FreeDaysPerYear { get; init; }

    /// <summary>The fee for each frozen day beyond the free allowance.</summary>
    public required Money DailyFee { get; init; }

    /// <summary>How many days ahead a freeze may start.</summary>
    public required int MaxDaysAhead { get; init; }
}

/// <summary>What the policy needs to know about the account, as of <see cref="Today"/>.</summary>
/// <param name="Status">The account's status.</param>
/// <param name="Today">The billing day in the operator's zone.</param>
/// <param name="UsedDaysThisYear">Days already frozen (or planned) in the calendar year of the new start.</param>
/// <param name="HasActiveOrPlannedFreeze">True when a freeze is running or booked.</param>
public sealed record FreezeContext(AccountStatus Status, DateOnly Today, int UsedDaysThisYear, bool HasActiveOrPlannedFreeze);

/// <summary>
/// The price of a freeze from <see cref="Start"/> to <see cref="End"/> (both included). The free
/// days come first, the paid ones last, so ending a freeze early drops paid days before free ones.
/// </summary>
public sealed record FreezeQuote(DateOnly Start, DateOnly End, int Days, int FreeDays, int PaidDays, Money DailyFee, Money Fee)
{
    /// <summary>True when <paramref name="day"/> is a frozen day that carries <see cref="DailyFee"/>.</summary>
    public bool IsPaidDay(DateOnly day) => day <= End && day >= Start.AddDays(FreeDays);
}

/// <summary>Decides whether and at what price an account may freeze (M13).</summary>
public static class FreezePolicy
{
    /// <summary>
    /// Quotes a freeze from <paramref name="start"/> to <paramref name="end"/> (both included) or says
    /// why not. Simplification: a freeze that crosses New Year counts all its days, for both the
    /// yearly limit and the free allowance, in the year it starts.
    /// </summary>
    public static Result<FreezeQuote> Quote(FreezeRules rules, FreezeContext ctx, DateOnly start, DateOnly end)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(ctx);

        if (ctx.Status is AccountStatus.Frozen or AccountStatus.Terminated)
        {
            return new Error(FreezeErrors.NotEligible);
        }

        if (ctx.HasActiveOrPlannedFreeze)
        {
            return new Error(FreezeErrors.AlreadyPlanned);
        }

        // Today's charges may already be taken, so the earliest start is tomorrow.
        if (start <= ctx.Today)
        {
            return new Error(FreezeErrors.StartInPast, "start");
        }

        if (BillingCalendar.DaysBetween(ctx.Today, start) > rules.MaxDaysAhead)
        {
            return new Error(FreezeErrors.TooFar, "start", Args("max", rules.MaxDaysAhead));
        }

        if (end < start)
        {
            return new Error(FreezeErrors.EndBeforeStart, "end");
        }

        var days = BillingCalendar.DaysBetween(start, end) + 1;
        if (days < rules.MinDays)
        {
            return new Error(FreezeErrors.TooShort, "end", Args("min", rules.MinDays));
        }

        if (days > rules.MaxDays)
        {
            return new Error(FreezeErrors.TooLong, "end", Args("max", rules.MaxDays));
        }

        var left = Math.Max(0, rules.DaysPerYear - ctx.UsedDaysThisYear);
        if (days > left)
        {
            return new Error(FreezeErrors.YearlyLimit, null, Args("left", left));
        }

        var free = Math.Min(days, Math.Max(0, rules.FreeDaysPerYear - ctx.UsedDaysThisYear));
        var paid = days - free;
        return new FreezeQuote(start, end, days, free, paid, rules.DailyFee, rules.DailyFee * paid);
    }

    private static Dictionary<string, string> Args(string key, int value) =>
        new(StringComparer.Ordinal) { [key] = value.ToString(CultureInfo.InvariantCulture) };
}

/// <summary>The error codes of <see cref="FreezePolicy"/>.</summary>
public static class FreezeErrors
{
    /// <summary>The start is today or earlier (field "start").</summary>
    public const string StartInPast = "freeze.start_in_past";

    /// <summary>The start is more than MaxDaysAhead days away (field "start", arg "max").</summary>
    public const string TooFar = "freeze.too_far";

    /// <summary>The end is before the start (field "end").</summary>
    public const string EndBeforeStart = "freeze.end_before_start";

    /// <summary>Fewer days than MinDays (field "end", arg "min").</summary>
    public const string TooShort = "freeze.too_short";

    /// <summary>More days than MaxDays (field "end", arg "max").</summary>
    public const string TooLong = "freeze.too_long";

    /// <summary>The year's allowance would be exceeded (arg "left": days still allowed this year).</summary>
    public const string YearlyLimit = "freeze.yearly_limit";

    /// <summary>A freeze is already running or booked.</summary>
    public const string AlreadyPlanned = "freeze.already_planned";

    /// <summary>The account is frozen or terminated.</summary>
    public const string NotEligible = "freeze.not_eligible";
}
