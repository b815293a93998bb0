namespace Kabinet.Domain.Billing;

using Money = Kabinet.Domain.Money.Money;

/// <summary>How long the balance lasts and what to pay (M5).</summary>
/// <param name="BlockOn">The first day the balance falls below the threshold; today when it already is; null when not within the horizon.</param>
/// <param name="EnoughUntil">The last day the balance covers: BlockOn - 1 day; null with BlockOn.</param>
/// <param name="DaysLeft">EnoughUntil - today, never below 0; null with BlockOn.</param>
/// <param name="NextChargeOn">The first day after today with any charge; null when none within the horizon.</param>
/// <param name="NextChargeAmount">The total charged that day; zero when none.</param>
/// <param name="RecommendedPayment">What to pay now to last to the end of next month, in whole roubles; zero when enough.</param>
public sealed record Forecast(
    DateOnly? BlockOn,
    DateOnly? EnoughUntil,
    int? DaysLeft,
    DateOnly? NextChargeOn,
    Money NextChargeAmount,
    Money RecommendedPayment);

/// <summary>Computes the dashboard forecast from the real schedule of charges (M5).</summary>
public static class ForecastCalculator
{
    /// <summary>
    /// Walks the days from tomorrow (today's charges are already in <paramref name="balance"/>) up to
    /// <paramref name="horizonDays"/> days ahead, taking each day's charges off the balance. Blocking
    /// is "below the threshold", so a balance exactly at it still works.
    /// </summary>
    public static Forecast Compute(Money balance, Money threshold, DateOnly today, ChargeSchedule schedule, int horizonDays = 400)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentOutOfRangeException.ThrowIfNegative(horizonDays);

        var recommendUntil = BillingCalendar.EndOfMonth(BillingCalendar.FirstOfNextMonth(today));
        var lastDay = today.AddDays(horizonDays);
        var walkTo = lastDay > recommendUntil ? lastDay : recommendUntil;

        DateOnly? blockOn = balance < threshold ? today : null;
        DateOnly? nextChargeOn = null;
        var nextChargeAmount = Money.Zero;
        var untilNextMonthEnd = Money.Zero;
        var running = balance;

        for (var day = today.AddDays(1); day <= walkTo; day = day.AddDays(1))
        {
            var total = Money.Zero;
            foreach (var c in schedule.ChargesOn(day))
            {
                total += c.Amount;
            }

            if (day <= recommendUntil)
            {
                untilNextMonthEnd += total;
            }

            if (day > lastDay)
            {
                continue;
            }

            if (nextChargeOn is null && total.IsPositive)
            {
                nextChargeOn = day;
                nextChargeAmount = total;
            }

            running -= total;
            if (blockOn is null && running < threshold)
            {
                blockOn = day;
            }

            if (blockOn is not null && nextChargeOn is not null && day >= recommendUntil)
            {
                break;
            }
        }

        DateOnly? enoughUntil = blockOn?.AddDays(-1);
        int? daysLeft = enoughUntil is { } e ? Math.Max(0, BillingCalendar.DaysBetween(today, e)) : null;
        var shortfall = untilNextMonthEnd - (balance - threshold);
        return new Forecast(blockOn, enoughUntil, daysLeft, nextChargeOn, nextChargeAmount, RoundUpToRoubles(shortfall));
    }

    private static Money RoundUpToRoubles(Money amount)
    {
        if (!amount.IsPositive)
        {
            return Money.Zero;
        }

        var roubles = (amount.Kopecks / 100) + (amount.Kopecks % 100 == 0 ? 0 : 1);
        return Money.FromRoubles(roubles);
    }
}
