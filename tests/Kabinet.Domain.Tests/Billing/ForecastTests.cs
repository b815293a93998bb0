using Kabinet.Domain.Billing;
using Kabinet.Domain.Catalog;

namespace Kabinet.Domain.Tests.Billing;

using static BillingCases;
using Money = Kabinet.Domain.Money.Money;

public sealed class ForecastTests
{
    // 30.00 a month in April (1.00 a day), daily.
    private static readonly ChargeSchedule Daily = new(new ScheduledTariff(new Money(3000), ChargeMode.Daily, D(2026, 1, 1)));

    [Fact]
    public void No_charges_means_no_block_and_no_next_charge()
    {
        var forecast = ForecastCalculator.Compute(new Money(500), Money.Zero, D(2026, 4, 10), new ChargeSchedule(null));

        forecast.BlockOn.ShouldBeNull();
        forecast.EnoughUntil.ShouldBeNull();
        forecast.DaysLeft.ShouldBeNull();
        forecast.NextChargeOn.ShouldBeNull();
        forecast.NextChargeAmount.ShouldBe(Money.Zero);
        forecast.RecommendedPayment.ShouldBe(Money.Zero);
    }

    [Fact]
    public void Balance_already_below_the_threshold_blocks_today_with_no_days_left()
    {
        var forecast = ForecastCalculator.Compute(new Money(-1), Money.Zero, D(2026, 4, 10), Daily);

        forecast.BlockOn.ShouldBe(D(2026, 4, 10));
        forecast.EnoughUntil.ShouldBe(D(2026, 4, 9));
        forecast.DaysLeft.ShouldBe(0);
        forecast.NextChargeOn.ShouldBe(D(2026, 4, 11));
        forecast.NextChargeAmount.ShouldBe(new Money(100));
    }

    [Fact]
    public void Balance_exactly_at_the_threshold_is_not_blocked_until_the_next_charge()
    {
        var forecast = ForecastCalculator.Compute(new Money(200), new Money(200), D(2026, 4, 10), Daily);

        forecast.BlockOn.ShouldBe(D(2026, 4, 11));
        forecast.EnoughUntil.ShouldBe(D(2026, 4, 10));
        forecast.DaysLeft.ShouldBe(0);
    }

    [Fact]
    public void A_charge_that_lands_exactly_on_the_threshold_does_not_block()
    {
        // 5.00 covers April 11..15; the 16th takes it below zero.
        var forecast = ForecastCalculator.Compute(new Money(500), Money.Zero, D(2026, 4, 10), Daily);

        forecast.BlockOn.ShouldBe(D(2026, 4, 16));
        forecast.EnoughUntil.ShouldBe(D(2026, 4, 15));
        forecast.DaysLeft.ShouldBe(5);
    }

    [Fact]
    public void Today_is_not_charged_again()
    {
        var forecast = ForecastCalculator.Compute(new Money(100), Money.Zero, D(2026, 4, 30), Daily);

        // May: 3000 / 31 = 96 with 24 leftover, so May 1 costs 97 and leaves 3.
        forecast.NextChargeOn.ShouldBe(D(2026, 5, 1));
        forecast.NextChargeAmount.ShouldBe(new Money(97));
        forecast.BlockOn.ShouldBe(D(2026, 5, 2));
    }

    [Fact]
    public void Monthly_tariff_next_charge_is_the_first_of_next_month()
    {
        var schedule = new ChargeSchedule(new ScheduledTariff(Money.FromRoubles(600), ChargeMode.MonthlyInAdvance, D(2026, 1, 1)));

        var forecast = ForecastCalculator.Compute(Money.FromRoubles(1000), Money.Zero, D(2026, 4, 10), schedule);

        forecast.NextChargeOn.ShouldBe(D(2026, 5, 1));
        forecast.NextChargeAmount.ShouldBe(Money.FromRoubles(600));
        forecast.BlockOn.ShouldBe(D(2026, 6, 1));
        forecast.EnoughUntil.ShouldBe(D(2026, 5, 31));
        forecast.DaysLeft.ShouldBe(51);
        forecast.RecommendedPayment.ShouldBe(Money.Zero);
    }

    [Fact]
    public void Recommended_payment_covers_to_the_end_of_next_month_rounded_up_to_roubles()
    {
        // From April 11 to May 31: 20 days of April (20.00) + all of May (30.00) = 50.00;
        // balance 10.01 over a threshold of -5.00 leaves 15.01, so 34.99 is short: pay 35.00.
        var forecast = ForecastCalculator.Compute(new Money(1001), new Money(-500), D(2026, 4, 10), Daily);

        forecast.RecommendedPayment.ShouldBe(Money.FromRoubles(35));
    }

    [Fact]
    public void Recommended_payment_of_whole_roubles_is_not_rounded_further()
    {
        var forecast = ForecastCalculator.Compute(Money.FromRoubles(10), Money.Zero, D(2026, 4, 10), Daily);

        forecast.RecommendedPayment.ShouldBe(Money.FromRoubles(40));
    }

    [Fact]
    public void Block_beyond_the_horizon_is_not_reported()
    {
        var forecast = ForecastCalculator.Compute(Money.FromRoubles(100), Money.Zero, D(2026, 4, 10), Daily, horizonDays: 30);

        forecast.BlockOn.ShouldBeNull();
        forecast.DaysLeft.ShouldBeNull();
        forecast.NextChargeOn.ShouldBe(D(2026, 4, 11));
    }

    [Fact]
    public void Forecast_follows_a_pending_change_and_a_freeze()
    {
        // From May 1 the tariff costs 62.00 a month daily (2.00 a day); May 5..14 frozen, 10 free days.
        var schedule = new ChargeSchedule(
            new ScheduledTariff(new Money(3000), ChargeMode.Daily, D(2026, 1, 1)),
            new PendingTariffChange(new Money(6200), ChargeMode.Daily, D(2026, 5, 1)),
            freezes: [new ScheduledFreeze(D(2026, 5, 5), D(2026, 5, 14), 10, Money.FromRoubles(10))]);

        // April 30: 1.00; May 1..4: 8.00; frozen to the 14th; May 15..: 2.00 a day.
        var forecast = ForecastCalculator.Compute(new Money(1300), Money.Zero, D(2026, 4, 29), schedule);

        forecast.BlockOn.ShouldBe(D(2026, 5, 17));
        forecast.EnoughUntil.ShouldBe(D(2026, 5, 16));
        forecast.DaysLeft.ShouldBe(17);
    }

    [Theory]
    [InlineData(21)]
    [InlineData(8080)]
    public void Balance_at_block_day_is_below_and_the_day_before_is_not(int seed)
    {
        Cases.Check(seed, 200, random =>
        {
            var today = Day(random);
            var fee = new Money(random.NextInt64(1, 100_000));
            var schedule = new ChargeSchedule(new ScheduledTariff(fee, random.Next(2) == 0 ? ChargeMode.Daily : ChargeMode.MonthlyInAdvance, today.AddDays(-random.Next(0, 40))));
            var balance = new Money(random.NextInt64(-1000, 400_000));
            var threshold = new Money(random.NextInt64(-1000, 1000));

            var forecast = ForecastCalculator.Compute(balance, threshold, today, schedule);

            if (forecast.BlockOn is { } block && block > today)
            {
                (balance - schedule.TotalBetween(today.AddDays(1), block) < threshold).ShouldBeTrue();
                (balance - schedule.TotalBetween(today.AddDays(1), block.AddDays(-1)) >= threshold).ShouldBeTrue();
            }

            var needed = schedule.TotalBetween(today.AddDays(1), BillingCalendar.EndOfMonth(today.AddMonths(1)));
            var afterPaying = balance + forecast.RecommendedPayment - needed;
            (afterPaying >= threshold).ShouldBeTrue();
            (forecast.RecommendedPayment.Kopecks % 100).ShouldBe(0);
            (afterPaying - Money.FromRoubles(1) < threshold || forecast.RecommendedPayment == Money.Zero).ShouldBeTrue();
        });
    }
}
