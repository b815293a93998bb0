using System.Text.Json.Serialization;
using Kabinet.Domain.Catalog;
using Kabinet.Domain.Ledger;
using Kabinet.Domain.Money;
using Kabinet.Domain.Subscribers;
using Kabinet.Web.Features.Api;
using Kabinet.Web.Features.Auth;
using Kabinet.Web.Features.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kabinet.Web.Features.Dashboard;

/// <summary>The contract and its accounts, as <c>GET /api/v1/me</c> returns them.</summary>
public sealed record MeResponse(string Contract, string Holder, IReadOnlyList<AccountResponse> Accounts);

/// <summary>One account in the API.</summary>
public sealed record AccountResponse(
    long Id,
    string Number,
    string Title,
    Money Balance,
    DateTimeOffset BalanceAt,
    AccountStatus Status,
    Money Threshold,
    TariffResponse? Tariff,
    IReadOnlyList<ServiceResponse> Services,
    ForecastResponse Forecast,
    PromisedPaymentSummary? PromisedPayment,
    PendingTariffChangeSummary? PendingTariffChange,
    FreezeSummary? Freeze,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<OperationResponse>? LastOperations = null);

/// <summary>
/// How long the money lasts (M5), from the charges actually scheduled: days_left and enough_until
/// are null when nothing would ever block the account.
/// </summary>
public sealed record ForecastResponse(
    int? DaysLeft, DateOnly? EnoughUntil, DateOnly? BlockOn, DateOnly? NextChargeOn, Money NextChargeAmount, Money RecommendedPayment);

/// <summary>An open promised payment on the dashboard.</summary>
public sealed record PromisedPaymentSummary(Money Amount, Money Outstanding, DateOnly DueOn);

/// <summary>A tariff change waiting for its day.</summary>
public sealed record PendingTariffChangeSummary(string Name, Money MonthlyFee, DateOnly EffectiveOn);

/// <summary>A planned or running freeze.</summary>
public sealed record FreezeSummary(DateOnly Start, DateOnly End);

/// <summary>A tariff in the API; names in both languages.</summary>
public sealed record TariffResponse(long Id, string Name, string NameRu, string NameEn, Money MonthlyFee, int? DownKbps, int? UpKbps);

/// <summary>An extra service in the API.</summary>
public sealed record ServiceResponse(long Id, string Name, ExtraServiceKind Kind, Money Price);

/// <summary>A history line in the API.</summary>
public sealed record OperationResponse(long Id, TransactionKind Kind, DateTimeOffset At, string Description, Money Amount);

/// <summary>The dashboard's API: the same query as the page.</summary>
public static class MeEndpoints
{
    /// <summary>Maps GET /me and GET /accounts/{id}.</summary>
    public static void MapMe(this RouteGroupBuilder api)
    {
        api.MapGet("/me", GetMeAsync)
            .WithName("GetMe")
            .WithSummary("The logged-in contract and its accounts.")
            .Produces<MeResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        api.MapGet("/accounts/{id:long}", GetAccountAsync)
            .WithName("GetAccount")
            .WithSummary("One account of the logged-in contract with its latest operations; 404 for any other account.")
            .Produces<AccountResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> GetMeAsync(
        HttpContext http, DashboardQuery query, ApiProblems problems, CancellationToken ct)
    {
        var data = await query.LoadAsync(http.User.ContractId(), null, 0, ct);
        if (data is null)
        {
            return problems.NotFound();
        }

        var contract = data.Contract;
        return TypedResults.Ok(new MeResponse(contract.Number, contract.HolderName, contract.Accounts.Select(a => ToResponse(a, null, null)).ToList()));
    }

    private static async Task<Results<Ok<AccountResponse>, ProblemHttpResult>> GetAccountAsync(
        long id, HttpContext http, DashboardQuery query, ApiProblems problems, JournalWording wording, CancellationToken ct)
    {
        var data = await query.LoadAsync(http.User.ContractId(), id, 5, ct);
        if (data?.Selected is not { } account || account.Id != id)
        {
            return problems.NotFound();
        }

        return TypedResults.Ok(ToResponse(account, data.Operations, await wording.ReaderAsync(ct)));
    }

    private static AccountResponse ToResponse(AccountView a, IReadOnlyList<OperationView>? operations, Func<string, string>? words) => new(
        a.Id,
        a.Number,
        a.Title,
        a.Balance,
        a.BalanceAt,
        a.Status,
        a.Threshold,
        a.Tariff is { } t ? new TariffResponse(t.Id, Localization.Texts.Pick(t.NameRu, t.NameEn), t.NameRu, t.NameEn, t.MonthlyFee, t.DownKbps, t.UpKbps) : null,
        a.Services.Select(s => new ServiceResponse(s.Id, Localization.Texts.Pick(s.NameRu, s.NameEn), s.Kind, s.Price)).ToList(),
        new ForecastResponse(
            a.Forecast.DaysLeft, a.Forecast.EnoughUntil, a.Forecast.BlockOn, a.Forecast.NextChargeOn, a.Forecast.NextChargeAmount, a.Forecast.RecommendedPayment),
        a.Promised is { } p ? new PromisedPaymentSummary(p.Amount, p.Outstanding, p.DueOn) : null,
        a.PendingChange is { } c ? new PendingTariffChangeSummary(Localization.Texts.Pick(c.NameRu, c.NameEn), c.MonthlyFee, c.EffectiveOn) : null,
        a.Freeze is { } f ? new FreezeSummary(f.Start, f.End) : null,
        operations?.Select(o => new OperationResponse(o.Id, o.Kind, o.At, words is null ? o.Description : words(o.Description), o.Amount)).ToList());
}
