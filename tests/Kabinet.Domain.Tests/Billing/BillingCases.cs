namespace Kabinet.Domain.Tests.Billing;

using Money = Kabinet.Domain.Money.Money;

/// <summary>Generators for billing property checks, on top of <see cref="Cases"/>.</summary>
internal static class BillingCases
{
    /// <summary>
    /// Freeze rules for the domain tests, the product's defaults at the time of writing; the ones in
    /// force come from the billing_rules row (checked by BillingRulesDefaultsTests on both engines).
    /// </summary>
    public static readonly Kabinet.Domain.Billing.FreezeRules TestFreezeRules = new()
    {
        MinDays = 7, MaxDays = 90, DaysPerYear = 90, FreeDaysPerYear = 30, DailyFee = Money.FromRoubles(10), MaxDaysAhead = 60,
    };

    /// <summary>Promised-payment rules for the domain tests: no debt allowed, so the debt rule is at its edge.</summary>
    public static readonly Kabinet.Domain.Billing.PromisedPaymentRules TestPromisedRules = new()
    {
        MaxAmount = null, TermDays = 5, MinIntervalDays = 30, MaxDebt = Money.Zero, MinAccountAgeDays = 30,
    };

    /// <summary>Any non-negative fee, small and huge ones far more often than uniform draws would give.</summary>
    public static Money Fee(Random random) => new(random.Next(6) switch
    {
        0 => random.NextInt64(0, 100),
        1 => random.NextInt64(0, 10_000_00),
        2 => random.NextInt64(0, 1_000_000_00),
        3 => long.MaxValue - random.NextInt64(0, 1_000),
        _ => random.NextInt64(0, long.MaxValue),
    });

    /// <summary>A realistic fee: up to 100,000 roubles.</summary>
    public static Money SmallFee(Random random) => new(random.NextInt64(0, 100_000_00));

    /// <summary>The 1st of any month of 1900–2400, February of a leap year often.</summary>
    public static DateOnly Month(Random random)
    {
        if (random.Next(4) == 0)
        {
            int[] leap = [1904, 1996, 2000, 2024, 2028, 2400];
            return new DateOnly(leap[random.Next(leap.Length)], 2, 1);
        }

        return new DateOnly(random.Next(1900, 2401), random.Next(1, 13), 1);
    }

    /// <summary>Any day of 1900–2400.</summary>
    public static DateOnly Day(Random random)
    {
        var month = Month(random);
        return month.AddDays(random.Next(DateTime.DaysInMonth(month.Year, month.Month)));
    }

    public static IEnumerable<DateOnly> DaysOf(DateOnly month)
    {
        for (var d = new DateOnly(month.Year, month.Month, 1); d.Month == month.Month; d = d.AddDays(1))
        {
            yield return d;
            if (d == DateOnly.MaxValue)
            {
                yield break;
            }
        }
    }

    public static Money Sum(IEnumerable<Money> amounts) => amounts.Aggregate(Money.Zero, (a, b) => a + b);

    public static DateOnly D(int year, int month, int day) => new(year, month, day);
}
