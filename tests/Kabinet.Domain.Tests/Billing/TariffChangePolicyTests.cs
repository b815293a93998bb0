using Kabinet.Domain.Billing;
using Kabinet.Domain.Catalog;
using Kabinet.Domain.Common;

namespace Kabinet.Domain.Tests.Billing;

using static BillingCases;
using Money = Kabinet.Domain.Money.Money;

public sealed class TariffChangePolicyTests
{
    private const TariffChangeModes Both = TariffChangeModes.Tomorrow | TariffChangeModes.NextMonth;
    private static readonly DateOnly Today = D(2026, 4, 15);
    private static readonly Tariff Current = Make(1, new Money(3000), ChargeMode.Daily);
    private static readonly Tariff Target = Make(2, new Money(6000), ChargeMode.Daily);

    [Fact]
    public void Change_from_tomorrow_takes_effect_tomorrow_and_prices_the_rest_of_the_month()
    {
        var quote = Quote(Current, Target, Both, TariffChangeModes.Tomorrow).Value;

        quote.EffectiveOn.ShouldBe(D(2026, 4, 16));
        quote.Mode.ShouldBe(TariffChangeModes.Tomorrow);
        quote.CurrentFee.ShouldBe(new Money(3000));
        quote.NewFee.ShouldBe(new Money(6000));
        quote.CurrentDailyToday.ShouldBe(new Money(100));
        quote.NewDailyOnEffective.ShouldBe(new Money(200));
        quote.RestOfMonthOld.ShouldBe(new Money(1500));
        quote.RestOfMonthNew.ShouldBe(new Money(3000));
    }

    [Fact]
    public void Change_from_next_month_takes_effect_on_the_first_and_prices_that_whole_month()
    {
        var quote = Quote(Current, Target with { ChargeMode = ChargeMode.MonthlyInAdvance }, Both, TariffChangeModes.NextMonth).Value;

        quote.EffectiveOn.ShouldBe(D(2026, 5, 1));
        quote.NewDailyOnEffective.ShouldBe(new Money(6000));
        quote.RestOfMonthOld.ShouldBe(new Money(3000));
        quote.RestOfMonthNew.ShouldBe(new Money(6000));
    }

    [Fact]
    public void Change_to_a_monthly_tariff_from_tomorrow_charges_the_prorated_rest_on_the_effective_day()
    {
        var quote = Quote(Current, Target with { ChargeMode = ChargeMode.MonthlyInAdvance }, Both, TariffChangeModes.Tomorrow).Value;

        quote.NewDailyOnEffective.ShouldBe(new Money(3000));
        quote.RestOfMonthNew.ShouldBe(new Money(3000));
    }

    [Fact]
    public void Change_from_the_last_day_of_the_year_takes_effect_on_new_year()
    {
        var quote = TariffChangePolicy.Quote(Current, Target, Both, Audience.Individual, TariffChangeModes.Tomorrow, D(2026, 12, 31)).Value;
        quote.EffectiveOn.ShouldBe(D(2027, 1, 1));

        var next = TariffChangePolicy.Quote(Current, Target, Both, Audience.Individual, TariffChangeModes.NextMonth, D(2026, 12, 31)).Value;
        next.EffectiveOn.ShouldBe(D(2027, 1, 1));
    }

    [Fact]
    public void First_tariff_has_no_current_fee()
    {
        var quote = Quote(null, Target, Both, TariffChangeModes.Tomorrow).Value;

        quote.CurrentFee.ShouldBe(Money.Zero);
        quote.CurrentDailyToday.ShouldBe(Money.Zero);
        quote.RestOfMonthOld.ShouldBe(Money.Zero);
    }

    [Fact]
    public void Same_tariff_is_refused()
    {
        ShouldFail(Quote(Current, Current with { IsArchived = true }, Both, TariffChangeModes.None), "tariff.same");
    }

    [Fact]
    public void Archived_tariff_is_refused()
    {
        ShouldFail(Quote(Current, Target with { IsArchived = true, Audience = Audience.Business }, Both, TariffChangeModes.None), "tariff.archived");
    }

    [Fact]
    public void Business_tariff_is_refused_to_an_individual_and_the_reverse()
    {
        ShouldFail(Quote(Current, Target with { Audience = Audience.Business }, Both, TariffChangeModes.Tomorrow), "tariff.audience");
        ShouldFail(TariffChangePolicy.Quote(Current, Target, Both, Audience.Business, TariffChangeModes.Tomorrow, Today), "tariff.audience");
    }

    [Theory]
    [InlineData(TariffChangeModes.None)]
    [InlineData(Both)]
    [InlineData((TariffChangeModes)4)]
    public void Chosen_mode_must_be_exactly_one_mode(TariffChangeModes chosen)
    {
        ShouldFail(Quote(Current, Target, TariffChangeModes.None, chosen), "tariff.mode_invalid", "mode");
    }

    [Theory]
    [InlineData(TariffChangeModes.Tomorrow, TariffChangeModes.NextMonth)]
    [InlineData(TariffChangeModes.NextMonth, TariffChangeModes.Tomorrow)]
    [InlineData(TariffChangeModes.None, TariffChangeModes.Tomorrow)]
    public void Mode_the_tariff_does_not_allow_is_refused(TariffChangeModes allowed, TariffChangeModes chosen)
    {
        ShouldFail(Quote(Current, Target, allowed, chosen), "tariff.mode_not_allowed", "mode");
    }

    [Fact]
    public void Leaving_a_monthly_in_advance_tariff_from_tomorrow_is_refused_mid_month()
    {
        // Its month was paid on the 1st and nothing is refunded: from tomorrow would pay the rest of April twice.
        var monthly = Current with { ChargeMode = ChargeMode.MonthlyInAdvance };

        ShouldFail(Quote(monthly, Target, Both, TariffChangeModes.Tomorrow), "tariff.current_paid_monthly", "mode");
        ShouldFail(Quote(monthly, Target with { ChargeMode = ChargeMode.MonthlyInAdvance }, Both, TariffChangeModes.Tomorrow), "tariff.current_paid_monthly", "mode");
        TariffChangePolicy.AvailableModes(monthly, Both, Today).ShouldBe(TariffChangeModes.NextMonth);
        TariffChangePolicy.AvailableModes(Current, Both, Today).ShouldBe(Both);
    }

    [Fact]
    public void Leaving_a_monthly_in_advance_tariff_from_next_month_quotes_nothing_charged_today_and_the_next_month_at_both_fees()
    {
        var monthly = Current with { ChargeMode = ChargeMode.MonthlyInAdvance };

        var quote = Quote(monthly, Target, Both, TariffChangeModes.NextMonth).Value;

        quote.EffectiveOn.ShouldBe(D(2026, 5, 1));
        // Mid-month the paid-ahead tariff charges nothing today; the daily target starts on 1 May.
        quote.CurrentDailyToday.ShouldBe(Money.Zero);
        quote.NewDailyOnEffective.ShouldBe(new Money(194));
        quote.RestOfMonthOld.ShouldBe(new Money(3000));
        quote.RestOfMonthNew.ShouldBe(new Money(6000));
        // On a 1st it charged the whole month that day.
        TariffChangePolicy.Quote(monthly, Target, Both, Audience.Individual, TariffChangeModes.NextMonth, D(2026, 4, 1)).Value
            .CurrentDailyToday.ShouldBe(new Money(3000));
    }

    [Fact]
    public void Leaving_a_monthly_in_advance_tariff_from_tomorrow_is_allowed_on_the_last_day_of_its_month()
    {
        // Tomorrow is the 1st: the paid month is used up, nothing is charged twice.
        var monthly = Current with { ChargeMode = ChargeMode.MonthlyInAdvance };

        var quote = TariffChangePolicy.Quote(monthly, Target, Both, Audience.Individual, TariffChangeModes.Tomorrow, D(2026, 4, 30)).Value;

        quote.EffectiveOn.ShouldBe(D(2026, 5, 1));
        TariffChangePolicy.AvailableModes(monthly, Both, D(2026, 4, 30)).ShouldBe(Both);
    }

    private static Result<TariffChangeQuote> Quote(Tariff? current, Tariff target, TariffChangeModes allowed, TariffChangeModes chosen) =>
        TariffChangePolicy.Quote(current, target, allowed, Audience.Individual, chosen, Today);

    private static Tariff Make(long id, Money fee, ChargeMode mode) =>
        new(id, "T" + id, "Тариф", "Tariff", ServiceCategory.Internet, Audience.Individual, fee, 100_000, 100_000, mode, false);

    private static void ShouldFail(Result<TariffChangeQuote> result, string code, string? field = null)
    {
        result.IsSuccess.ShouldBeFalse();
        result.Error!.Code.ShouldBe(code);
        result.Error.Field.ShouldBe(field);
        result.Error.Args.ShouldBeNull();
    }
}
