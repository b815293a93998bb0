using System.Globalization;

namespace Kabinet.Domain.Ledger;

/// <summary>
/// The idempotency key of a charge: one per account, item and billing day, so a day is charged once
/// whoever charges it (the billing run, a service switched on mid-month, a catch-up after downtime).
/// The day comes first ("charge:2026-11-23:1234:tariff"): a billing day's keys are then neighbours
/// in the key index, so charging a day adds to one end of it instead of touching every page of a
/// journal that holds every earlier day (decision 0009). The billing run's SQL builds the same text.
/// </summary>
public static class ChargeKey
{
    /// <summary>The item part for the account's tariff.</summary>
    public const string Tariff = "tariff";

    /// <summary>The item part for an extra service.</summary>
    public static string Service(long serviceId) => string.Create(CultureInfo.InvariantCulture, $"service:{serviceId}");

    /// <summary>The key of the charge of <paramref name="item"/> to an account for a billing day.</summary>
    public static string For(DateOnly day, long accountId, string item) =>
        string.Create(CultureInfo.InvariantCulture, $"charge:{day:yyyy-MM-dd}:{accountId}:{item}");
}
