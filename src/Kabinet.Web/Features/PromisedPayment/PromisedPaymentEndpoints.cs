using System.Text.Json.Serialization;
using Kabinet.Domain.Money;
using Kabinet.Web.Features.Api;
using Kabinet.Web.Features.Auth;
using Kabinet.Web.Features.Localization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kabinet.Web.Features.PromisedPayment;

/// <summary>The body of POST /api/v1/accounts/{id}/promised-payment.</summary>
public sealed record PromisedPaymentRequest([property: JsonPropertyName("amount")] string? Amount);

/// <summary>An account's promised-payment state in the API.</summary>
public sealed record PromisedPaymentResponse(
    Money Limit, int TermDays, bool Available, string? UnavailableCode, string? UnavailableReason, PromisedPaymentOpenResponse? Open);

/// <summary>An open promised payment in the API.</summary>
public sealed record PromisedPaymentOpenResponse(long Id, Money Amount, Money Outstanding, DateOnly TakenOn, DateOnly DueOn);

/// <summary>The promised payment's API: the same service as the page.</summary>
public static class PromisedPaymentEndpoints
{
    /// <summary>Maps GET and POST /accounts/{id}/promised-payment.</summary>
    public static void MapPromisedPayment(this RouteGroupBuilder api)
    {
        api.MapGet("/accounts/{id:long}/promised-payment", GetAsync)
            .WithName("GetPromisedPayment")
            .WithSummary("The rules, whether a promised payment can be taken now and why not, and the open one.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/accounts/{id:long}/promised-payment", TakeAsync)
            .WithName("TakePromisedPayment")
            .WithSummary("Takes a promised payment of {\"amount\": \"500.00\"}; the account is unblocked at once.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Results<Ok<PromisedPaymentResponse>, ProblemHttpResult>> GetAsync(
        long id, HttpContext http, PromisedPayments promised, ApiProblems problems, Texts texts, CancellationToken ct)
    {
        var view = await promised.LoadAsync(http.User.ContractId(), id, ct);
        if (view is null)
        {
            return problems.NotFound();
        }

        return TypedResults.Ok(new PromisedPaymentResponse(
            view.Limit, view.Rules.TermDays, view.Refusal is null && view.Open is null, view.Refusal?.Code,
            view.Refusal is null ? null : texts.Error(view.Refusal), Open(view.Open)));
    }

    private static async Task<Results<Created<PromisedPaymentOpenResponse>, ProblemHttpResult>> TakeAsync(
        long id, PromisedPaymentRequest? request, HttpContext http, PromisedPayments promised, ApiProblems problems, Texts texts, CancellationToken ct)
    {
        var result = await promised.TakeAsync(http.User.ContractId(), id, request?.Amount, ct);
        if (!result.IsSuccess)
        {
            return result.Error!.Code == "account.not_found"
                ? problems.NotFound()
                : ApiProblems.For(
                    result.Error,
                    result.Error.Field is null ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest,
                    texts.Error(result.Error));
        }

        return TypedResults.Created($"/api/v1/accounts/{id}/promised-payment", Open(result.Value));
    }

    private static PromisedPaymentOpenResponse? Open(OpenPromisedPayment? open) =>
        open is null ? null : new PromisedPaymentOpenResponse(open.Id, open.Amount, open.Outstanding, open.TakenOn, open.DueOn);
}
