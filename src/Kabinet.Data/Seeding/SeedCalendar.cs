using System.Globalization;

namespace Kabinet.Data.Seeding;

/// <summary>
/// The days and instants every seeded subscriber shares: the two charged days before today (UTC),
/// charged a few minutes after their midnight, and the moment the cached balances are stamped with.
/// </summary>
internal sealed class SeedCalendar
{
    public const string PaymentDescription = "Оплата";

    public SeedCalendar(DateTimeOffset now)
    {
        Now = now.ToUniversalTime();
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        ChargeDay0 = today.AddDays(-2);
        ChargeDay1 = today.AddDays(-1);
        ChargeAt0 = At(ChargeDay0).AddMinutes(5);
        ChargeAt1 = At(ChargeDay1).AddMinutes(5);
        PaymentDay = At(ChargeDay0.AddDays(-1));
        EarliestCreation = Now.AddYears(-3);
        var ru = CultureInfo.GetCultureInfo("ru-RU");
        ChargeDescription0 = "Абонентская плата за " + ChargeDay0.ToString("dd.MM.yyyy", ru);
        ChargeDescription1 = "Абонентская плата за " + ChargeDay1.ToString("dd.MM.yyyy", ru);
    }

    public DateTimeOffset Now { get; }

    public DateOnly ChargeDay0 { get; }

    public DateOnly ChargeDay1 { get; }

    public DateTimeOffset ChargeAt0 { get; }

    public DateTimeOffset ChargeAt1 { get; }

    /// <summary>Midnight of the day the opening payments arrive, the day before the first charge.</summary>
    public DateTimeOffset PaymentDay { get; }

    public DateTimeOffset EarliestCreation { get; }

    public string ChargeDescription0 { get; }

    public string ChargeDescription1 { get; }

    private static DateTimeOffset At(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
