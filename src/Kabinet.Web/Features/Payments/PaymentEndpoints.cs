using System.ComponentModel;
using System.Text.Json.Serialization;
using Kabinet.Domain.Money;
using Kabinet.Web.Features.Api;
using Kabinet.Web.Features.Auth;
using Kabinet.Web.Features.Localization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kabinet.Web.Features.Payments;

/// <summary>The body of POST /api/v1/accounts/{id}/payments.</summary>
public sealed record CreatePaymentRequest(
    [property: JsonPropertyName("amount")] string? Amount,
    [property: JsonPropertyName("method")] string? Method,
    [property: JsonPropertyName("receipt_contact")] string? ReceiptContact,
    [property: JsonPropertyName("consent"), Description(CreatePaymentRequest.ConsentDescription)] bool? Consent,
    [property: JsonPropertyName("save_payment_method")] bool SavePaymentMethod,
    [property: JsonPropertyName("return_url"), Description(CreatePaymentRequest.ReturnUrlDescription)] string? ReturnUrl)
{
    /// <summary>What the OpenAPI document says of the return address.</summary>
    public const string ReturnUrlDescription =
        "Where the bank sends the payer back; \"{id}\" stands for the payment's id. It must lie within this Kabinet's public address "
        + "(same scheme, host and port, a path under its path): anything else is refused with 400 payment.return_url_invalid, nothing created. "
        + "Left out: this site's result page, /pay/result/{id}.";

    /// <summary>What the OpenAPI document says of the consent field.</summary>
    public const string ConsentDescription =
        "Acceptance of the public offer (GET /offer, or the operator's document). Left out: the API client accepts the offer on the "
        + "subscriber's behalf, and the payment records that consent (the offer's title and link, given through the API). "
        + "false: refused with 400 payment.consent_required, nothing created.";
}

/// <summary>A started payment: where to send the payer.</summary>
public sealed record CreatedPaymentResponse(string Id, string Status, string? ConfirmationUrl);

/// <summary>A payment's state.</summary>
public sealed record PaymentResponse(
    string Id, long AccountId, Money Amount, string Method, string Status, string? FailureCode, string? FailureReason,
    DateTimeOffset CreatedAt, DateTimeOffset? SucceededAt, long? OperationId);

/// <summary>Online top-up in the API (M6, M34): the same starter and gateway as the cabinet.</summary>
public static class PaymentEndpoints
{
    /// <summary>Maps POST /accounts/{id}/payments and GET /payments/{id}.</summary>
    public static void MapPayments(this RouteGroupBuilder api)
    {
        api.MapPost("/accounts/{id:long}/payments", CreateAsync)
            .WithName("CreatePayment")
            .WithSummary("Starts a top-up: {\"amount\": \"500.00\"} (optional \"method\": \"bank_card\"|\"sbp\", \"consent\", \"receipt_contact\", \"return_url\" within this site's public address); send the payer to confirmation_url.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status502BadGateway);
        api.MapGet("/payments/{id}", GetAsync)
            .WithName("GetPayment")
            .WithSummary("A payment's state, refreshed from the gateway while pending.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Created<CreatedPaymentResponse>, ProblemHttpResult>> CreateAsync(
        long id, CreatePaymentRequest? request, HttpContext http, PaymentStarter starter, ApiProblems problems, CancellationToken ct)
    {
        var input = new TopUpInput(request?.Amount, request?.Method, request?.ReceiptContact, request?.Consent, request?.SavePaymentMethod ?? false, ConsentChannel.Api);
        var started = await starter.StartAsync(http.User.ContractId(), id, input, PaymentSource.Api, string.IsNullOrEmpty(request?.ReturnUrl) ? null : request.ReturnUrl, ct);
        if (!started.IsSuccess)
        {
            return started.Error!.Code switch
            {
                "account.not_found" => problems.NotFound(),
                "payment.gateway_unavailable" => problems.For(started.Error, StatusCodes.Status502BadGateway),
                "payment.gateway_not_configured" => problems.For(started.Error, StatusCodes.Status503ServiceUnavailable),
                _ => problems.For(started.Error, StatusCodes.Status400BadRequest),
            };
        }

        var value = started.Value;
        return TypedResults.Created($"/api/v1/payments/{value.PublicId}", new CreatedPaymentResponse(value.PublicId, Status(value.Status), value.ConfirmationUrl));
    }

    private static async Task<Results<Ok<PaymentResponse>, ProblemHttpResult>> GetAsync(
        string id, HttpContext http, OnlinePayments payments, PaymentLookup lookup, ApiProblems problems, Texts texts, CancellationToken ct)
    {
        // Someone else's payment is not found, and is not checked with the gateway either.
        var payment = await payments.FindAsync(id, ct);
        if (payment is null || payment.ContractId != http.User.ContractId())
        {
            return problems.NotFound();
        }

        payment = await lookup.CheckedAsync(payment, ct);
        return TypedResults.Ok(new PaymentResponse(
            payment.PublicId, payment.AccountId, new Money(payment.Amount), payment.Method == (int)PaymentMethod.Sbp ? "sbp" : "bank_card",
            Status((PaymentStatus)payment.Status), payment.FailureCode,
            payment.FailureCode is null ? null : texts[PaymentTexts.ReasonKey(payment.FailureCode)],
            payment.CreatedAt, payment.SucceededAt, payment.LedgerTransactionId));
    }

    private static string Status(PaymentStatus status) => status switch
    {
        PaymentStatus.Succeeded => "succeeded",
        PaymentStatus.Canceled => "canceled",
        _ => "pending",
    };
}
