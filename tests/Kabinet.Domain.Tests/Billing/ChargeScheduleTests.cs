using Kabinet.Domain.Billing;
using Kabinet.Domain.Catalog;

namespace Kabinet.Domain.Tests.Billing;

using static BillingCases;
using Money = Kabinet.Domain.Money.Money;

public sealed class ChargeScheduleTests
{
    private static readonly Money TariffFee = new(3000);

    [Theory]
    [InlineData(11)]
    [InlineData(2027)]
    public void A_month_without_changes_sums_to_the_fees_of_the_tariff_and_services(int seed)
    {
        Cases.Check(seed, 300, random =>
        {
            var month = Month(random);
            var tariffFee = SmallFee(random);
            var serviceFee = SmallFee(random);
            var mode = random.Next(2) == 0 ? ChargeMode.Daily : ChargeMode.MonthlyInAdvance;
            var schedule = new ChargeSchedule(
                new ScheduledTariff(tariffFee, mode, month.AddDays(-random.Next(0, 100))),
                services: [new ScheduledService(7, serviceFee, Other(mode), month.AddDays(-random.Next(0, 100)), null, false)]);

            schedule.TotalBetween(month, BillingCalendar.EndOfMonth(month)).ShouldBe(tariffFee + serviceFee);
            Sum(DaysOf(month).SelectMany(schedule.ChargesOn).Where(c => c.Key == "tariff").Select(c => c.Amount)).ShouldBe(tariffFee);
        });
    }

    [Fact]
    public void Daily_tariff_is_charged_every_day_under_the_tariff_key()
    {
        var schedule = new ChargeSchedule(new ScheduledTariff(TariffFee, ChargeMode.Daily, D(2026, 1, 1)));

        schedule.ChargesOn(D(2026, 4, 30)).ShouldBe([new ScheduledCharge("tariff", new Money(100))]);
        schedule.ChargesOn(D(2025, 12, 31)).ShouldBeEmpty();
    }

    [Fact]
    public void Tariff_change_effective_tomorrow_switches_fee_and_mode_on_that_day()
    {
        // Today 2026-04-15; from the 16th a monthly-in-advance tariff of 600.00: prorated 15/30 on the 16th.
        var schedule = new ChargeSchedule(
            new ScheduledTariff(TariffFee, ChargeMode.Daily, D(2026, 1, 1)),
            new PendingTariffChange(Money.FromRoubles(600), ChargeMode.MonthlyInAdvance, D(2026, 4, 16)));

        schedule.ChargesOn(D(2026, 4, 15)).ShouldBe([new ScheduledCharge("tariff", new Money(100))]);
        schedule.ChargesOn(D(2026, 4, 16)).ShouldBe([new ScheduledCharge("tariff", Money.FromRoubles(300))]);
        schedule.ChargesOn(D(2026, 4, 17)).ShouldBeEmpty();
        schedule.ChargesOn(D(2026, 5, 1)).ShouldBe([new ScheduledCharge("tariff", Money.FromRoubles(600))]);
    }

    [Fact]
    public void Tariff_change_effective_next_month_keeps_the_old_tariff_to_the_month_end()
    {
        var schedule = new ChargeSchedule(
            new ScheduledTariff(TariffFee, ChargeMode.MonthlyInAdvance, D(2026, 1, 1)),
            new PendingTariffChange(new Money(6200), ChargeMode.Daily, D(2026, 5, 1)));

        schedule.ChargesOn(D(2026, 4, 1)).ShouldBe([new ScheduledCharge("tariff", TariffFee)]);
        schedule.ChargesOn(D(2026, 4, 30)).ShouldBeEmpty();
        schedule.ChargesOn(D(2026, 5, 1)).ShouldBe([new ScheduledCharge("tariff", new Money(200))]);
        schedule.TotalBetween(D(2026, 5, 1), D(2026, 5, 31)).ShouldBe(new Money(6200));
    }

    [Fact]
    public void Freeze_across_a_month_end_stops_the_tariff_keeps_the_marked_service_and_charges_only_paid_days()
    {
        // Frozen 2026-04-25..05-04 (10 days), the first 3 free: paid 04-28..05-04.
        var freeze = new ScheduledFreeze(D(2026, 4, 25), D(2026, 5, 4), 3, Money.FromRoubles(10));
        var schedule = new ChargeSchedule(
            new ScheduledTariff(TariffFee, ChargeMode.Daily, D(2026, 1, 1)),
            services:
            [
                new ScheduledService(1, new Money(3000), ChargeMode.Daily, D(2026, 1, 1), null, ChargedWhileFrozen: true),
                new ScheduledService(2, new Money(3000), ChargeMode.Daily, D(2026, 1, 1), null, ChargedWhileFrozen: false),
            ],
            freezes: [freeze]);

        schedule.ChargesOn(D(2026, 4, 24)).Select(c => c.Key).ShouldBe(["tariff", "service:1", "service:2"]);
        schedule.ChargesOn(D(2026, 4, 25)).ShouldBe([new ScheduledCharge("service:1", new Money(100))]);
        schedule.ChargesOn(D(2026, 4, 27)).ShouldBe([new ScheduledCharge("service:1", new Money(100))]);
        schedule.ChargesOn(D(2026, 4, 28)).ShouldBe(
            [new ScheduledCharge("service:1", new Money(100)), new ScheduledCharge("freeze", Money.FromRoubles(10))]);
        schedule.ChargesOn(D(2026, 5, 1)).ShouldBe(
            [new ScheduledCharge("service:1", new Money(97)), new ScheduledCharge("freeze", Money.FromRoubles(10))]);
        schedule.ChargesOn(D(2026, 5, 4)).Select(c => c.Key).ShouldBe(["service:1", "freeze"]);
        schedule.ChargesOn(D(2026, 5, 5)).Select(c => c.Key).ShouldBe(["tariff", "service:1", "service:2"]);

        var fees = Sum(Enumerable.Range(0, 20).Select(i => D(2026, 4, 20).AddDays(i))
            .SelectMany(schedule.ChargesOn).Where(c => c.Key == "freeze").Select(c => c.Amount));
        fees.ShouldBe(Money.FromRoubles(70));
    }

    [Fact]
    public void Monthly_tariff_frozen_over_the_first_is_charged_the_rest_of_the_month_on_resume()
    {
        var schedule = new ChargeSchedule(
            new ScheduledTariff(TariffFee, ChargeMode.MonthlyInAdvance, D(2026, 1, 1)),
            freezes: [new ScheduledFreeze(D(2026, 4, 25), D(2026, 5, 10), 30, Money.FromRoubles(10))]);

        schedule.ChargesOn(D(2026, 5, 1)).ShouldBeEmpty();
        // May 11..31 of a 31-day month: 96 a day, and days 11..24 carry one leftover kopeck each.
        schedule.ChargesOn(D(2026, 5, 11)).ShouldBe([new ScheduledCharge("tariff", DailyCharge.ForDays(TariffFee, D(2026, 5, 11), D(2026, 5, 31)))]);
        schedule.ChargesOn(D(2026, 5, 12)).ShouldBeEmpty();
        schedule.TotalBetween(D(2026, 5, 1), D(2026, 5, 31)).ShouldBe(new Money((21 * 96) + 14));
    }

    [Fact]
    public void Monthly_tariff_frozen_after_the_first_is_not_charged_again_on_resume()
    {
        var schedule = new ChargeSchedule(
            new ScheduledTariff(TariffFee, ChargeMode.MonthlyInAdvance, D(2026, 1, 1)),
            freezes:
            [
                new ScheduledFreeze(D(2026, 5, 5), D(2026, 5, 12), 30, Money.FromRoubles(10)),
            ]);

        schedule.TotalBetween(D(2026, 5, 1), D(2026, 5, 31)).ShouldBe(TariffFee);
        schedule.ChargesOn(D(2026, 5, 13)).ShouldBeEmpty();
    }

    [Fact]
    public void Monthly_tariff_is_made_up_once_after_two_freezes_in_a_month()
    {
        var schedule = new ChargeSchedule(
            new ScheduledTariff(TariffFee, ChargeMode.MonthlyInAdvance, D(2026, 1, 1)),
            freezes:
            [
                new ScheduledFreeze(D(2026, 4, 25), D(2026, 5, 10), 30, Money.FromRoubles(10)),
                new ScheduledFreeze(D(2026, 5, 20), D(2026, 5, 25), 30, Money.FromRoubles(10)),
            ]);

        schedule.ChargesOn(D(2026, 5, 26)).ShouldBeEmpty();
        schedule.TotalBetween(D(2026, 5, 1), D(2026, 5, 31)).ShouldBe(DailyCharge.ForDays(TariffFee, D(2026, 5, 11), D(2026, 5, 31)));
    }

    [Fact]
    public void Service_is_charged_only_between_its_activation_and_its_end()
    {
        var schedule = new ChargeSchedule(
            null,
            services: [new ScheduledService(9, new Money(3000), ChargeMode.MonthlyInAdvance, D(2026, 4, 21), D(2026, 6, 1), false)]);

        schedule.ChargesOn(D(2026, 4, 20)).ShouldBeEmpty();
        schedule.ChargesOn(D(2026, 4, 21)).ShouldBe([new ScheduledCharge("service:9", new Money(1000))]);
        schedule.ChargesOn(D(2026, 5, 1)).ShouldBe([new ScheduledCharge("service:9", new Money(3000))]);
        schedule.ChargesOn(D(2026, 6, 1)).ShouldBeEmpty();
    }

    [Fact]
    public void Freeze_from_a_quote_keeps_its_paid_days()
    {
        var quote = FreezePolicy.Quote(
            BillingCases.TestFreezeRules,
            new FreezeContext(Subscribers.AccountStatus.Active, D(2026, 4, 20), 25, false),
            D(2026, 4, 25), D(2026, 5, 4)).Value;

        var freeze = ScheduledFreeze.FromQuote(quote);

        for (var d = D(2026, 4, 20); d <= D(2026, 5, 10); d = d.AddDays(1))
        {
            freeze.IsPaidDay(d).ShouldBe(quote.IsPaidDay(d), d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static ChargeMode Other(ChargeMode mode) => mode == ChargeMode.Daily ? ChargeMode.MonthlyInAdvance : ChargeMode.Daily;
}
