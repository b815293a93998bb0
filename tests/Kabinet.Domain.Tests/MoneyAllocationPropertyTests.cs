namespace Kabinet.Domain.Tests;

using Money = Kabinet.Domain.Money.Money;

public sealed class MoneyAllocationPropertyTests
{
    private const int CasesPerSeed = 5_000;

    [Theory]
    [InlineData(1)]
    [InlineData(20261121)]
    [InlineData(777)]
    public void Allocation_keeps_the_total_for_any_amount_and_any_weights(int seed)
    {
        Cases.Check(seed, CasesPerSeed, random =>
        {
            var amount = Cases.Amount(random);
            var weights = Cases.Weights(random);

            var parts = new Money(amount).Allocate(weights);

            parts.Length.ShouldBe(weights.Length);
            Total(parts).ShouldBe((Int128)amount, Describe(amount, weights));
        });
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4242)]
    [InlineData(99991)]
    public void Allocation_puts_each_part_within_one_kopeck_of_its_exact_share(int seed)
    {
        Cases.Check(seed, CasesPerSeed, random =>
        {
            var amount = Cases.Amount(random);
            var weights = Cases.Weights(random);
            Int128 total = weights.Sum();

            var parts = new Money(amount).Allocate(weights);

            for (var i = 0; i < parts.Length; i++)
            {
                // |part - amount * w / total| < 1, kept in integers: |part * total - amount * w| < total.
                var gap = Int128.Abs((parts[i].Kopecks * total) - ((Int128)amount * weights[i]));
                (gap < total).ShouldBeTrue($"part {i} = {parts[i].Kopecks}; {Describe(amount, weights)}");
            }
        });
    }

    [Theory]
    [InlineData(3)]
    [InlineData(31337)]
    public void Split_parts_differ_by_at_most_one_kopeck(int seed)
    {
        Cases.Check(seed, CasesPerSeed, random =>
        {
            var amount = Cases.Amount(random);
            var count = random.Next(4) == 0 ? random.Next(1, 1_000) : random.Next(1, 32);

            var parts = new Money(amount).Split(count);

            var context = $"amount {amount}, count {count}";
            parts.Length.ShouldBe(count, context);
            Total(parts).ShouldBe((Int128)amount, context);
            (parts.Max().Kopecks - parts.Min().Kopecks).ShouldBeLessThanOrEqualTo(1L, context);
        });
    }

    [Theory]
    [InlineData(5)]
    [InlineData(2026)]
    public void Monthly_fee_split_over_the_days_of_any_month_adds_up_and_no_day_exceeds_the_rounded_up_share(int seed)
    {
        Cases.Check(seed, CasesPerSeed, random =>
        {
            var fee = random.Next(3) switch
            {
                0 => random.NextInt64(0, 100),
                1 => random.NextInt64(0, 100_000_00),
                _ => random.NextInt64(0, 10_000_000_00),
            };
            var year = random.Next(1990, 2101);
            var month = random.Next(1, 13);
            var days = DateTime.DaysInMonth(year, month);
            var ceiling = (fee + days - 1) / days;

            var daily = new Money(fee).Split(days);

            var context = $"fee {fee}, {year}-{month:00} with {days} days";
            daily.Length.ShouldBe(days, context);
            daily.Sum(d => d.Kopecks).ShouldBe(fee, context);
            daily.ShouldAllBe(d => d.Kopecks >= fee / days && d.Kopecks <= ceiling, context);
        });
    }

    private static Int128 Total(Money[] parts) => parts.Aggregate(Int128.Zero, (sum, p) => sum + p.Kopecks);

    private static string Describe(long amount, long[] weights) =>
        $"amount {amount}, weights [{string.Join(", ", weights)}]";
}
