using System.Globalization;
using Kabinet.Domain.Common;
using Kabinet.Domain.Subscribers;

namespace Kabinet.Domain.Billing;

using Money = Kabinet.Domain.Money.Money;

/// <summary>
/// The operator's promised-payment rules (M9). Their values have one home, the billing_rules row the
/// product reads (its column defaults, migration 0002, are the product's defaults: a debt of up to
/// 500 RUB may still take one); this record only carries them, so it has no defaults of its own.
/// </summary>
public sealed record PromisedPaymentRules
{
    /// <summary>The largest credit; null means one month of the account's tariff fee.</summary>
    public required Money? MaxAmount { get; init; }

    /// <summary>Days until the credit is due.</summary>
    public required int TermDays { get; init; }

    /// <summary>Days that must pass after one is taken before the next.</summary>
    public required int MinIntervalDays { get; init; }

    /// <summary>How deep in debt an account may be and still take one: the balance may not be below -MaxDebt.</summary>
    public required Money MaxDebt { get; init; }

    /// <summary>How many days old the account must be.</summary>
    public required int MinAccountAgeDays { get; init; }
}

/// <summary>What the policy needs to know about the account, as of <see cref="Today"/>.</summary>
/// <param name="Status">The account's status.</param>
/// <param name="Balance">The balance without any credit.</param>
/// <param name="MonthlyFee">The tariff fee, the default limit.</param>
/// <param name="Today">The billing day in the operator's zone.</param>
/// <param name="OpenedOn">The day the account was opened.</param>
/// <param name="LastTakenOn">The day the last promised payment was taken, if ever.</param>
/// <param name="HasOpen">True when a promised payment is still unpaid.</param>
public sealed record PromisedPaymentContext(
    AccountStatus Status,
    Money Balance,
    Money MonthlyFee,
    DateOnly Today,
    DateOnly OpenedOn,
    DateOnly? LastTakenOn,
    bool HasOpen);

/// <summary>A promised payment the account may take.</summary>
/// <param name="Amount">The credit.</param>
/// <param name="DueOn">The day by which it must be repaid: today + the term.</param>
public sealed record PromisedPaymentGrant(Money Amount, DateOnly DueOn);

/// <summary>Decides whether an account may take a promised payment (M9).</summary>
public static class PromisedPaymentPolicy
{
    /// <summary>
    /// Grants <paramref name="requested"/> or says why not. Checks run in a fixed order (eligibility,
    /// an open one, too soon, account age, debt, amount) so that the reason shown is the one the
    /// subscriber cannot fix by typing a different amount. Blocked accounts are eligible: unblocking
    /// them is what the credit is for.
    /// </summary>
    public static Result<PromisedPaymentGrant> Evaluate(PromisedPaymentRules rules, PromisedPaymentContext ctx, Money requested)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(ctx);

        if (ctx.Status is AccountStatus.Frozen or AccountStatus.Terminated)
        {
            return new Error(PromisedPaymentErrors.NotEligible);
        }

        if (ctx.HasOpen)
        {
            return new Error(PromisedPaymentErrors.AlreadyOpen);
        }

        if (ctx.LastTakenOn is { } last && ctx.Today < last.AddDays(rules.MinIntervalDays))
        {
            var next = last.AddDays(rules.MinIntervalDays).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            return new Error(PromisedPaymentErrors.TooSoon, null, Args("next", next));
        }

        if (BillingCalendar.DaysBetween(ctx.OpenedOn, ctx.Today) < rules.MinAccountAgeDays)
        {
            return new Error(PromisedPaymentErrors.AccountTooNew, null,
                Args("days", rules.MinAccountAgeDays.ToString(CultureInfo.InvariantCulture)));
        }

        if (ctx.Balance < -rules.MaxDebt)
        {
            return new Error(PromisedPaymentErrors.DebtTooLarge, null, Args("limit", rules.MaxDebt.ToString()));
        }

        if (!requested.IsPositive)
        {
            return new Error(PromisedPaymentErrors.AmountInvalid, "amount");
        }

        var max = rules.MaxAmount ?? ctx.MonthlyFee;
        if (requested > max)
        {
            return new Error(PromisedPaymentErrors.AmountOverLimit, "amount", Args("max", max.ToString()));
        }

        return new PromisedPaymentGrant(requested, ctx.Today.AddDays(rules.TermDays));
    }

    private static Dictionary<string, string> Args(string key, string value) => new(StringComparer.Ordinal) { [key] = value };
}

/// <summary>The error codes of <see cref="PromisedPaymentPolicy"/>.</summary>
public static class PromisedPaymentErrors
{
    /// <summary>The amount is zero or negative (field "amount").</summary>
    public const string AmountInvalid = "promised.amount_invalid";

    /// <summary>The amount is above the limit (field "amount", arg "max").</summary>
    public const string AmountOverLimit = "promised.amount_over_limit";

    /// <summary>An unpaid promised payment is still open.</summary>
    public const string AlreadyOpen = "promised.already_open";

    /// <summary>The last one was taken too recently (arg "next": the first allowed day, yyyy-MM-dd).</summary>
    public const string TooSoon = "promised.too_soon";

    /// <summary>The balance is below -MaxDebt (arg "limit").</summary>
    public const string DebtTooLarge = "promised.debt_too_large";

    /// <summary>The account is younger than the rule (arg "days": the minimum age in days).</summary>
    public const string AccountTooNew = "promised.account_too_new";

    /// <summary>The account is frozen or terminated.</summary>
    public const string NotEligible = "promised.not_eligible";
}
