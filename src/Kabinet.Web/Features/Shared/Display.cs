using System.Globalization;
using Kabinet.Domain.Money;
using Kabinet.Domain.Subscribers;
using Kabinet.Web.Hosting;

namespace Kabinet.Web.Features.Shared;

/// <summary>Formats money and time for people: the request's culture, the operator's time zone.</summary>
public sealed class Display(OperatorClock clock)
{
    /// <summary>"1 234,50 ₽".</summary>
    public string Money(Money money) => MoneyFormat.Display(money, CultureInfo.CurrentCulture);

    /// <summary>"21.11.2026 22:10" in the operator's zone.</summary>
    public string Time(DateTimeOffset instant) =>
        clock.ToLocal(instant).ToString("g", CultureInfo.CurrentCulture);

    /// <summary>"21.11.2026".</summary>
    public string Day(DateTimeOffset instant) =>
        clock.ToLocal(instant).ToString("d", CultureInfo.CurrentCulture);

    /// <summary>A billing day: "22.11.2026".</summary>
    public static string Date(DateOnly day) => day.ToString("d", CultureInfo.CurrentCulture);

    /// <summary>Machine-readable time for &lt;time datetime&gt;.</summary>
    public static string Iso(DateTimeOffset instant) => instant.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    /// <summary>The text key of a status.</summary>
    public static string StatusKey(AccountStatus status) => "status." + StatusName(status);

    /// <summary>"active", "blocked"…, for CSS classes; worked out once, pages ask on every view.</summary>
    public static string StatusName(AccountStatus status) =>
        StatusNames.TryGetValue(status, out var name) ? name : status.ToString().ToLowerInvariant();

    /// <summary>The text key of an operation kind ("op.1").</summary>
    public static string OperationKey(Kabinet.Domain.Ledger.TransactionKind kind) =>
        OperationKeys.TryGetValue(kind, out var key) ? key : "op." + ((int)kind).ToString(CultureInfo.InvariantCulture);

    private static readonly Dictionary<AccountStatus, string> StatusNames =
        Enum.GetValues<AccountStatus>().ToDictionary(s => s, s => s.ToString().ToLowerInvariant());

    private static readonly Dictionary<Kabinet.Domain.Ledger.TransactionKind, string> OperationKeys =
        Enum.GetValues<Kabinet.Domain.Ledger.TransactionKind>().ToDictionary(k => k, k => "op." + ((int)k).ToString(CultureInfo.InvariantCulture));

    /// <summary>Megabits from kilobits, for speeds.</summary>
    public static string Mbps(int kbps) => (kbps / 1000).ToString(CultureInfo.CurrentCulture);
}
