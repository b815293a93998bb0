using Kabinet.Domain.Billing;
using Kabinet.Domain.Catalog;
using Kabinet.Domain.Ledger;
using Kabinet.Domain.Money;
using Kabinet.Domain.Subscribers;

namespace Kabinet.Web.Features.Dashboard;

/// <summary>A contract as its holder sees it on the dashboard.</summary>
public sealed record ContractView(long ContractId, string Number, string HolderName, IReadOnlyList<AccountView> Accounts);

/// <summary>What one dashboard read returns: the contract, the account shown and its latest operations.</summary>
public sealed record DashboardData(ContractView Contract, AccountView? Selected, IReadOnlyList<OperationView> Operations);

/// <summary>One account ("лицевой счёт") with its balance and what it pays for.</summary>
public sealed record AccountView(
    long Id,
    string Number,
    string Title,
    Money Balance,
    DateTimeOffset BalanceAt,
    AccountStatus Status,
    Money Threshold,
    TariffView? Tariff,
    IReadOnlyList<ServiceView> Services,
    PendingChangeView? PendingChange,
    FreezeView? Freeze,
    PromisedView? Promised,
    Forecast Forecast);

/// <summary>The tariff of an account.</summary>
public sealed record TariffView(long Id, string NameRu, string NameEn, Money MonthlyFee, int? DownKbps, int? UpKbps, ChargeMode Mode, DateOnly Since);

/// <summary>An extra service switched on for an account.</summary>
public sealed record ServiceView(
    long Id, string NameRu, string NameEn, ExtraServiceKind Kind, Money Price, ChargeMode Mode, DateOnly ActiveFrom, DateOnly? ActiveTo, bool ChargedWhileFrozen);

/// <summary>A tariff change waiting for its day.</summary>
public sealed record PendingChangeView(string NameRu, string NameEn, Money MonthlyFee, ChargeMode Mode, DateOnly EffectiveOn);

/// <summary>A planned or running freeze.</summary>
public sealed record FreezeView(DateOnly Start, DateOnly End, DateOnly PaidFrom, Money DailyFee);

/// <summary>An unpaid promised payment.</summary>
public sealed record PromisedView(Money Amount, Money Outstanding, DateOnly DueOn);

/// <summary>A line of an account's history.</summary>
public sealed record OperationView(long Id, TransactionKind Kind, DateTimeOffset At, string Description, Money Amount);
