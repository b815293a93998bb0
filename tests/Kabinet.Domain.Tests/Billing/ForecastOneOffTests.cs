using Kabinet.Domain.Billing;
using Kabinet.Domain.Catalog;

namespace Kabinet.Domain.Tests.Billing;

using Money = Kabinet.Domain.Money.Money;

public sealed class ForecastOneOffTests
{
    private static readonly DateOnly Today = new(2026, 11, 22);

    [Fact]
    public void An_unpaid_promised_payment_is_withdrawn_the_day_after_it_is_due_and_can_bring_the_block_forward()
    {
        // 30.00 a month in November is 1.00 a day; 20.00 on the account, 15.00 of it promised credit due on the 24th.
        var schedule = new ChargeSchedule(
            new ScheduledTariff(Money.FromRoubles(30), ChargeMode.Daily, new DateOnly(2026, 1, 1)),
            oneOffs: [new ScheduledOneOff("promised", new DateOnly(2026, 11, 25), Money.FromRoubles(15))]);

        schedule.ChargesOn(new DateOnly(2026, 11, 25)).ShouldContain(new ScheduledCharge("promised", Money.FromRoubles(15)));
        var forecast = ForecastCalculator.Compute(Money.FromRoubles(20), Money.Zero, Today, schedule);

        // 23rd: 19, 24th: 18, 25th: 17 - 15 = 2, 26th: 1, 27th: 0, 28th: -1.
        forecast.BlockOn.ShouldBe(new DateOnly(2026, 11, 28));
        forecast.DaysLeft.ShouldBe(5);
    }

    [Fact]
    public void Without_the_withdrawal_the_same_money_lasts_longer()
    {
        var schedule = new ChargeSchedule(new ScheduledTariff(Money.FromRoubles(30), ChargeMode.Daily, new DateOnly(2026, 1, 1)));

        ForecastCalculator.Compute(Money.FromRoubles(20), Money.Zero, Today, schedule).BlockOn.ShouldBe(new DateOnly(2026, 12, 13));
    }
}
