namespace Kabinet.Domain.Subscribers;

/// <summary>
/// The 12-digit contract number printed on the contract; it is also the cabinet login. People type
/// it with spaces or dashes ("1000 0000 0001"), so those are dropped before checking.
/// </summary>
public readonly record struct ContractNumber
{
    /// <summary>How many digits a contract number has.</summary>
    public const int Length = 12;

    private ContractNumber(string value) => Value = value;

    /// <summary>The twelve digits.</summary>
    public string Value { get; }

    /// <summary>Reads a typed contract number, ignoring spaces and dashes.</summary>
    public static bool TryParse(string? text, out ContractNumber number)
    {
        number = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 40)
        {
            return false;
        }

        Span<char> digits = stackalloc char[Length];
        var n = 0;
        foreach (var c in text)
        {
            if (c is ' ' or '-' or '\u00A0')
            {
                continue;
            }

            if (c is < '0' or > '9' || n == Length)
            {
                return false;
            }

            digits[n++] = c;
        }

        if (n != Length)
        {
            return false;
        }

        number = new ContractNumber(new string(digits));
        return true;
    }

    /// <summary>The number for a sequence value: 100000000000 + n.</summary>
    public static ContractNumber FromSequence(long n) =>
        n is < 1 or > 899_999_999_999
            ? throw new ArgumentOutOfRangeException(nameof(n))
            : new ContractNumber((100_000_000_000 + n).ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Shown to someone who has not logged in: "1000****0001".</summary>
    public string Masked => Value is null ? string.Empty : Value[..4] + "****" + Value[^4..];

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;
}
