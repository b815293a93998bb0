using Kabinet.Domain.Catalog;

namespace Kabinet.Domain.Billing;

using Money = Kabinet.Domain.Money.Money;

/// <summary>Calendar helpers shared by the billing rules.</summary>
public static class BillingCalendar
{
    /// <summary>The 1st of the month that holds <paramref name="day"/>.</summary>
    public static DateOnly FirstOfMonth(DateOnly day) => new(day.Year, day.Month, 1);

    /// <summary>The last day of the month that holds <paramref name="day"/>.</summary>
    public static DateOnly EndOfMonth(DateOnly day) => new(day.Year, day.Month, DateTime.DaysInMonth(day.Year, day.Month));

    /// <summary>The 1st of the month after the one that holds <paramref name="day"/>.</summary>
    public static DateOnly FirstOfNextMonth(DateOnly day) => FirstOfMonth(day).AddMonths(1);

    /// <summary>Whole days from <paramref name="from"/> to <paramref name="to"/> (negative when to is earlier).</summary>
    public static int DaysBetween(DateOnly from, DateOnly to) => to.DayNumber - from.DayNumber;
}

/// <summary>
/// Daily mode (M30): a monthly fee spread over the N days of that month, kopeck-exact. Day d costs
/// <c>fee / N</c> kopecks plus one more when <c>d &lt;= fee % N</c>, which is exactly
/// <c>fee.Split(N)[d - 1]</c>: the leftover kopecks go to the earliest days, so the days of any month
/// add up to the fee and the SQL billing run can compute a day without the rest of the month.
/// </summary>
public static class DailyCharge
{
    /// <summary>What <paramref name="day"/> costs out of <paramref name="monthlyFee"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The fee is negative (a catalogue bug, never a subscriber's input).</exception>
    public static Money ForDay(Money monthlyFee, DateOnly day)
    {
        RequireFee(monthlyFee);
        var n = DateTime.DaysInMonth(day.Year, day.Month);
        var fee = monthlyFee.Kopecks;
        return new Money((fee / n) + (day.Day <= fee % n ? 1 : 0));
    }

    /// <summary>
    /// What the days from <paramref name="from"/> to <paramref name="to"/>, both included, cost; the
    /// range may cross months (each day priced in its own month). Zero when <paramref name="to"/> is
    /// before <paramref name="from"/>.
    /// </summary>
    public static Money ForDays(Money monthlyFee, DateOnly from, DateOnly to)
    {
        RequireFee(monthlyFee);
        var total = Money.Zero;
        var start = from;
        while (start <= to)
        {
            var monthEnd = BillingCalendar.EndOfMonth(start);
            var end = monthEnd < to ? monthEnd : to;
            total += InMonth(monthlyFee.Kopecks, start, end);
            if (end == DateOnly.MaxValue)
            {
                break;
            }

            start = end.AddDays(1);
        }

        return total;
    }

    // Closed form of the per-day rule over days a..b of one month, so long ranges cost O(months).
    private static Money InMonth(long fee, DateOnly start, DateOnly end)
    {
        var n = DateTime.DaysInMonth(start.Year, start.Month);
        long a = start.Day, b = end.Day;
        var extraDays = Math.Max(0, Math.Min(b, fee % n) - a + 1);
        return new Money(checked(((b - a + 1) * (fee / n)) + extraDays));
    }

    private static void RequireFee(Money fee)
    {
        if (fee.IsNegative)
        {
            throw new ArgumentOutOfRangeException(nameof(fee), fee, "A monthly fee cannot be negative.");
        }
    }
}

/// <summary>
/// Monthly-in-advance mode (M30): the whole fee on the 1st; when the item starts mid-month, the rest
/// of that month on the activation day, priced as the sum of its daily parts so it never exceeds the
/// fee and agrees with daily mode to the kopeck.
/// </summary>
public static class MonthlyInAdvance
{
    /// <summary>The charge on <paramref name="day"/> for an item active from <paramref name="activeFrom"/>.</summary>
    public static Money ChargeOn(Money fee, DateOnly activeFrom, DateOnly day)
    {
        if (day < activeFrom)
        {
            return Money.Zero;
        }

        if (day.Day == 1)
        {
            return fee;
        }

        return day == activeFrom ? DailyCharge.ForDays(fee, day, BillingCalendar.EndOfMonth(day)) : Money.Zero;
    }
}

/// <summary>Picks the rule of a <see cref="ChargeMode"/>.</summary>
public static class Charging
{
    /// <summary>
    /// The charge on <paramref name="day"/> for an item with <paramref name="fee"/> active from
    /// <paramref name="activeFrom"/> up to <paramref name="activeTo"/> (exclusive; null = open-ended).
    /// A monthly-in-advance item that ends mid-month is not refunded here: refunds are ledger
    /// corrections, not schedule rules.
    /// </summary>
    public static Money ChargeOn(ChargeMode mode, Money fee, DateOnly activeFrom, DateOnly? activeTo, DateOnly day)
    {
        if (day < activeFrom || (activeTo is { } to && day >= to))
        {
            return Money.Zero;
        }

        return mode switch
        {
            ChargeMode.Daily => DailyCharge.ForDay(fee, day),
            ChargeMode.MonthlyInAdvance => MonthlyInAdvance.ChargeOn(fee, activeFrom, day),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown charge mode."),
        };
    }
}
