using System.Globalization;
using System.Text.Json.Serialization;
using Kabinet.Domain.Money;
using Kabinet.Web.Features.Api;
using Kabinet.Web.Features.Auth;
using Kabinet.Web.Features.Localization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kabinet.Web.Features.Autopay;

/// <summary>The body of PUT /api/v1/accounts/{id}/autopay.</summary>
public sealed record AutopayRuleRequest(
    [property: JsonPropertyName("kind")] int? Kind,
    [property: JsonPropertyName("payment_method_id")] long? PaymentMethodId,
    [property: JsonPropertyName("amount")] string? Amount,
    [property: JsonPropertyName("below")] string? Below,
    [property: JsonPropertyName("days_before")] int? DaysBefore,
    [property: JsonPropertyName("day_of_month")] int? DayOfMonth);

/// <summary>A saved card in the API: never more than its last four digits.</summary>
public sealed record PaymentMethodResponse(long Id, string Type, string Last4, string Title, string ConsentText, DateTimeOffset ConsentAt, DateTimeOffset CreatedAt);

/// <summary>The enabled rule; a null amount means the recommended payment.</summary>
public sealed record AutopayRuleResponse(
    long Id, int Kind, long PaymentMethodId, string CardLast4, Money? Amount, bool Recommended, Money? Below, int? DaysBefore, int? DayOfMonth);

/// <summary>One autopayment.</summary>
public sealed record AutopayRunResponse(DateTimeOffset At, string Period, Money Amount, string Status, string? Reason, string? ReasonText, string? PaymentId);

/// <summary>An account's autopay.</summary>
public sealed record AutopayResponse(bool Enabled, AutopayRuleResponse? Rule, IReadOnlyList<PaymentMethodResponse> PaymentMethods, IReadOnlyList<AutopayRunResponse> Recent);

/// <summary>Autopay and saved cards in the API (M8, M34): the same service as the page.</summary>
public static class AutopayEndpoints
{
    /// <summary>Maps the autopay and payment-method endpoints.</summary>
    public static void MapAutopay(this RouteGroupBuilder api)
    {
        api.MapGet("/accounts/{id:long}/autopay", GetAsync)
            .WithName("GetAutopay")
            .WithSummary("The enabled autopay rule (or none), the saved cards and the recent autopayments.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/accounts/{id:long}/autopay", PutAsync)
            .WithName("SetAutopay")
            .WithSummary("Sets and switches on the rule: kind 1 {\"below\": \"100.00\", \"amount\": \"500.00\"}; kind 2 {\"days_before\": 3, \"amount\": null = recommended}; kind 3 {\"day_of_month\": 5, \"amount\": null = recommended}; payment_method_id defaults to the newest saved card.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapDelete("/accounts/{id:long}/autopay", DeleteAsync)
            .WithName("SwitchOffAutopay")
            .WithSummary("Switches autopay off.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/accounts/{id:long}/payment-methods", MethodsAsync)
            .WithName("GetPaymentMethods")
            .WithSummary("The saved cards (last four digits) with the consent given when each was saved.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/accounts/{id:long}/payment-methods/{methodId:long}", UnlinkAsync)
            .WithName("UnlinkPaymentMethod")
            .WithSummary("Unlinks a saved card; a rule that charges it is switched off.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<AutopayResponse>, ProblemHttpResult>> GetAsync(
        long id, HttpContext http, AutopayRules autopay, ApiProblems problems, Texts texts, CancellationToken ct)
    {
        var view = await autopay.LoadAsync(http.User.ContractId(), id, ct);
        return view is null ? problems.NotFound() : TypedResults.Ok(Response(view, texts));
    }

    private static async Task<Results<Ok<AutopayResponse>, ProblemHttpResult>> PutAsync(
        long id, AutopayRuleRequest? request, HttpContext http, AutopayRules autopay, ApiProblems problems, Texts texts, CancellationToken ct)
    {
        var input = new AutopayInput(
            request?.Kind, request?.PaymentMethodId, request?.Amount, request?.Amount is null, request?.Below,
            request?.DaysBefore?.ToString(CultureInfo.InvariantCulture), request?.DayOfMonth?.ToString(CultureInfo.InvariantCulture));
        var saved = await autopay.SaveAsync(http.User.ContractId(), id, input, ct);
        if (!saved.IsSuccess)
        {
            return saved.Error!.Code switch
            {
                "account.not_found" or "autopay.method_not_found" => problems.NotFound(),
                "autopay.no_card" => problems.For(saved.Error, StatusCodes.Status409Conflict),
                _ => problems.For(saved.Error, StatusCodes.Status400BadRequest),
            };
        }

        var view = await autopay.LoadAsync(http.User.ContractId(), id, ct);
        return TypedResults.Ok(Response(view!, texts));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        long id, HttpContext http, AutopayRules autopay, ApiProblems problems, CancellationToken ct) =>
        await autopay.DisableAsync(http.User.ContractId(), id, ct) ? TypedResults.NoContent() : problems.NotFound();

    private static async Task<Results<Ok<IReadOnlyList<PaymentMethodResponse>>, ProblemHttpResult>> MethodsAsync(
        long id, HttpContext http, AutopayRules autopay, ApiProblems problems, CancellationToken ct)
    {
        var view = await autopay.LoadAsync(http.User.ContractId(), id, ct);
        return view is null ? problems.NotFound() : TypedResults.Ok<IReadOnlyList<PaymentMethodResponse>>(view.Cards.Select(Method).ToList());
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> UnlinkAsync(
        long id, long methodId, HttpContext http, AutopayRules autopay, ApiProblems problems, CancellationToken ct) =>
        await autopay.UnlinkAsync(http.User.ContractId(), id, methodId, ct) is null ? problems.NotFound() : TypedResults.NoContent();

    private static AutopayResponse Response(AutopayView view, Texts texts)
    {
        var rule = view.Rule is { } r
            ? new AutopayRuleResponse(
                r.Id, r.Kind, r.PaymentMethodId, view.CardOf(r)?.Last4 ?? "", r.Amount is { } a ? new Money(a) : null, r.Amount is null,
                r.Below is { } b ? new Money(b) : null, r.DaysBefore, r.DayOfMonth)
            : null;
        var runs = view.Runs.Select(run => new AutopayRunResponse(
            run.CreatedAt, run.Period, new Money(run.Amount), RunStatus(run.Status), run.Reason,
            run.Reason is null ? null : texts[AutopayTexts.ReasonKey(run.Reason)], run.PaymentId)).ToList();
        return new AutopayResponse(rule is not null, rule, view.Cards.Select(Method).ToList(), runs);
    }

    private static PaymentMethodResponse Method(SavedCard card) =>
        new(card.Id, card.Kind, card.Last4, card.Masked, card.ConsentText, card.ConsentAt, card.CreatedAt);

    /// <summary>The wire name of a run's status.</summary>
    public static string RunStatus(int status) => status switch
    {
        2 => "succeeded",
        3 => "failed",
        _ => "pending",
    };
}
