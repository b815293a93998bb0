using Kabinet.Domain.Billing;
using Kabinet.Domain.Catalog;

namespace Kabinet.Domain.Tests.Billing;

using static BillingCases;
using Money = Kabinet.Domain.Money.Money;

public sealed class ChargingPropertyTests
{
    private const int CasesPerSeed = 2_000;

    [Theory]
    [InlineData(1)]
    [InlineData(20260301)]
    [InlineData(4711)]
    public void Daily_parts_of_any_month_add_up_to_the_fee(int seed)
    {
        Cases.Check(seed, CasesPerSeed, random =>
        {
            var fee = Fee(random);
            var month = Month(random);

            Sum(DaysOf(month).Select(d => DailyCharge.ForDay(fee, d))).ShouldBe(fee, $"fee {fee.Kopecks}, {month:yyyy-MM}");
        });
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1900)]
    public void Daily_part_equals_the_split_of_the_fee_over_the_days_of_the_month(int seed)
    {
        Cases.Check(seed, CasesPerSeed, random =>
        {
            var fee = Fee(random);
            var month = Month(random);
            var split = fee.Split(DateTime.DaysInMonth(month.Year, month.Month));

            foreach (var day in DaysOf(month))
            {
                DailyCharge.ForDay(fee, day).ShouldBe(split[day.Day - 1], $"fee {fee.Kopecks}, {day:yyyy-MM-dd}");
            }
        });
    }

    [Theory]
    [InlineData(3)]
    [InlineData(2400)]
    public void Monthly_proration_never_exceeds_the_fee_and_equals_the_daily_parts_to_the_month_end(int seed)
    {
        Cases.Check(seed, CasesPerSeed, random =>
        {
            var fee = Fee(random);
            var activeFrom = Day(random);
            var monthEnd = BillingCalendar.EndOfMonth(activeFrom);

            var prorated = MonthlyInAdvance.ChargeOn(fee, activeFrom, activeFrom);

            (prorated <= fee).ShouldBeTrue($"fee {fee.Kopecks}, from {activeFrom:yyyy-MM-dd}: {prorated.Kopecks}");
            var daily = Sum(DaysOf(activeFrom).Where(d => d >= activeFrom).Select(d => DailyCharge.ForDay(fee, d)));
            prorated.ShouldBe(daily);
            DailyCharge.ForDays(fee, activeFrom, monthEnd).ShouldBe(daily);
        });
    }

    [Theory]
    [InlineData(4)]
    [InlineData(77)]
    public void ForDays_across_months_equals_the_sum_of_each_day(int seed)
    {
        Cases.Check(seed, 500, random =>
        {
            var fee = SmallFee(random);
            var from = Day(random);
            var to = from.AddDays(random.Next(-2, 120));

            var expected = Money.Zero;
            for (var d = from; d <= to; d = d.AddDays(1))
            {
                expected += DailyCharge.ForDay(fee, d);
            }

            DailyCharge.ForDays(fee, from, to).ShouldBe(expected, $"fee {fee.Kopecks}, {from:yyyy-MM-dd}..{to:yyyy-MM-dd}");
        });
    }

    [Theory]
    [InlineData(5)]
    [InlineData(31)]
    public void Both_modes_charge_exactly_the_fee_over_a_whole_month_once_active(int seed)
    {
        Cases.Check(seed, CasesPerSeed, random =>
        {
            var fee = Fee(random);
            var month = Month(random);
            var activeFrom = month.AddDays(-random.Next(0, 400));

            foreach (var mode in new[] { ChargeMode.Daily, ChargeMode.MonthlyInAdvance })
            {
                Sum(DaysOf(month).Select(d => Charging.ChargeOn(mode, fee, activeFrom, null, d))).ShouldBe(fee, mode.ToString());
            }
        });
    }

    [Theory]
    [InlineData(6)]
    [InlineData(606)]
    public void Monthly_activation_month_costs_what_daily_mode_costs_for_the_same_days(int seed)
    {
        Cases.Check(seed, CasesPerSeed, random =>
        {
            var fee = Fee(random);
            var activeFrom = Day(random);
            var month = BillingCalendar.FirstOfMonth(activeFrom);

            var monthly = Sum(DaysOf(month).Select(d => Charging.ChargeOn(ChargeMode.MonthlyInAdvance, fee, activeFrom, null, d)));
            var daily = Sum(DaysOf(month).Select(d => Charging.ChargeOn(ChargeMode.Daily, fee, activeFrom, null, d)));

            monthly.ShouldBe(daily);
        });
    }
}
