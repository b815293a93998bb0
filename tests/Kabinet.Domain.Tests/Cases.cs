using Xunit.Sdk;

namespace Kabinet.Domain.Tests;

/// <summary>
/// Property checks without a property-testing library: each case gets its own seeded
/// <see cref="Random"/>, so a failure names the seed that replays exactly that case.
/// </summary>
internal static class Cases
{
    public static void Check(int seed, int count, Action<Random> property)
    {
        for (var i = 0; i < count; i++)
        {
            var caseSeed = unchecked((seed * 1_000_003) + i);
            try
            {
                property(new Random(caseSeed));
            }
            catch (Exception e)
            {
                throw new XunitException($"seed {seed}, case {i} (replay with new Random({caseSeed})): {e.Message}", e);
            }
        }
    }

    /// <summary>Any long, with the edges and small values far more often than uniform draws would give.</summary>
    public static long Amount(Random random) => random.Next(8) switch
    {
        0 => random.NextInt64(-1_000, 1_001),
        1 => random.NextInt64(-100_000_000, 100_000_001),
        2 => long.MaxValue - random.NextInt64(0, 1_000),
        3 => long.MinValue + random.NextInt64(0, 1_000),
        4 => random.Next(2) == 0 ? long.MaxValue : long.MinValue,
        _ => random.NextInt64(long.MinValue, long.MaxValue),
    };

    /// <summary>One to twelve non-negative weights, not all zero, whose sum fits a long.</summary>
    public static long[] Weights(Random random)
    {
        var weights = new long[random.Next(1, 13)];
        var cap = long.MaxValue / weights.Length;
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = random.Next(4) switch
            {
                0 => 0,
                1 => random.NextInt64(1, 10),
                2 => random.NextInt64(1, 1_000_000),
                _ => 1 + random.NextInt64(cap),
            };
        }

        if (weights.All(w => w == 0))
        {
            weights[random.Next(weights.Length)] = random.NextInt64(1, 100);
        }

        return weights;
    }
}
