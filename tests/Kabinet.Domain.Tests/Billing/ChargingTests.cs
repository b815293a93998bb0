using Kabinet.Domain.Billing;
using Kabinet.Domain.Catalog;

namespace Kabinet.Domain.Tests.Billing;

using static BillingCases;
using Money = Kabinet.Domain.Money.Money;

public sealed class ChargingTests
{
    [Fact]
    public void Daily_leftover_kopecks_go_to_the_earliest_days_of_the_month()
    {
        // 1000.00 over 31 days: 3225 kopecks a day, 25 left over for days 1..25.
        var fee = Money.FromRoubles(1000);

        DailyCharge.ForDay(fee, D(2026, 1, 1)).ShouldBe(new Money(3226));
        DailyCharge.ForDay(fee, D(2026, 1, 25)).ShouldBe(new Money(3226));
        DailyCharge.ForDay(fee, D(2026, 1, 26)).ShouldBe(new Money(3225));
        DailyCharge.ForDay(fee, D(2026, 1, 31)).ShouldBe(new Money(3225));
    }

    [Fact]
    public void Daily_charge_on_Feb_29_is_a_twenty_ninth_of_the_fee()
    {
        var fee = new Money(2900);

        DailyCharge.ForDay(fee, D(2028, 2, 29)).ShouldBe(new Money(100));
        DailyCharge.ForDays(fee, D(2028, 2, 1), D(2028, 2, 29)).ShouldBe(fee);
        DailyCharge.ForDays(fee, D(2027, 2, 1), D(2027, 2, 28)).ShouldBe(fee);
        DailyCharge.ForDay(fee, D(2027, 2, 28)).ShouldBe(new Money(103));
    }

    [Fact]
    public void Daily_charge_at_month_end_prices_each_day_in_its_own_month()
    {
        var fee = new Money(3000);

        // 30 days in April: 100 each; 31 in May: 96 with 24 leftover kopecks for May 1..24.
        DailyCharge.ForDays(fee, D(2026, 4, 30), D(2026, 5, 1)).ShouldBe(new Money(100 + 97));
        DailyCharge.ForDays(fee, D(2026, 12, 31), D(2027, 1, 1)).ShouldBe(new Money(96 + 97));
    }

    [Fact]
    public void Daily_charge_for_an_empty_range_is_zero()
    {
        DailyCharge.ForDays(new Money(3000), D(2026, 5, 2), D(2026, 5, 1)).ShouldBe(Money.Zero);
    }

    [Fact]
    public void Daily_charge_refuses_a_negative_fee()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => DailyCharge.ForDay(new Money(-1), D(2026, 5, 1)));
    }

    [Fact]
    public void Monthly_in_advance_charges_the_whole_fee_on_the_first()
    {
        var fee = Money.FromRoubles(600);

        MonthlyInAdvance.ChargeOn(fee, D(2026, 3, 1), D(2026, 3, 1)).ShouldBe(fee);
        MonthlyInAdvance.ChargeOn(fee, D(2026, 3, 1), D(2026, 4, 1)).ShouldBe(fee);
        MonthlyInAdvance.ChargeOn(fee, D(2026, 3, 1), D(2026, 4, 2)).ShouldBe(Money.Zero);
    }

    [Fact]
    public void Monthly_in_advance_prorates_the_activation_day_to_the_month_end()
    {
        var fee = new Money(3000);

        // April 21..30: 10 of 30 days.
        MonthlyInAdvance.ChargeOn(fee, D(2026, 4, 21), D(2026, 4, 21)).ShouldBe(new Money(1000));
        MonthlyInAdvance.ChargeOn(fee, D(2026, 4, 21), D(2026, 4, 22)).ShouldBe(Money.Zero);
        MonthlyInAdvance.ChargeOn(fee, D(2026, 4, 21), D(2026, 4, 20)).ShouldBe(Money.Zero);
        MonthlyInAdvance.ChargeOn(fee, D(2026, 4, 21), D(2026, 3, 1)).ShouldBe(Money.Zero);
        MonthlyInAdvance.ChargeOn(fee, D(2028, 2, 29), D(2028, 2, 29)).ShouldBe(new Money(103));
    }

    [Fact]
    public void Charging_stops_on_the_exclusive_end_day()
    {
        var fee = new Money(3000);

        Charging.ChargeOn(ChargeMode.Daily, fee, D(2026, 4, 1), D(2026, 4, 10), D(2026, 4, 9)).ShouldBe(new Money(100));
        Charging.ChargeOn(ChargeMode.Daily, fee, D(2026, 4, 1), D(2026, 4, 10), D(2026, 4, 10)).ShouldBe(Money.Zero);
        Charging.ChargeOn(ChargeMode.Daily, fee, D(2026, 4, 1), null, D(2026, 3, 31)).ShouldBe(Money.Zero);
        Charging.ChargeOn(ChargeMode.MonthlyInAdvance, fee, D(2026, 4, 1), D(2026, 5, 1), D(2026, 5, 1)).ShouldBe(Money.Zero);
        Charging.ChargeOn(ChargeMode.MonthlyInAdvance, fee, D(2026, 4, 1), D(2026, 5, 2), D(2026, 5, 1)).ShouldBe(fee);
    }
}
