using Kabinet.Domain.Catalog;
using Kabinet.Domain.Common;

namespace Kabinet.Domain.Billing;

using Money = Kabinet.Domain.Money.Money;

/// <summary>When a tariff change takes effect; a tariff allows a set of these (M11).</summary>
[Flags]
public enum TariffChangeModes
{
    /// <summary>No mode.</summary>
    None = 0,

    /// <summary>From tomorrow.</summary>
    Tomorrow = 1,

    /// <summary>From the 1st of next month.</summary>
    NextMonth = 2,
}

/// <summary>
/// The before/after of a tariff change, shown before the subscriber confirms.
/// </summary>
/// <param name="Current">The tariff now, if any.</param>
/// <param name="Target">The tariff chosen.</param>
/// <param name="Mode">The chosen mode, exactly one flag.</param>
/// <param name="EffectiveOn">Tomorrow or the 1st of next month.</param>
/// <param name="CurrentFee">The current monthly fee (zero without a current tariff).</param>
/// <param name="NewFee">The target's monthly fee.</param>
/// <param name="CurrentDailyToday">
/// What the current tariff charges today: its daily part in daily mode; in monthly-in-advance mode
/// the whole fee on a 1st and nothing on other days (the month was paid on its 1st).
/// </param>
/// <param name="NewDailyOnEffective">
/// What the target charges on <paramref name="EffectiveOn"/>: its daily part in daily mode; in
/// monthly-in-advance mode the whole fee on a 1st, otherwise the prorated rest of that month.
/// </param>
/// <param name="RestOfMonthOld">What the days from EffectiveOn to the end of its month cost at the current fee.</param>
/// <param name="RestOfMonthNew">What the same days cost at the target's fee.</param>
public sealed record TariffChangeQuote(
    Tariff? Current,
    Tariff Target,
    TariffChangeModes Mode,
    DateOnly EffectiveOn,
    Money CurrentFee,
    Money NewFee,
    Money CurrentDailyToday,
    Money NewDailyOnEffective,
    Money RestOfMonthOld,
    Money RestOfMonthNew);

/// <summary>Decides whether a tariff change is allowed and quotes it (M11).</summary>
public static class TariffChangePolicy
{
    /// <summary>
    /// Quotes moving from <paramref name="current"/> to <paramref name="target"/> or says why not.
    /// The rest-of-month figures are the sum of daily parts in either mode: a monthly-in-advance
    /// proration is defined as that sum, and a whole month of daily parts is the fee, so both modes
    /// price the same days the same.
    /// </summary>
    public static Result<TariffChangeQuote> Quote(
        Tariff? current,
        Tariff target,
        TariffChangeModes allowedByTarget,
        Audience subscriberAudience,
        TariffChangeModes chosen,
        DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(target);

        if (current is not null && current.Id == target.Id)
        {
            return new Error(TariffChangeErrors.Same);
        }

        if (target.IsArchived)
        {
            return new Error(TariffChangeErrors.Archived);
        }

        if (target.Audience != subscriberAudience)
        {
            return new Error(TariffChangeErrors.Audience);
        }

        if (chosen is not (TariffChangeModes.Tomorrow or TariffChangeModes.NextMonth))
        {
            return new Error(TariffChangeErrors.ModeInvalid, "mode");
        }

        if (chosen == TariffChangeModes.Tomorrow && PaidAhead(current, today))
        {
            return new Error(TariffChangeErrors.CurrentPaidMonthly, "mode");
        }

        if ((allowedByTarget & chosen) != chosen)
        {
            return new Error(TariffChangeErrors.ModeNotAllowed, "mode");
        }

        var effectiveOn = chosen == TariffChangeModes.Tomorrow ? today.AddDays(1) : BillingCalendar.FirstOfNextMonth(today);
        var monthEnd = BillingCalendar.EndOfMonth(effectiveOn);
        var currentFee = current?.MonthlyFee ?? Money.Zero;
        var newFee = target.MonthlyFee;
        var newOnEffective = Charging.ChargeOn(target.ChargeMode, newFee, effectiveOn, null, effectiveOn);

        return new TariffChangeQuote(
            current,
            target,
            chosen,
            effectiveOn,
            currentFee,
            newFee,
            current is null ? Money.Zero : Charging.ChargeOn(current.ChargeMode, currentFee, DateOnly.MinValue, null, today),
            newOnEffective,
            DailyCharge.ForDays(currentFee, effectiveOn, monthEnd),
            DailyCharge.ForDays(newFee, effectiveOn, monthEnd));
    }

    /// <summary>
    /// The modes open to an account on <paramref name="current"/>: those the target allows, less
    /// "from tomorrow" while the current tariff's month is paid in advance (see <see cref="PaidAhead"/>).
    /// </summary>
    public static TariffChangeModes AvailableModes(Tariff? current, TariffChangeModes allowedByTarget, DateOnly today) =>
        PaidAhead(current, today) ? allowedByTarget & ~TariffChangeModes.Tomorrow : allowedByTarget;

    /// <summary>
    /// True when the current tariff is charged monthly in advance and tomorrow is inside the month it
    /// paid for on the 1st. Nothing of that month is refunded, so a switch from tomorrow would charge
    /// its remaining days twice (the old tariff's fee and the new tariff from tomorrow): such an
    /// account switches from the 1st of next month. On the last day of a month both modes are the 1st.
    /// </summary>
    public static bool PaidAhead(Tariff? current, DateOnly today) =>
        current is { ChargeMode: ChargeMode.MonthlyInAdvance } && today.AddDays(1).Day != 1;
}

/// <summary>The error codes of <see cref="TariffChangePolicy"/>.</summary>
public static class TariffChangeErrors
{
    /// <summary>The target is the current tariff.</summary>
    public const string Same = "tariff.same";

    /// <summary>The target is archived.</summary>
    public const string Archived = "tariff.archived";

    /// <summary>The target is for the other audience (business-only for a person or the reverse).</summary>
    public const string Audience = "tariff.audience";

    /// <summary>The target does not allow the chosen mode (field "mode").</summary>
    public const string ModeNotAllowed = "tariff.mode_not_allowed";

    /// <summary>
    /// "From tomorrow" while the current tariff's month is paid in advance and would not be refunded
    /// (field "mode"): only "from the 1st of next month" is possible.
    /// </summary>
    public const string CurrentPaidMonthly = "tariff.current_paid_monthly";

    /// <summary>The chosen mode is not exactly one of the modes (field "mode").</summary>
    public const string ModeInvalid = "tariff.mode_invalid";
}
