using System.Text.Json.Serialization;
using Kabinet.Domain.Money;

namespace Kabinet.Web.Integrations.YooKassa;

// The YooKassa API v3 wire format (https://yookassa.ru/developers/api), the subset Kabinet uses.
// The sandbox acquirer speaks the same records, so one adapter talks to both.

/// <summary>An amount: {"value": "100.00", "currency": "RUB"}.</summary>
public sealed record YkAmount(Money Value, string Currency = "RUB");

/// <summary>How the payer confirms: a redirect to the hosted page and back.</summary>
public sealed record YkConfirmation(
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ReturnUrl = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ConfirmationUrl = null);

/// <summary>The payment method asked for: "bank_card" or "sbp".</summary>
public sealed record YkPaymentMethodData(string Type);

/// <summary>The 54-FZ receipt: who gets it and what was sold.</summary>
public sealed record YkReceipt(YkCustomer Customer, IReadOnlyList<YkReceiptItem> Items);

/// <summary>The receipt's recipient: an e-mail or a phone (digits, 7XXXXXXXXXX).</summary>
public sealed record YkCustomer(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Email = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Phone = null);

/// <summary>A receipt line.</summary>
public sealed record YkReceiptItem(
    string Description, string Quantity, YkAmount Amount, int VatCode, string PaymentMode = "full_payment", string PaymentSubject = "service");

/// <summary>POST /payments.</summary>
public sealed record YkCreatePayment(
    YkAmount Amount,
    bool Capture,
    string Description,
    IReadOnlyDictionary<string, string> Metadata,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] YkConfirmation? Confirmation = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] YkPaymentMethodData? PaymentMethodData = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PaymentMethodId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool SavePaymentMethod = false,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] YkReceipt? Receipt = null);

/// <summary>The card behind a payment method.</summary>
public sealed record YkCard(string? Last4, string? CardType);

/// <summary>The method a payment was made with; "saved" when it can be charged again.</summary>
public sealed record YkPaymentMethod(string Type, string Id, bool Saved, string? Title, YkCard? Card);

/// <summary>Why a payment was cancelled: who and the reason code.</summary>
public sealed record YkCancellation(string Party, string Reason);

/// <summary>A payment as the gateway reports it.</summary>
public sealed record YkPayment(
    string Id,
    string Status,
    bool Paid,
    YkAmount Amount,
    DateTimeOffset CreatedAt,
    string? Description,
    IReadOnlyDictionary<string, string>? Metadata,
    YkConfirmation? Confirmation,
    YkPaymentMethod? PaymentMethod,
    YkCancellation? CancellationDetails,
    bool Test,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] YkAmount? RefundedAmount = null)
{
    /// <summary>The status values of the protocol.</summary>
    public const string Pending = "pending";

    /// <summary>Authorised, waiting for capture (a two-stage payment; Kabinet's own payments capture at once).</summary>
    public const string WaitingForCapture = "waiting_for_capture";

    /// <summary>Money taken.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>Failed or cancelled; see <see cref="CancellationDetails"/>.</summary>
    public const string Canceled = "canceled";
}

/// <summary>POST /payments/{id}/capture: all that was authorised, or the smaller amount given.</summary>
public sealed record YkCapture([property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] YkAmount? Amount = null);

/// <summary>POST /refunds.</summary>
public sealed record YkCreateRefund(string PaymentId, YkAmount Amount, string? Description);

/// <summary>A refund.</summary>
public sealed record YkRefund(string Id, string PaymentId, string Status, YkAmount Amount, DateTimeOffset CreatedAt);

/// <summary>An error body.</summary>
public sealed record YkError(string Type, string? Id, string Code, string? Description, string? Parameter);
