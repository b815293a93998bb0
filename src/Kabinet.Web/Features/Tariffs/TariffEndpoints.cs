using System.Globalization;
using System.Text.Json.Serialization;
using Kabinet.Domain.Billing;
using Kabinet.Domain.Catalog;
using Kabinet.Domain.Common;
using Kabinet.Domain.Money;
using Kabinet.Web.Features.Api;
using Kabinet.Web.Features.Auth;
using Kabinet.Web.Features.Localization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Kabinet.Web.Features.Tariffs;

/// <summary>A tariff in the catalogue.</summary>
public sealed record TariffItem(
    long Id, string Code, string Name, string NameRu, string NameEn, string Description, Money MonthlyFee,
    int? DownKbps, int? UpKbps, ChargeMode ChargeMode, IReadOnlyList<string> ChangeModes);

/// <summary>An account of the caller with its current tariff.</summary>
public sealed record TariffAccountItem(long Id, string Number, string Title, long? TariffId);

/// <summary>GET /api/v1/tariffs: the tariffs the caller may switch to and the caller's accounts.</summary>
public sealed record CatalogueResponse(Audience Audience, IReadOnlyList<TariffItem> Tariffs, IReadOnlyList<TariffAccountItem> Accounts);

/// <summary>A tariff named in a quote or a change.</summary>
public sealed record TariffBrief(long Id, string Name, Money MonthlyFee);

/// <summary>The before/after of a change.</summary>
public sealed record QuoteResponse(
    long AccountId, TariffBrief? Current, TariffBrief Target, string Mode, DateOnly EffectiveOn,
    Money CurrentFee, Money NewFee, Money CurrentDailyToday, Money NewChargeOnEffective,
    Money RestOfMonthCurrent, Money RestOfMonthNew);

/// <summary>A pending change.</summary>
public sealed record PendingChangeResponse(long Id, long AccountId, TariffBrief? From, TariffBrief To, DateOnly EffectiveOn, string Mode, DateTimeOffset CreatedAt);

/// <summary>GET /api/v1/accounts/{id}/tariff-change: the pending change, or null.</summary>
public sealed record PendingEnvelope(PendingChangeResponse? PendingChange);

/// <summary>The body of POST /api/v1/accounts/{id}/tariff-change.</summary>
public sealed record TariffChangeRequest(
    [property: JsonPropertyName("tariff_id")] long? TariffId,
    [property: JsonPropertyName("mode")] string? Mode);

/// <summary>The tariff-change API (M11, M34): the same handler as the pages.</summary>
public static class TariffEndpoints
{
    /// <summary>Registers the handler.</summary>
    public static void AddTariffs(this IServiceCollection services) => services.AddSingleton<TariffChanges>();

    /// <summary>Maps the catalogue and the tariff-change endpoints.</summary>
    public static void MapTariffs(this RouteGroupBuilder api)
    {
        api.MapGet("/tariffs", CatalogueAsync)
            .WithName("GetTariffs")
            .WithSummary("The tariffs available to the caller (individual or business) and the caller's accounts with their tariffs.")
            .Produces<CatalogueResponse>();
        api.MapGet("/accounts/{id:long}/tariff-change/quote", QuoteAsync)
            .WithName("QuoteTariffChange")
            .WithSummary("Before/after of switching to tariff_id, mode tomorrow or next_month; refusals as problems.")
            .Produces<QuoteResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/accounts/{id:long}/tariff-change", ConfirmAsync)
            .WithName("ScheduleTariffChange")
            .WithSummary("Schedules the change; one pending change per account.")
            .Produces<PendingChangeResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/accounts/{id:long}/tariff-change", PendingAsync)
            .WithName("GetPendingTariffChange")
            .WithSummary("The pending change of the account, or null.")
            .Produces<PendingEnvelope>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/accounts/{id:long}/tariff-change", CancelAsync)
            .WithName("CancelTariffChange")
            .WithSummary("Cancels the pending change until it takes effect.")
            .Produces<PendingChangeResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>The tariff id from a query or form string; null when it is not a number.</summary>
    public static long? ParseId(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    internal static TariffBrief Brief(Tariff t) => new(t.Id, Texts.Pick(t.NameRu, t.NameEn), t.MonthlyFee);

    internal static IReadOnlyList<string> ModeNames(TariffChangeModes modes) =>
        new[] { TariffChangeModes.Tomorrow, TariffChangeModes.NextMonth }.Where(m => modes.HasFlag(m)).Select(TariffChanges.ModeName).ToList();

    private static async Task<Ok<CatalogueResponse>> CatalogueAsync(HttpContext http, TariffChanges tariffs, CancellationToken ct)
    {
        var catalogue = await tariffs.CatalogueAsync(http.User.ContractId(), null, ct);
        return TypedResults.Ok(new CatalogueResponse(
            catalogue.Audience,
            catalogue.Offers.Select(o => new TariffItem(
                o.Tariff.Id, o.Tariff.Code, Texts.Pick(o.Tariff.NameRu, o.Tariff.NameEn), o.Tariff.NameRu, o.Tariff.NameEn,
                Texts.Pick(o.DescriptionRu, o.DescriptionEn), o.Tariff.MonthlyFee, o.Tariff.DownKbps, o.Tariff.UpKbps,
                o.Tariff.ChargeMode, ModeNames(o.Modes))).ToList(),
            catalogue.Accounts.Select(a => new TariffAccountItem(a.Id, a.Number, a.Title, a.TariffId)).ToList()));
    }

    private static async Task<Results<Ok<QuoteResponse>, ProblemHttpResult>> QuoteAsync(
        long id, [FromQuery(Name = "tariff_id")] string? tariffId, [FromQuery(Name = "mode")] string? mode,
        HttpContext http, TariffChanges tariffs, ApiProblems problems, CancellationToken ct)
    {
        var result = await tariffs.QuoteAsync(http.User.ContractId(), id, ParseId(tariffId), TariffChanges.ParseMode(mode), ct);
        if (result is not { } quote)
        {
            return problems.NotFound();
        }

        return quote.IsSuccess ? TypedResults.Ok(ToResponse(id, quote.Value)) : problems.For(WithField(quote.Error!), StatusCodes.Status400BadRequest);
    }

    private static async Task<Results<Created<PendingChangeResponse>, ProblemHttpResult>> ConfirmAsync(
        long id, TariffChangeRequest? request, HttpContext http, TariffChanges tariffs, ApiProblems problems, CancellationToken ct)
    {
        var result = await tariffs.ConfirmAsync(http.User.ContractId(), id, request?.TariffId, TariffChanges.ParseMode(request?.Mode), ct);
        if (result is not { } change)
        {
            return problems.NotFound();
        }

        return change.IsSuccess
            ? TypedResults.Created($"/api/v1/accounts/{id}/tariff-change", ToResponse(change.Value))
            : problems.For(WithField(change.Error!), StatusCodes.Status400BadRequest);
    }

    private static async Task<Results<Ok<PendingEnvelope>, ProblemHttpResult>> PendingAsync(
        long id, HttpContext http, TariffChanges tariffs, ApiProblems problems, CancellationToken ct)
    {
        var (found, pending) = await tariffs.PendingAsync(http.User.ContractId(), id, ct);
        return found ? TypedResults.Ok(new PendingEnvelope(pending is null ? null : ToResponse(pending))) : problems.NotFound();
    }

    private static async Task<Results<Ok<PendingChangeResponse>, ProblemHttpResult>> CancelAsync(
        long id, HttpContext http, TariffChanges tariffs, ApiProblems problems, CancellationToken ct)
    {
        var result = await tariffs.CancelAsync(http.User.ContractId(), id, ct);
        if (result is not { } cancelled)
        {
            return problems.NotFound();
        }

        if (cancelled.IsSuccess)
        {
            return TypedResults.Ok(ToResponse(cancelled.Value));
        }

        var status = cancelled.Error!.Code == TariffHandlerErrors.NoPending ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
        return problems.For(cancelled.Error, status);
    }

    // A refusal about the chosen tariff belongs to the tariff_id field in the API.
    private static Error WithField(Error error) =>
        error.Field is null && error.Code is TariffChangeErrors.Same or TariffChangeErrors.Archived or TariffChangeErrors.Audience
            ? error with { Field = "tariff_id" }
            : error;

    private static QuoteResponse ToResponse(long accountId, TariffChangeQuote q) => new(
        accountId, q.Current is null ? null : Brief(q.Current), Brief(q.Target), TariffChanges.ModeName(q.Mode), q.EffectiveOn,
        q.CurrentFee, q.NewFee, q.CurrentDailyToday, q.NewDailyOnEffective, q.RestOfMonthOld, q.RestOfMonthNew);

    private static PendingChangeResponse ToResponse(PendingChange p) => new(
        p.Id, p.AccountId, p.From is null ? null : Brief(p.From), Brief(p.To), p.EffectiveOn, TariffChanges.ModeName(p.Mode), p.CreatedAt);
}
