using System.Globalization;

namespace Kabinet.Domain.Money;

/// <summary>
/// An amount of roubles held as whole kopecks. All arithmetic is checked: an overflow is a bug,
/// never a silently wrapped balance.
/// </summary>
public readonly record struct Money(long Kopecks) : IComparable<Money>
{
    /// <summary>Zero roubles.</summary>
    public static readonly Money Zero = new(0);

    /// <summary>Whole roubles and kopecks, for literals in code and tests.</summary>
    public static Money FromRoubles(long roubles, int kopecks = 0) =>
        new(checked((roubles * 100) + (roubles < 0 ? -kopecks : kopecks)));

    /// <summary>True when the amount is below zero.</summary>
    public bool IsNegative => Kopecks < 0;

    /// <summary>True when the amount is above zero.</summary>
    public bool IsPositive => Kopecks > 0;

    public static Money operator +(Money a, Money b) => new(checked(a.Kopecks + b.Kopecks));

    public static Money operator -(Money a, Money b) => new(checked(a.Kopecks - b.Kopecks));

    public static Money operator -(Money a) => new(checked(-a.Kopecks));

    public static Money operator *(Money a, long factor) => new(checked(a.Kopecks * factor));

    public static bool operator <(Money a, Money b) => a.Kopecks < b.Kopecks;

    public static bool operator >(Money a, Money b) => a.Kopecks > b.Kopecks;

    public static bool operator <=(Money a, Money b) => a.Kopecks <= b.Kopecks;

    public static bool operator >=(Money a, Money b) => a.Kopecks >= b.Kopecks;

    /// <inheritdoc />
    public int CompareTo(Money other) => Kopecks.CompareTo(other.Kopecks);

    /// <summary>Adds named alternatives to the operators for languages without them (CA2225).</summary>
    public static Money Add(Money a, Money b) => a + b;

    /// <inheritdoc cref="Add"/>
    public static Money Subtract(Money a, Money b) => a - b;

    /// <inheritdoc cref="Add"/>
    public static Money Negate(Money a) => -a;

    /// <inheritdoc cref="Add"/>
    public static Money Multiply(Money a, long factor) => a * factor;

    /// <summary>
    /// Splits the amount by the given non-negative weights so that the parts add up to exactly this
    /// amount. Each part is the floor of its exact share; the kopecks left over go one each to the
    /// parts with the largest remainders (earlier parts win ties), so no part is off by more than one
    /// kopeck from its exact share.
    /// </summary>
    public Money[] Allocate(IReadOnlyList<long> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count == 0)
        {
            throw new ArgumentException("At least one weight is needed.", nameof(weights));
        }

        long total = 0;
        foreach (var w in weights)
        {
            if (w < 0)
            {
                throw new ArgumentException("Weights cannot be negative.", nameof(weights));
            }

            total = checked(total + w);
        }

        if (total == 0)
        {
            throw new ArgumentException("The weights cannot all be zero.", nameof(weights));
        }

        var sign = Kopecks < 0 ? -1 : 1;
        // Int128 throughout: |long.MinValue| and a whole-amount part of it do not fit a long.
        var amount = Int128.Abs(Kopecks);
        var parts = new Int128[weights.Count];
        var remainders = new Int128[weights.Count];
        Int128 placed = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            var exact = amount * weights[i];
            parts[i] = exact / total;
            remainders[i] = exact % total;
            placed += parts[i];
        }

        var left = (long)(amount - placed);
        var order = Enumerable.Range(0, weights.Count)
            .OrderByDescending(i => remainders[i])
            .ThenBy(i => i)
            .Take((int)left);
        foreach (var i in order)
        {
            parts[i]++;
        }

        return parts.Select(p => new Money((long)(sign * p))).ToArray();
    }

    /// <summary>Splits the amount into <paramref name="count"/> parts as even as kopecks allow.</summary>
    public Money[] Split(int count) => Allocate(Enumerable.Repeat(1L, count).ToArray());

    /// <summary>The wire form: roubles with exactly two decimals and a dot, "-16.67".</summary>
    public override string ToString()
    {
        var abs = Math.Abs((decimal)Kopecks) / 100m;
        return (Kopecks < 0 ? "-" : string.Empty) + abs.ToString("0.00", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Reads an amount as a person types it into a form: roubles with none, one or two decimals after
    /// a dot or a comma ("500", "500,5", "99.90"), and spaces (also no-break and narrow no-break ones)
    /// between digit groups ("1 500"). A third decimal, a second separator or anything else is refused,
    /// as by <see cref="TryParse"/>, which reads the result.
    /// </summary>
    public static bool TryParseTyped(string? text, out Money money)
    {
        money = Zero;
        if (text is null || text.Length > 40)
        {
            return false;
        }

        var canonical = new System.Text.StringBuilder(text.Length + 3);
        foreach (var c in text.Trim())
        {
            if (c is not (' ' or '\u00A0' or '\u202F' or '\u2009'))
            {
                canonical.Append(c == ',' ? '.' : c);
            }
        }

        var typed = canonical.ToString();
        var dot = typed.IndexOf('.', StringComparison.Ordinal);
        var decimals = dot < 0 ? -1 : typed.Length - dot - 1;
        return TryParse(decimals switch { -1 => typed + ".00", 0 => typed + "00", 1 => typed + "0", _ => typed }, out money);
    }

    /// <summary>
    /// Reads the wire form: exactly two decimals ("123.40", never "123" or "123.4"), an optional
    /// leading minus, no spaces, no plus, no exponent, no thousands separator; "-0.00" is refused so
    /// that zero has one form.
    /// </summary>
    public static bool TryParse(string? text, out Money money)
    {
        money = Zero;
        // "-92233720368547758.08" (long.MinValue) is the longest amount: 21 characters.
        if (string.IsNullOrEmpty(text) || text.Length > 21)
        {
            return false;
        }

        var negative = text[0] == '-';
        var body = negative ? text.AsSpan(1) : text.AsSpan();
        var dot = body.IndexOf('.');
        if (dot < 1 || body.Length - dot != 3)
        {
            return false;
        }

        // Accumulated unsigned so that long.MinValue, one more than long.MaxValue in magnitude, fits.
        var limit = negative ? (ulong)long.MaxValue + 1 : (ulong)long.MaxValue;
        ulong value = 0;
        for (var i = 0; i < body.Length; i++)
        {
            if (i == dot)
            {
                continue;
            }

            var c = body[i];
            if (c is < '0' or > '9')
            {
                return false;
            }

            var digit = (ulong)(c - '0');
            if (value > (limit - digit) / 10)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        if (negative && value == 0)
        {
            return false;
        }

        money = new Money(negative ? unchecked((long)(0 - value)) : (long)value);
        return true;
    }
}
