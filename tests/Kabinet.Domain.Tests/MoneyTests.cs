namespace Kabinet.Domain.Tests;

using Money = Kabinet.Domain.Money.Money;

public sealed class MoneyTests
{
    [Fact]
    public void Addition_past_the_largest_amount_throws_instead_of_wrapping()
    {
        Should.Throw<OverflowException>(() => new Money(long.MaxValue) + new Money(1));
        Should.Throw<OverflowException>(() => Money.Add(new Money(long.MaxValue), new Money(1)));
    }

    [Fact]
    public void Subtraction_past_the_smallest_amount_throws_instead_of_wrapping()
    {
        Should.Throw<OverflowException>(() => new Money(long.MinValue) - new Money(1));
        Should.Throw<OverflowException>(() => Money.Subtract(new Money(long.MinValue), new Money(1)));
    }

    [Fact]
    public void Negating_the_smallest_amount_throws_instead_of_wrapping()
    {
        Should.Throw<OverflowException>(() => -new Money(long.MinValue));
        Should.Throw<OverflowException>(() => Money.Negate(new Money(long.MinValue)));
    }

    [Fact]
    public void Multiplication_that_overflows_throws()
    {
        Should.Throw<OverflowException>(() => new Money(long.MaxValue / 2 + 1) * 2);
        Should.Throw<OverflowException>(() => Money.Multiply(new Money(long.MinValue), -1));
    }

    [Fact]
    public void FromRoubles_that_overflows_throws()
    {
        Should.Throw<OverflowException>(() => Money.FromRoubles(long.MaxValue / 100 + 1));
    }

    [Fact]
    public void Arithmetic_inside_the_range_is_exact()
    {
        var a = new Money(long.MaxValue - 1);
        (a + new Money(1)).ShouldBe(new Money(long.MaxValue));
        (new Money(long.MinValue + 1) - new Money(1)).ShouldBe(new Money(long.MinValue));
        (new Money(1_667) * 3).ShouldBe(new Money(5_001));
        (-new Money(1_667)).ShouldBe(new Money(-1_667));
    }

    [Theory]
    [InlineData(12, 50, 1_250)]
    [InlineData(-12, 50, -1_250)]
    [InlineData(0, 7, 7)]
    [InlineData(1_000, 0, 100_000)]
    public void FromRoubles_gives_the_kopecks_with_the_sign_of_the_roubles(long roubles, int kopecks, long expected)
    {
        Money.FromRoubles(roubles, kopecks).ShouldBe(new Money(expected));
    }

    [Fact]
    public void Sign_and_order_follow_the_kopecks()
    {
        new Money(-1).IsNegative.ShouldBeTrue();
        new Money(-1).IsPositive.ShouldBeFalse();
        Money.Zero.IsNegative.ShouldBeFalse();
        Money.Zero.IsPositive.ShouldBeFalse();
        new Money(1).IsPositive.ShouldBeTrue();
        (new Money(-1) < Money.Zero).ShouldBeTrue();
        (new Money(2) > new Money(1)).ShouldBeTrue();
        (new Money(2) >= new Money(2)).ShouldBeTrue();
        (new Money(2) <= new Money(2)).ShouldBeTrue();
        new[] { new Money(3), new Money(-5), Money.Zero }.Order().ShouldBe([new Money(-5), Money.Zero, new Money(3)]);
    }

    [Fact]
    public void Allocation_gives_leftover_kopecks_to_the_earlier_parts_on_ties()
    {
        new Money(100).Allocate([1, 1, 1]).ShouldBe([new Money(34), new Money(33), new Money(33)]);
        new Money(-100).Allocate([1, 1, 1]).ShouldBe([new Money(-34), new Money(-33), new Money(-33)]);
    }

    [Fact]
    public void Allocation_gives_leftover_kopecks_to_the_largest_remainders()
    {
        // Exact shares 1.5, 2.25, 6.25: the half kopeck is the largest remainder.
        new Money(10).Allocate([6, 9, 25]).ShouldBe([new Money(2), new Money(2), new Money(6)]);
    }

    [Fact]
    public void Allocation_gives_nothing_to_a_zero_weight()
    {
        new Money(1_000).Allocate([0, 3, 0, 1]).ShouldBe([Money.Zero, new Money(750), Money.Zero, new Money(250)]);
    }

    [Fact]
    public void Allocation_of_the_extreme_amounts_keeps_them_whole()
    {
        new Money(long.MaxValue).Allocate([1]).ShouldBe([new Money(long.MaxValue)]);
        new Money(long.MinValue).Allocate([1]).ShouldBe([new Money(long.MinValue)]);
        new Money(long.MinValue).Allocate([1, 1]).ShouldBe([new Money(long.MinValue / 2), new Money(long.MinValue / 2)]);
    }

    [Fact]
    public void Allocation_refuses_missing_empty_negative_and_all_zero_weights()
    {
        Should.Throw<ArgumentNullException>(() => new Money(100).Allocate(null!));
        Should.Throw<ArgumentException>(() => new Money(100).Allocate([]));
        Should.Throw<ArgumentException>(() => new Money(100).Allocate([1, -1]));
        Should.Throw<ArgumentException>(() => new Money(100).Allocate([0, 0]));
    }

    [Fact]
    public void Split_into_no_parts_is_refused()
    {
        Should.Throw<ArgumentException>(() => new Money(100).Split(0));
    }

    [Fact]
    public void Split_of_a_monthly_fee_over_a_thirty_day_month()
    {
        var days = Money.FromRoubles(500).Split(30);
        days.Length.ShouldBe(30);
        days.Take(20).ShouldAllBe(d => d == new Money(1_667));
        days.Skip(20).ShouldAllBe(d => d == new Money(1_666));
    }
}
