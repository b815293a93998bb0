namespace Kabinet.Web.Integrations.Sandbox;

/// <summary>What a test card does on the sandbox's hosted page.</summary>
public enum CardBehaviour
{
    Success,
    ThreeDSecure,
    Decline,
    Pending,
}

/// <summary>
/// The sandbox acquirer's test cards. Any other well-formed number succeeds, as on a real test shop;
/// the numbers below give each outcome a real acquirer gives. A declined card is never saved, so a
/// saved card that is later declined (money gone, card expired) has numbers of its own: they pay
/// on the hosted page, and the recurring charges of the card saved from them are declined.
/// </summary>
public static class SandboxCards
{
    /// <summary>The number that pays, is saved, and whose recurring charges then fail with insufficient_funds.</summary>
    public const string SavedThenInsufficientFunds = "4000000000000341";

    /// <summary>The number that pays, is saved, and whose recurring charges then fail with card_expired.</summary>
    public const string SavedThenExpired = "4000000000000358";

    /// <summary>The card numbers and what they do, in the order the hosted page lists them.</summary>
    public static readonly IReadOnlyList<(string Number, CardBehaviour Behaviour, string? Reason, string Label)> All =
    [
        ("5555555555554477", CardBehaviour.Success, null, "Mastercard: success"),
        ("2200000000000004", CardBehaviour.Success, null, "Mir: success"),
        ("5555555555554444", CardBehaviour.ThreeDSecure, null, "Mastercard: 3-D Secure step (code 123456)"),
        ("4000000000003220", CardBehaviour.ThreeDSecure, null, "Visa: 3-D Secure step (code 123456)"),
        (SavedThenInsufficientFunds, CardBehaviour.Success, "insufficient_funds", "Visa: pays; autopay charges of the saved card are declined: insufficient funds"),
        (SavedThenExpired, CardBehaviour.Success, "card_expired", "Visa: pays; autopay charges of the saved card are declined: card expired"),
        ("4000000000000051", CardBehaviour.Decline, "insufficient_funds", "Visa: insufficient funds"),
        ("4000000000000069", CardBehaviour.Decline, "card_expired", "Visa: card expired"),
        ("4000000000000101", CardBehaviour.Decline, "3d_secure_failed", "Visa: 3-D Secure failed"),
        ("4000000000000119", CardBehaviour.Decline, "issuer_unavailable", "Visa: issuer unavailable"),
        ("4000000000000127", CardBehaviour.Decline, "fraud_suspected", "Visa: fraud suspected"),
        ("4000000000000002", CardBehaviour.Decline, "general_decline", "Visa: declined"),
        ("4000000000000077", CardBehaviour.Pending, null, "Visa: stays pending"),
    ];

    /// <summary>
    /// Why recurring charges of a card saved from this number are declined; null when they succeed.
    /// (A Success card's reason is its later decline; a Decline card's is never saved.)
    /// </summary>
    public static string? RecurringDecline(string? number)
    {
        var digits = Digits(number);
        return All.FirstOrDefault(c => c.Number == digits) is { Behaviour: CardBehaviour.Success, Reason: { } reason } ? reason : null;
    }

    /// <summary>The digits of a typed number, spaces and dashes dropped.</summary>
    public static string Digits(string? number) => new((number ?? "").Where(char.IsAsciiDigit).ToArray());

    /// <summary>What a number does at the hosted page; null when it is not a plausible card number.</summary>
    public static (CardBehaviour Behaviour, string? Reason)? Lookup(string? number)
    {
        var digits = Digits(number);
        if (digits.Length is < 13 or > 19)
        {
            return null;
        }

        foreach (var card in All)
        {
            if (card.Number == digits)
            {
                // A card that pays now and is declined later pays here.
                return (card.Behaviour, card.Behaviour == CardBehaviour.Decline ? card.Reason : null);
            }
        }

        return Luhn(digits) ? (CardBehaviour.Success, null) : null;
    }

    private static bool Luhn(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                d = d * 2 > 9 ? (d * 2) - 9 : d * 2;
            }

            sum += d;
        }

        return sum % 10 == 0;
    }
}
