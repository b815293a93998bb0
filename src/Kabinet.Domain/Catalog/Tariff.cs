namespace Kabinet.Domain.Catalog;

/// <summary>What a tariff sells.</summary>
public enum ServiceCategory
{
    Internet = 1,
    Tv = 2,
    Bundle = 3,
}

/// <summary>Who may take a tariff.</summary>
public enum Audience
{
    Individual = 1,
    Business = 2,
}

/// <summary>How a monthly fee turns into charges.</summary>
public enum ChargeMode
{
    /// <summary>The fee spread over the days of the month, kopeck-exact.</summary>
    Daily = 1,

    /// <summary>The whole fee on the 1st, prorated when started mid-month.</summary>
    MonthlyInAdvance = 2,
}

/// <summary>A tariff plan: a monthly fee in kopecks and, for internet, a speed.</summary>
public sealed record Tariff(
    long Id,
    string Code,
    string NameRu,
    string NameEn,
    ServiceCategory Category,
    Audience Audience,
    Money.Money MonthlyFee,
    int? DownKbps,
    int? UpKbps,
    ChargeMode ChargeMode,
    bool IsArchived);

/// <summary>Whether an extra service is a monthly subscription or a one-off purchase.</summary>
public enum ExtraServiceKind
{
    Monthly = 1,
    OneOff = 2,
}

/// <summary>An extra service: TV package, static IP, router rental, "Turbo" and so on.</summary>
public sealed record ExtraService(
    long Id,
    string Code,
    string NameRu,
    string NameEn,
    ExtraServiceKind Kind,
    Money.Money Price,
    bool ChargedWhileFrozen);
