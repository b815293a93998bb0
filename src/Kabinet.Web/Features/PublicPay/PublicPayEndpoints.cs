using System.Text.Json.Serialization;
using Kabinet.Domain.Common;
using Kabinet.Domain.Money;
using Kabinet.Web.Features.Api;
using Kabinet.Web.Features.Localization;
using Kabinet.Web.Features.Payments;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Kabinet.Web.Features.PublicPay;

/// <summary>The body of POST /api/v1/public/payments: the contract (number, contract_ref or address) and the payment.</summary>
public sealed record PublicPaymentRequest(
    [property: JsonPropertyName("contract")] string? Contract,
    [property: JsonPropertyName("contract_ref")] string? ContractRef,
    [property: JsonPropertyName("city")] string? City,
    [property: JsonPropertyName("street")] string? Street,
    [property: JsonPropertyName("house")] string? House,
    [property: JsonPropertyName("flat")] string? Flat,
    [property: JsonPropertyName("account")] string? Account,
    [property: JsonPropertyName("amount")] string? Amount,
    [property: JsonPropertyName("method")] string? Method,
    [property: JsonPropertyName("receipt_contact")] string? ReceiptContact,
    [property: JsonPropertyName("consent")] bool Consent);

/// <summary>A contract found by address: masked numbers and an opaque reference to pay to, nothing else.</summary>
public sealed record PublicContractItem(string Contract, string ContractRef, IReadOnlyList<string> Accounts);

/// <summary>The contracts at an address.</summary>
public sealed record PublicContractsResponse(IReadOnlyList<PublicContractItem> Contracts);

/// <summary>A started public payment: where to send the payer.</summary>
public sealed record PublicPaymentCreated(string Id, string Status, string? ConfirmationUrl);

/// <summary>A public payment's state: no account, no balance.</summary>
public sealed record PublicPaymentState(string Id, Money Amount, string Status, string? FailureCode, string? FailureReason);

/// <summary>
/// Paying without logging in in the API (M7, M34): anonymous, outside the bearer-protected group,
/// throttled per IP, answering with masked numbers only.
/// </summary>
public static class PublicPayEndpoints
{
    /// <summary>Registers the services, the settings and the throttle.</summary>
    public static void AddPublicPay(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<PublicPayOptions>(configuration.GetSection(PublicPayOptions.Section));
        services.AddSingleton<PublicPayments>();
        services.AddSingleton<PaymentQr>();
        services.AddPublicPayRateLimit();
    }

    private static IResult QrImage(string? contract, string? sum, PaymentQr qr, HttpContext http)
    {
        Money? amount = null;
        if (sum is not null)
        {
            if (!Money.TryParse(sum, out var parsed) || !parsed.IsPositive)
            {
                return Results.NotFound();
            }

            amount = parsed;
        }

        if (!Kabinet.Domain.Subscribers.ContractNumber.TryParse(contract, out var number) || qr.SvgFor(number.Value, amount) is not { } svg)
        {
            return Results.NotFound();
        }

        http.Response.Headers.CacheControl = "public, max-age=86400";
        return Results.Text(svg, "image/svg+xml");
    }

    /// <summary>Maps /api/v1/public: contract lookup by address, payment start and state; and the payment QR image.</summary>
    public static void MapPublicPay(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // The QR carries only the provider's public bank details and the number it is asked for, so
        // it needs no login and reveals nothing; it never changes for the same question.
        app.MapGet(PaymentQr.ImagePath, QrImage).AllowAnonymous().ExcludeFromDescription();
        var api = app.MapGroup("/api/v1/public")
            .AllowAnonymous()
            .DisableAntiforgery()
            .RequireRateLimiting(PublicPayRateLimit.Policy)
            .WithMetadata(new RequestSizeLimitAttribute(ApiSetup.MaxBodyBytes))
            .WithTags("Pay without login");
        api.MapGet("/contracts", FindAsync)
            .WithName("FindPublicContracts")
            .WithSummary("Contracts at an address (city, street, house, flat), as masked numbers with a contract_ref to pay to.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapPost("/payments", CreateAsync)
            .WithName("CreatePublicPayment")
            .WithSummary("Starts a payment without logging in: {\"contract\": \"100000000001\"} (or contract_ref, or the address), \"amount\": \"500.00\", \"receipt_contact\", \"consent\": true; send the payer to confirmation_url.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status502BadGateway);
        api.MapGet("/payments/{id}", GetAsync)
            .WithName("GetPublicPayment")
            .WithSummary("A public payment's state (never the balance).")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<PublicContractsResponse>, ProblemHttpResult>> FindAsync(
        string? city, string? street, string? house, string? flat, PublicPayments payments, ApiProblems problems, CancellationToken ct)
    {
        var found = await payments.FindByAddressAsync(new AddressQuery(city, street, house, flat), ct);
        if (!found.IsSuccess)
        {
            return problems.For(found.Error!, found.Error!.Code == "publicpay.contract_not_found" ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest);
        }

        return TypedResults.Ok(new PublicContractsResponse(
            found.Value.Select(c => new PublicContractItem(c.Masked, payments.Protect(c, typed: false), c.Accounts.Select(a => a.Masked).ToList())).ToList()));
    }

    private static async Task<Results<Created<PublicPaymentCreated>, ProblemHttpResult>> CreateAsync(
        PublicPaymentRequest? request, PublicPayments payments, ApiProblems problems, CancellationToken ct)
    {
        var contract = await ContractOfAsync(request, payments, ct);
        if (!contract.IsSuccess)
        {
            return problems.For(contract.Error!, StatusCodes.Status400BadRequest);
        }

        var started = await payments.StartAsync(
            contract.Value, new PublicPayInput(request!.Account, request.Amount, request.Method, request.ReceiptContact, request.Consent, ConsentChannel.Api), ct);
        if (!started.IsSuccess)
        {
            // The body calls the contact receipt_contact; the shared checks call it contact.
            var error = started.Error! is { Field: "contact" } e ? e with { Field = "receipt_contact" } : started.Error!;
            return problems.For(error, error.Code switch
            {
                "payment.gateway_unavailable" => StatusCodes.Status502BadGateway,
                "payment.gateway_not_configured" => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status400BadRequest,
            });
        }

        var value = started.Value;
        return TypedResults.Created($"/api/v1/public/payments/{value.PublicId}", new PublicPaymentCreated(value.PublicId, Status(value.Status), value.ConfirmationUrl));
    }

    private static async Task<Results<Ok<PublicPaymentState>, ProblemHttpResult>> GetAsync(
        string id, PaymentLookup payments, ApiProblems problems, Texts texts, CancellationToken ct)
    {
        var payment = id.Length <= 64 ? await payments.FindCheckedAsync(id, ct) : null;
        if (payment is null)
        {
            return problems.NotFound();
        }

        return TypedResults.Ok(new PublicPaymentState(
            payment.PublicId, new Money(payment.Amount), Status((PaymentStatus)payment.Status), payment.FailureCode,
            payment.FailureCode is null ? null : texts[PaymentTexts.ReasonKey(payment.FailureCode)]));
    }

    /// <summary>The contract a request names: by number, by a reference from the address search, or by an address with one contract.</summary>
    private static async Task<Result<PublicContract>> ContractOfAsync(PublicPaymentRequest? request, PublicPayments payments, CancellationToken ct)
    {
        if (request is null)
        {
            return new Error("publicpay.contract_missing", "contract");
        }

        if (!string.IsNullOrWhiteSpace(request.Contract))
        {
            return await payments.FindByNumberAsync(request.Contract, ct);
        }

        if (!string.IsNullOrWhiteSpace(request.ContractRef))
        {
            return await payments.UnprotectAsync(request.ContractRef, ct) is { } chosen
                ? chosen.Contract
                : new Error("publicpay.choice_expired", "contract_ref");
        }

        if (new[] { request.City, request.Street, request.House, request.Flat }.Any(v => !string.IsNullOrWhiteSpace(v)))
        {
            var found = await payments.FindByAddressAsync(new AddressQuery(request.City, request.Street, request.House, request.Flat), ct);
            if (!found.IsSuccess)
            {
                return found.Error!;
            }

            return found.Value.Count == 1 ? found.Value[0] : new Error("publicpay.address_ambiguous", "contract_ref");
        }

        return new Error("publicpay.contract_missing", "contract");
    }

    private static string Status(PaymentStatus status) => status switch
    {
        PaymentStatus.Succeeded => "succeeded",
        PaymentStatus.Canceled => "canceled",
        _ => "pending",
    };
}
