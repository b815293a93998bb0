using Kabinet.Domain.Billing;
using Kabinet.Domain.Common;
using Kabinet.Domain.Subscribers;

namespace Kabinet.Domain.Tests.Billing;

using static BillingCases;
using Money = Kabinet.Domain.Money.Money;

public sealed class FreezePolicyTests
{
    private static readonly FreezeRules Rules = TestFreezeRules;
    private static readonly DateOnly Today = D(2026, 4, 10);
    private static readonly FreezeContext Good = new(AccountStatus.Active, Today, 0, false);

    [Fact]
    public void Freeze_within_the_free_allowance_costs_nothing()
    {
        var quote = Quote(Good, D(2026, 4, 11), D(2026, 4, 20)).Value;

        quote.ShouldBe(new FreezeQuote(D(2026, 4, 11), D(2026, 4, 20), 10, 10, 0, Money.FromRoubles(10), Money.Zero));
        quote.IsPaidDay(D(2026, 4, 20)).ShouldBeFalse();
    }

    [Fact]
    public void Days_beyond_the_free_allowance_carry_the_daily_fee_and_come_last()
    {
        // 25 days already used: 5 free days left, so 04-25..04-29 free, 04-30..05-04 paid.
        var quote = Quote(Good with { UsedDaysThisYear = 25 }, D(2026, 4, 25), D(2026, 5, 4)).Value;

        quote.Days.ShouldBe(10);
        quote.FreeDays.ShouldBe(5);
        quote.PaidDays.ShouldBe(5);
        quote.Fee.ShouldBe(Money.FromRoubles(50));
        quote.IsPaidDay(D(2026, 4, 24)).ShouldBeFalse();
        quote.IsPaidDay(D(2026, 4, 29)).ShouldBeFalse();
        quote.IsPaidDay(D(2026, 4, 30)).ShouldBeTrue();
        quote.IsPaidDay(D(2026, 5, 4)).ShouldBeTrue();
        quote.IsPaidDay(D(2026, 5, 5)).ShouldBeFalse();
    }

    [Fact]
    public void Freeze_after_the_allowance_is_used_up_is_all_paid()
    {
        var quote = Quote(Good with { UsedDaysThisYear = 40 }, D(2026, 4, 11), D(2026, 4, 17)).Value;

        quote.FreeDays.ShouldBe(0);
        quote.Fee.ShouldBe(Money.FromRoubles(70));
    }

    [Fact]
    public void Freeze_across_new_year_counts_against_the_year_of_its_start()
    {
        var quote = Quote(new FreezeContext(AccountStatus.Active, D(2026, 12, 1), 80, false), D(2026, 12, 27), D(2027, 1, 5)).Value;

        quote.Days.ShouldBe(10);
        quote.FreeDays.ShouldBe(0);
    }

    [Theory]
    [InlineData(AccountStatus.Frozen)]
    [InlineData(AccountStatus.Terminated)]
    public void Frozen_or_terminated_account_is_not_eligible(AccountStatus status)
    {
        ShouldFail(Quote(Good with { Status = status, HasActiveOrPlannedFreeze = true }, Today, Today), "freeze.not_eligible");
    }

    [Fact]
    public void Blocked_account_may_freeze()
    {
        Quote(Good with { Status = AccountStatus.Blocked }, D(2026, 4, 11), D(2026, 4, 17)).IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public void Second_freeze_is_refused_while_one_is_planned()
    {
        ShouldFail(Quote(Good with { HasActiveOrPlannedFreeze = true }, Today, Today), "freeze.already_planned");
    }

    [Fact]
    public void Freeze_cannot_start_today_or_earlier()
    {
        ShouldFail(Quote(Good, Today, D(2026, 4, 20)), "freeze.start_in_past", "start");
        ShouldFail(Quote(Good, D(2026, 4, 1), D(2026, 4, 20)), "freeze.start_in_past", "start");
    }

    [Fact]
    public void Freeze_cannot_start_more_than_the_allowed_days_ahead()
    {
        ShouldFail(Quote(Good, Today.AddDays(61), Today.AddDays(70)), "freeze.too_far", "start", ("max", "60"));
        Quote(Good, Today.AddDays(60), Today.AddDays(70)).IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public void Freeze_cannot_end_before_it_starts()
    {
        ShouldFail(Quote(Good, D(2026, 4, 20), D(2026, 4, 19)), "freeze.end_before_start", "end");
    }

    [Fact]
    public void Freeze_shorter_than_the_minimum_is_refused()
    {
        ShouldFail(Quote(Good, D(2026, 4, 11), D(2026, 4, 16)), "freeze.too_short", "end", ("min", "7"));
    }

    [Fact]
    public void Freeze_longer_than_the_maximum_is_refused()
    {
        ShouldFail(Quote(Good, D(2026, 4, 11), D(2026, 4, 11).AddDays(90)), "freeze.too_long", "end", ("max", "90"));
        Quote(Good, D(2026, 4, 11), D(2026, 4, 11).AddDays(89)).Value.Days.ShouldBe(90);
    }

    [Fact]
    public void Freeze_over_the_yearly_limit_names_the_days_left()
    {
        ShouldFail(Quote(Good with { UsedDaysThisYear = 80 }, D(2026, 4, 11), D(2026, 4, 21)), "freeze.yearly_limit", null, ("left", "10"));
        ShouldFail(Quote(Good with { UsedDaysThisYear = 95 }, D(2026, 4, 11), D(2026, 4, 17)), "freeze.yearly_limit", null, ("left", "0"));
        Quote(Good with { UsedDaysThisYear = 80 }, D(2026, 4, 11), D(2026, 4, 20)).IsSuccess.ShouldBeTrue();
    }

    private static Result<FreezeQuote> Quote(FreezeContext ctx, DateOnly start, DateOnly end) => FreezePolicy.Quote(Rules, ctx, start, end);

    private static void ShouldFail(Result<FreezeQuote> result, string code, string? field = null, params (string Key, string Value)[] args)
    {
        result.IsSuccess.ShouldBeFalse();
        result.Error!.Code.ShouldBe(code);
        result.Error.Field.ShouldBe(field);
        (result.Error.Args ?? new Dictionary<string, string>()).OrderBy(a => a.Key, StringComparer.Ordinal)
            .ShouldBe(args.Select(a => KeyValuePair.Create(a.Key, a.Value)));
    }
}
