using System.Globalization;
using Kabinet.Domain.Catalog;

namespace Kabinet.Domain.Billing;

using Money = Kabinet.Domain.Money.Money;

/// <summary>The account's tariff as billed now.</summary>
/// <param name="MonthlyFee">The monthly fee.</param>
/// <param name="Mode">How the fee is charged.</param>
/// <param name="ActiveFrom">The first day it is charged.</param>
public sealed record ScheduledTariff(Money MonthlyFee, ChargeMode Mode, DateOnly ActiveFrom);

/// <summary>A booked tariff change: from <paramref name="EffectiveOn"/> the target's fee and mode apply.</summary>
/// <param name="MonthlyFee">The target's monthly fee.</param>
/// <param name="Mode">The target's charge mode.</param>
/// <param name="EffectiveOn">The first day of the target.</param>
public sealed record PendingTariffChange(Money MonthlyFee, ChargeMode Mode, DateOnly EffectiveOn);

/// <summary>A monthly extra service switched on for the account.</summary>
/// <param name="Id">The service's id, used in the charge key "service:{id}".</param>
/// <param name="MonthlyFee">The monthly fee.</param>
/// <param name="Mode">How the fee is charged.</param>
/// <param name="ActiveFrom">The first day it is charged.</param>
/// <param name="ActiveTo">The first day it is no longer charged; null while it stays on.</param>
/// <param name="ChargedWhileFrozen">True for services the operator keeps charging during a freeze (equipment rent, static IP).</param>
public sealed record ScheduledService(long Id, Money MonthlyFee, ChargeMode Mode, DateOnly ActiveFrom, DateOnly? ActiveTo, bool ChargedWhileFrozen);

/// <summary>
/// A booked or running freeze from <paramref name="Start"/> to <paramref name="End"/> (both included);
/// the first <paramref name="FreeDays"/> days are free, each later one costs <paramref name="DailyFee"/>.
/// </summary>
public sealed record ScheduledFreeze(DateOnly Start, DateOnly End, int FreeDays, Money DailyFee)
{
    /// <summary>The freeze a quote describes.</summary>
    public static ScheduledFreeze FromQuote(FreezeQuote quote)
    {
        ArgumentNullException.ThrowIfNull(quote);
        return new ScheduledFreeze(quote.Start, quote.End, quote.FreeDays, quote.DailyFee);
    }

    /// <summary>True on every frozen day.</summary>
    public bool Covers(DateOnly day) => day >= Start && day <= End;

    /// <summary>True on the frozen days that carry the fee: the free days come first.</summary>
    public bool IsPaidDay(DateOnly day) => day <= End && day >= Start.AddDays(FreeDays);
}

/// <summary>A single known debit on one day, such as an unpaid promised payment withdrawn the day after it is due.</summary>
public sealed record ScheduledOneOff(string Key, DateOnly Day, Money Amount);

/// <summary>One charge on one day; the key names what it is for.</summary>
/// <param name="Key">"tariff", "service:{id}" or "freeze".</param>
/// <param name="Amount">A positive amount.</param>
public readonly record struct ScheduledCharge(string Key, Money Amount);

/// <summary>
/// Every charge the account will incur on any day, from its facts (M5, M12, M13, M30): the tariff,
/// a pending tariff change, monthly services and freezes. The forecast walks it; the billing run must
/// charge the same amounts.
/// </summary>
/// <remarks>
/// Rules while frozen: no tariff charge; only the services marked <c>ChargedWhileFrozen</c>; the
/// freeze fee on its paid days. A monthly-in-advance item whose charge for the month (on the 1st, or
/// on its activation day) fell on a frozen day is charged the prorated rest of that month on the
/// first unfrozen day after it, so that a freeze across the 1st does not make the rest of the month
/// free; a freeze that starts after the 1st refunds nothing.
/// </remarks>
public sealed class ChargeSchedule
{
    /// <summary>The key of tariff charges.</summary>
    public const string TariffKey = "tariff";

    /// <summary>The key of freeze fees.</summary>
    public const string FreezeKey = "freeze";

    private readonly ScheduledTariff? _tariff;
    private readonly PendingTariffChange? _change;
    private readonly ScheduledService[] _services;
    private readonly ScheduledFreeze[] _freezes;
    private readonly ScheduledOneOff[] _oneOffs;

    /// <summary>Builds the schedule; any part may be absent or empty.</summary>
    public ChargeSchedule(
        ScheduledTariff? tariff,
        PendingTariffChange? pendingChange = null,
        IEnumerable<ScheduledService>? services = null,
        IEnumerable<ScheduledFreeze>? freezes = null,
        IEnumerable<ScheduledOneOff>? oneOffs = null)
    {
        _tariff = tariff;
        _change = pendingChange;
        _services = services?.ToArray() ?? [];
        _freezes = freezes?.ToArray() ?? [];
        _oneOffs = oneOffs?.ToArray() ?? [];
    }

    /// <summary>The key of a service's charges: "service:{id}".</summary>
    public static string ServiceKey(long id) => "service:" + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>True when a freeze covers <paramref name="day"/>.</summary>
    public bool IsFrozen(DateOnly day) => Array.Exists(_freezes, f => f.Covers(day));

    /// <summary>The charges on <paramref name="day"/>, tariff first, then services in order, then the freeze fee; zero charges are left out.</summary>
    public IReadOnlyList<ScheduledCharge> ChargesOn(DateOnly day)
    {
        var charges = new List<ScheduledCharge>(2 + _services.Length);
        var frozen = IsFrozen(day);

        if (!frozen && _tariff is not null)
        {
            var tariff = TariffCharge(_tariff, day);
            if (tariff.IsPositive)
            {
                charges.Add(new ScheduledCharge(TariffKey, tariff));
            }
        }

        foreach (var s in _services)
        {
            if (frozen && !s.ChargedWhileFrozen)
            {
                continue;
            }

            var amount = ItemCharge(s.Mode, s.MonthlyFee, s.ActiveFrom, s.ActiveTo, day, !s.ChargedWhileFrozen);
            if (amount.IsPositive)
            {
                charges.Add(new ScheduledCharge(ServiceKey(s.Id), amount));
            }
        }

        var fee = Money.Zero;
        foreach (var f in _freezes)
        {
            if (f.IsPaidDay(day))
            {
                fee += f.DailyFee;
            }
        }

        if (fee.IsPositive)
        {
            charges.Add(new ScheduledCharge(FreezeKey, fee));
        }

        foreach (var o in _oneOffs)
        {
            if (o.Day == day && o.Amount.IsPositive)
            {
                charges.Add(new ScheduledCharge(o.Key, o.Amount));
            }
        }

        return charges;
    }

    /// <summary>The sum of <see cref="ChargesOn"/> over <paramref name="from"/>..<paramref name="to"/>, both included.</summary>
    public Money TotalBetween(DateOnly from, DateOnly to)
    {
        var total = Money.Zero;
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            foreach (var c in ChargesOn(day))
            {
                total += c.Amount;
            }
        }

        return total;
    }

    // The pending change splits the tariff in two: the current one up to EffectiveOn (exclusive),
    // the target from EffectiveOn as if activated that day.
    private Money TariffCharge(ScheduledTariff tariff, DateOnly day)
    {
        if (_change is { } change && day >= change.EffectiveOn)
        {
            return ItemCharge(change.Mode, change.MonthlyFee, change.EffectiveOn, null, day, pausedByFreeze: true);
        }

        return ItemCharge(tariff.Mode, tariff.MonthlyFee, tariff.ActiveFrom, _change?.EffectiveOn, day, pausedByFreeze: true);
    }

    private Money ItemCharge(ChargeMode mode, Money fee, DateOnly activeFrom, DateOnly? activeTo, DateOnly day, bool pausedByFreeze)
    {
        var charge = Charging.ChargeOn(mode, fee, activeFrom, activeTo, day);
        if (pausedByFreeze && mode == ChargeMode.MonthlyInAdvance && charge == Money.Zero
            && (activeTo is not { } to || day < to) && SkippedMonthlyChargeResumes(activeFrom, day))
        {
            return DailyCharge.ForDays(fee, day, BillingCalendar.EndOfMonth(day));
        }

        return charge;
    }

    // True on the first unfrozen day after this month's monthly-in-advance charge day, when that
    // charge day and every day since were frozen (so the charge was skipped and not yet made up).
    private bool SkippedMonthlyChargeResumes(DateOnly activeFrom, DateOnly day)
    {
        if (_freezes.Length == 0 || day.Day == 1 || day <= activeFrom)
        {
            return false;
        }

        var first = BillingCalendar.FirstOfMonth(day);
        var chargeDay = activeFrom > first ? activeFrom : first;
        for (var d = chargeDay; d < day; d = d.AddDays(1))
        {
            if (!IsFrozen(d))
            {
                return false;
            }
        }

        return true;
    }
}
