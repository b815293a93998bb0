using Kabinet.Domain.Billing;
using Kabinet.Domain.Subscribers;

namespace Kabinet.Domain.Tests.Billing;

using static BillingCases;
using Money = Kabinet.Domain.Money.Money;

public sealed class PromisedPaymentPolicyTests
{
    private static readonly PromisedPaymentRules Rules = TestPromisedRules;
    private static readonly DateOnly Today = D(2026, 4, 10);

    private static readonly PromisedPaymentContext Good = new(
        AccountStatus.Active, new Money(-100), Money.FromRoubles(600), Today, D(2025, 1, 1), null, false);

    [Fact]
    public void Grant_is_due_after_the_term()
    {
        var result = PromisedPaymentPolicy.Evaluate(Rules with { MaxDebt = Money.FromRoubles(1) }, Good, Money.FromRoubles(300));

        result.IsSuccess.ShouldBeTrue();
        result.Value.ShouldBe(new PromisedPaymentGrant(Money.FromRoubles(300), D(2026, 4, 15)));
    }

    [Fact]
    public void Blocked_account_may_take_one()
    {
        var result = PromisedPaymentPolicy.Evaluate(Rules, Good with { Status = AccountStatus.Blocked, Balance = Money.Zero }, Money.FromRoubles(600));

        result.IsSuccess.ShouldBeTrue();
    }

    [Theory]
    [InlineData(AccountStatus.Frozen)]
    [InlineData(AccountStatus.Terminated)]
    public void Frozen_or_terminated_account_is_not_eligible(AccountStatus status)
    {
        ShouldFail(Evaluate(Good with { Status = status, HasOpen = true }), "promised.not_eligible");
    }

    [Fact]
    public void Second_open_promised_payment_is_refused()
    {
        ShouldFail(Evaluate(Good with { HasOpen = true, LastTakenOn = Today }), "promised.already_open");
    }

    [Fact]
    public void Taking_one_again_within_the_interval_names_the_first_allowed_day()
    {
        ShouldFail(Evaluate(Good with { LastTakenOn = D(2026, 3, 12), OpenedOn = Today }), "promised.too_soon", null, ("next", "2026-04-11"));
    }

    [Fact]
    public void Taking_one_on_the_first_allowed_day_is_fine()
    {
        Evaluate(Good with { Balance = Money.Zero, LastTakenOn = D(2026, 3, 11) }).IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public void Account_younger_than_the_minimum_age_is_refused()
    {
        ShouldFail(Evaluate(Good with { OpenedOn = D(2026, 3, 12), Balance = Money.FromRoubles(-1000) }), "promised.account_too_new", null, ("days", "30"));
        Evaluate(Good with { OpenedOn = D(2026, 3, 11), Balance = Money.Zero }).IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public void Debt_beyond_the_limit_is_refused()
    {
        var rules = Rules with { MaxDebt = Money.FromRoubles(50) };

        ShouldFail(PromisedPaymentPolicy.Evaluate(rules, Good with { Balance = new Money(-5001) }, Money.Zero), "promised.debt_too_large", null, ("limit", "50.00"));
        PromisedPaymentPolicy.Evaluate(rules, Good with { Balance = new Money(-5000) }, Money.FromRoubles(1)).IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public void Any_debt_is_too_large_by_default()
    {
        ShouldFail(Evaluate(Good with { Balance = new Money(-1) }), "promised.debt_too_large", null, ("limit", "0.00"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-100)]
    public void Amount_that_is_not_positive_is_invalid(long kopecks)
    {
        ShouldFail(PromisedPaymentPolicy.Evaluate(Rules, Good with { Balance = Money.Zero }, new Money(kopecks)), "promised.amount_invalid", "amount");
    }

    [Fact]
    public void Amount_over_one_month_of_the_tariff_is_refused_by_default()
    {
        ShouldFail(PromisedPaymentPolicy.Evaluate(Rules, Good with { Balance = Money.Zero }, new Money(60001)), "promised.amount_over_limit", "amount", ("max", "600.00"));
        PromisedPaymentPolicy.Evaluate(Rules, Good with { Balance = Money.Zero }, new Money(60000)).IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public void Amount_over_the_operator_limit_is_refused()
    {
        var rules = Rules with { MaxAmount = Money.FromRoubles(200) };

        ShouldFail(PromisedPaymentPolicy.Evaluate(rules, Good with { Balance = Money.Zero }, new Money(20001)), "promised.amount_over_limit", "amount", ("max", "200.00"));
    }

    private static Common.Result<PromisedPaymentGrant> Evaluate(PromisedPaymentContext ctx) =>
        PromisedPaymentPolicy.Evaluate(Rules, ctx, Money.FromRoubles(100));

    private static void ShouldFail(Common.Result<PromisedPaymentGrant> result, string code, string? field = null, params (string Key, string Value)[] args)
    {
        result.IsSuccess.ShouldBeFalse();
        result.Error!.Code.ShouldBe(code);
        result.Error.Field.ShouldBe(field);
        (result.Error.Args ?? new Dictionary<string, string>()).OrderBy(a => a.Key, StringComparer.Ordinal)
            .ShouldBe(args.Select(a => KeyValuePair.Create(a.Key, a.Value)));
    }
}
