using Kabinet.Domain.Catalog;
using Kabinet.Domain.Common;
using Kabinet.Domain.Money;
using Kabinet.Web.Features.Api;
using Kabinet.Web.Features.Auth;
using Kabinet.Web.Features.Localization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Kabinet.Web.Features.Services;

/// <summary>An extra service for one account in the API.</summary>
public sealed record ServiceItem(
    long Id, string Code, string Name, ExtraServiceKind Kind, ChargeMode ChargeMode, Money Price, bool IsOn,
    DateOnly? OffFrom, DateTimeOffset? ExpiresAt, Money ChargeNow, Money RestOfMonth);

/// <summary>GET /api/v1/accounts/{id}/services.</summary>
public sealed record ServicesResponse(long AccountId, DateOnly Today, IReadOnlyList<ServiceItem> Services);

/// <summary>What switching on, off or buying did.</summary>
public sealed record ServiceOutcomeResponse(
    long AccountId, long ServiceId, string Code, string Action, Money Charged, DateOnly? ActiveFrom, DateOnly? OffFrom,
    DateTimeOffset? ExpiresAt, Money Balance, bool Replayed);

/// <summary>The extra-services API (M12, M34): the same handler as the page.</summary>
public static class ServiceEndpoints
{
    /// <summary>Registers the handler.</summary>
    public static void AddExtraServices(this IServiceCollection services) => services.AddSingleton<ExtraServices>();

    /// <summary>Maps the services endpoints.</summary>
    public static void MapExtraServices(this RouteGroupBuilder api)
    {
        api.MapGet("/accounts/{id:long}/services", ListAsync)
            .WithName("GetAccountServices")
            .WithSummary("Extra services for the account: price, whether on, and what switching on costs now and to the end of the month.")
            .Produces<ServicesResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/accounts/{id:long}/services/{serviceId:long}", SwitchOnAsync)
            .WithName("SwitchServiceOn")
            .WithSummary("Switches a monthly service on from today (today's part charged now) or buys a one-off one; an Idempotency-Key header makes a repeat a replay.")
            .Produces<ServiceOutcomeResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/accounts/{id:long}/services/{serviceId:long}", SwitchOffAsync)
            .WithName("SwitchServiceOff")
            .WithSummary("Switches a monthly service off from tomorrow (today is paid).")
            .Produces<ServiceOutcomeResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>A refusal as a problem, amounts in its words shown as money.</summary>
    internal static ProblemHttpResult Problem(Texts texts, Error error, int status) =>
        ApiProblems.For(error, status, texts.Error(error));

    private static async Task<Results<Ok<ServicesResponse>, ProblemHttpResult>> ListAsync(
        long id, HttpContext http, ExtraServices services, ApiProblems problems, CancellationToken ct)
    {
        var list = await services.ListAsync(http.User.ContractId(), id, ct);
        if (list.Selected?.Id != id)
        {
            return problems.NotFound();
        }

        return TypedResults.Ok(new ServicesResponse(id, list.Today, list.Services.Select(s => new ServiceItem(
            s.Service.Id, s.Service.Code, Texts.Pick(s.Service.NameRu, s.Service.NameEn), s.Service.Kind, s.ChargeMode, s.Service.Price,
            s.IsOn, s.OffFrom, s.ExpiresAt, s.ChargeNow, s.RestOfMonth)).ToList()));
    }

    private static async Task<Results<Ok<ServiceOutcomeResponse>, ProblemHttpResult>> SwitchOnAsync(
        long id, long serviceId, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        HttpContext http, ExtraServices services, ApiProblems problems, Texts texts, CancellationToken ct) =>
        Answer(await services.SwitchOnAsync(http.User.ContractId(), id, serviceId, idempotencyKey, ct), problems, texts);

    private static async Task<Results<Ok<ServiceOutcomeResponse>, ProblemHttpResult>> SwitchOffAsync(
        long id, long serviceId, HttpContext http, ExtraServices services, ApiProblems problems, Texts texts, CancellationToken ct) =>
        Answer(await services.SwitchOffAsync(http.User.ContractId(), id, serviceId, ct), problems, texts);

    private static Results<Ok<ServiceOutcomeResponse>, ProblemHttpResult> Answer(Result<ServiceOutcome>? result, ApiProblems problems, Texts texts)
    {
        if (result is not { } outcome)
        {
            return problems.NotFound();
        }

        if (!outcome.IsSuccess)
        {
            var status = outcome.Error!.Code == ServiceErrors.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
            return Problem(texts, outcome.Error, status);
        }

        var o = outcome.Value;
        return TypedResults.Ok(new ServiceOutcomeResponse(
            o.AccountId, o.Service.Id, o.Service.Code, o.Action, o.Charged, o.ActiveFrom, o.OffFrom, o.ExpiresAt, o.Balance, o.Replayed));
    }
}
