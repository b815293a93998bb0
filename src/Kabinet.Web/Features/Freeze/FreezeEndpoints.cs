using System.Text.Json.Serialization;
using Kabinet.Domain.Billing;
using Kabinet.Domain.Common;
using Kabinet.Domain.Money;
using Kabinet.Web.Features.Api;
using Kabinet.Web.Features.Auth;
using Kabinet.Web.Features.Localization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kabinet.Web.Features.Freeze;

/// <summary>The operator's freeze rules in the API.</summary>
public sealed record FreezeRulesResponse(int MinDays, int MaxDays, int DaysPerYear, int FreeDaysPerYear, Money DailyFee, int MaxDaysAhead);

/// <summary>An open freeze in the API; status "planned" or "active".</summary>
public sealed record FreezeItem(long Id, DateOnly Start, DateOnly End, DateOnly PaidFrom, Money DailyFee, Money Fee, string Status);

/// <summary>GET /api/v1/accounts/{id}/freeze.</summary>
public sealed record FreezeResponse(long AccountId, FreezeRulesResponse Rules, int Year, int UsedDays, int DaysLeft, int FreeDaysLeft, FreezeItem? Current);

/// <summary>The price of a freeze.</summary>
public sealed record FreezeQuoteResponse(DateOnly Start, DateOnly End, int Days, int FreeDays, int PaidDays, Money DailyFee, Money Fee);

/// <summary>DELETE /api/v1/accounts/{id}/freeze: "cancelled" or "ended" (then ends_on is the last frozen day).</summary>
public sealed record FreezeEndedResponse(long Id, string Outcome, DateOnly Start, DateOnly? EndsOn);

/// <summary>The body of the freeze quote and booking: days as "YYYY-MM-DD".</summary>
public sealed record FreezeRequest(
    [property: JsonPropertyName("start")] string? Start,
    [property: JsonPropertyName("end")] string? End);

/// <summary>The freeze API (M13, M34): the same handler as the page.</summary>
public static class FreezeEndpoints
{
    /// <summary>Registers the handler.</summary>
    public static void AddFreeze(this IServiceCollection services) => services.AddSingleton<Freezes>();

    /// <summary>Maps the freeze endpoints.</summary>
    public static void MapFreeze(this RouteGroupBuilder api)
    {
        api.MapGet("/accounts/{id:long}/freeze", GetAsync)
            .WithName("GetFreeze")
            .WithSummary("The operator's freeze rules, the days used this year and the booked or running freeze.")
            .Produces<FreezeResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/accounts/{id:long}/freeze/quote", QuoteAsync)
            .WithName("QuoteFreeze")
            .WithSummary("Days, free days, paid days and the fee of a freeze from start to end (both included).")
            .Produces<FreezeQuoteResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/accounts/{id:long}/freeze", BookAsync)
            .WithName("BookFreeze")
            .WithSummary("Books a freeze; one open freeze per account.")
            .Produces<FreezeItem>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/accounts/{id:long}/freeze", EndAsync)
            .WithName("EndFreeze")
            .WithSummary("Cancels a booked freeze or ends a running one yesterday; the account resumes now.")
            .Produces<FreezeEndedResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    internal static FreezeItem ToItem(FreezeView f) =>
        new(f.Id, f.Start, f.End, f.PaidFrom, f.DailyFee, f.Fee, f.Started ? "active" : "planned");

    private static async Task<Results<Ok<FreezeResponse>, ProblemHttpResult>> GetAsync(
        long id, HttpContext http, Freezes freezes, ApiProblems problems, CancellationToken ct)
    {
        var o = await freezes.OverviewAsync(http.User.ContractId(), id, ct);
        if (o.Selected?.Id != id)
        {
            return problems.NotFound();
        }

        var r = o.Rules;
        return TypedResults.Ok(new FreezeResponse(
            id, new FreezeRulesResponse(r.MinDays, r.MaxDays, r.DaysPerYear, r.FreeDaysPerYear, r.DailyFee, r.MaxDaysAhead),
            o.Year, o.UsedDays, o.DaysLeft, o.FreeDaysLeft, o.Current is null ? null : ToItem(o.Current)));
    }

    private static async Task<Results<Ok<FreezeQuoteResponse>, ProblemHttpResult>> QuoteAsync(
        long id, FreezeRequest? request, HttpContext http, Freezes freezes, ApiProblems problems, Texts texts, CancellationToken ct)
    {
        var result = await freezes.QuoteAsync(http.User.ContractId(), id, request?.Start, request?.End, ct);
        if (result is not { } quote)
        {
            return problems.NotFound();
        }

        if (!quote.IsSuccess)
        {
            return ApiProblems.For(quote.Error!, StatusCodes.Status400BadRequest, texts.Error(quote.Error!));
        }

        var q = quote.Value;
        return TypedResults.Ok(new FreezeQuoteResponse(q.Start, q.End, q.Days, q.FreeDays, q.PaidDays, q.DailyFee, q.Fee));
    }

    private static async Task<Results<Created<FreezeItem>, ProblemHttpResult>> BookAsync(
        long id, FreezeRequest? request, HttpContext http, Freezes freezes, ApiProblems problems, Texts texts, CancellationToken ct)
    {
        var result = await freezes.ConfirmAsync(http.User.ContractId(), id, request?.Start, request?.End, ct);
        if (result is not { } booked)
        {
            return problems.NotFound();
        }

        return booked.IsSuccess
            ? TypedResults.Created($"/api/v1/accounts/{id}/freeze", ToItem(booked.Value))
            : ApiProblems.For(booked.Error!, StatusCodes.Status400BadRequest, texts.Error(booked.Error!));
    }

    private static async Task<Results<Ok<FreezeEndedResponse>, ProblemHttpResult>> EndAsync(
        long id, HttpContext http, Freezes freezes, ApiProblems problems, Texts texts, CancellationToken ct)
    {
        var result = await freezes.EndAsync(http.User.ContractId(), id, ct);
        if (result is not { } ended)
        {
            return problems.NotFound();
        }

        if (!ended.IsSuccess)
        {
            return ApiProblems.For(ended.Error!, StatusCodes.Status404NotFound, texts.Error(ended.Error!));
        }

        var e = ended.Value;
        return TypedResults.Ok(new FreezeEndedResponse(e.Id, e.Outcome, e.Start, e.EndsOn));
    }
}
