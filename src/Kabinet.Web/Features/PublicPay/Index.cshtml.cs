using System.Globalization;
using Kabinet.Domain.Money;
using Kabinet.Domain.Common;
using Kabinet.Web.Features.Localization;
using Kabinet.Web.Features.Payments;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.PublicPay;

/// <summary>The steps of the public payment page.</summary>
public enum PublicPayStep
{
    /// <summary>Find the contract by number or address.</summary>
    Find = 1,

    /// <summary>Several contracts at the address: pick one by its masked number.</summary>
    Choose = 2,

    /// <summary>Amount, receipt contact, consent; the QR code when the number was typed.</summary>
    Pay = 3,
}

/// <summary>
/// Pay without logging in (M7): find the contract, then pay through the same gateway as the
/// cabinet. The chosen contract travels between the steps as an opaque reference, so the page never
/// holds a number the payer did not type; no name, title or balance is ever shown.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(PublicPayRateLimit.Policy)]
public sealed class IndexModel(PublicPayments payments, PaymentQr qr, IOptions<PaymentOptions> limits, Texts texts) : PageModel
{
    public PublicPayStep Step { get; private set; } = PublicPayStep.Find;

    public string? Contract { get; private set; }

    public string? City { get; private set; }

    public string? Street { get; private set; }

    public string? House { get; private set; }

    public string? Flat { get; private set; }

    /// <summary>Contracts at the address: masked number and reference.</summary>
    public IReadOnlyList<(string Masked, string Reference)> Candidates { get; private set; } = [];

    public PublicContract? Chosen { get; private set; }

    public string? Reference { get; private set; }

    /// <summary>The payment QR code; only when the payer typed the contract number.</summary>
    public PaymentQrView? Qr { get; private set; }

    /// <summary>True when the contract was found by address (so no QR code with its full number).</summary>
    public bool FoundByAddress { get; private set; }

    public string? Account { get; private set; }

    public string? Amount { get; private set; }

    public string? Method { get; private set; }

    public string? PayerContact { get; private set; }

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public string? FormError { get; private set; }

    public Money Min => limits.Value.Min;

    public Money Max => limits.Value.Max;

    /// <summary>
    /// Opens at the payment step when a reference is given (the captive page links here with the
    /// contract already found and the amount that lifts the block); otherwise the search.
    /// </summary>
    public async Task<IActionResult> OnGetAsync([FromQuery] string? reference, [FromQuery] string? amount, CancellationToken ct)
    {
        if (reference is not null && await payments.UnprotectAsync(reference, ct) is { } chosen)
        {
            Amount = amount;
            ShowPayStep(chosen.Contract, chosen.Typed);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostContractAsync([FromForm] string? contract, CancellationToken ct)
    {
        Contract = contract;
        var found = await payments.FindByNumberAsync(contract, ct);
        if (!found.IsSuccess)
        {
            Show(found.Error!);
            return Page();
        }

        ShowPayStep(found.Value, typed: true);
        return Page();
    }

    public async Task<IActionResult> OnPostAddressAsync(
        [FromForm] string? city, [FromForm] string? street, [FromForm] string? house, [FromForm] string? flat, CancellationToken ct)
    {
        (City, Street, House, Flat) = (city, street, house, flat);
        var found = await payments.FindByAddressAsync(new AddressQuery(city, street, house, flat), ct);
        if (!found.IsSuccess)
        {
            Show(found.Error!);
            return Page();
        }

        if (found.Value.Count == 1)
        {
            ShowPayStep(found.Value[0], typed: false);
            return Page();
        }

        Step = PublicPayStep.Choose;
        Candidates = found.Value.Select(c => (c.Masked, payments.Protect(c, typed: false))).ToList();
        return Page();
    }

    public async Task<IActionResult> OnPostChooseAsync([FromForm] string? reference, CancellationToken ct)
    {
        if (await payments.UnprotectAsync(reference, ct) is not { } chosen)
        {
            FormError = texts.Error(new Error("publicpay.choice_expired"));
            return Page();
        }

        ShowPayStep(chosen.Contract, chosen.Typed);
        return Page();
    }

    public async Task<IActionResult> OnPostPayAsync(
        [FromForm] string? reference, [FromForm] string? account, [FromForm] string? amount, [FromForm] string? method,
        [FromForm] string? contact, [FromForm] bool consent, [FromForm] string? language, CancellationToken ct)
    {
        if (await payments.UnprotectAsync(reference, ct) is not { } chosen)
        {
            FormError = texts.Error(new Error("publicpay.choice_expired"));
            return Page();
        }

        (Account, Amount, Method, PayerContact) = (account, amount, method, contact);
        ShowPayStep(chosen.Contract, chosen.Typed);
        var started = await payments.StartAsync(chosen.Contract, new PublicPayInput(account, amount, method, contact, consent, Language: language), ct);
        if (started.IsSuccess)
        {
            return started.Value.ConfirmationUrl is { } url ? Redirect(url) : LocalRedirect("/pay/result/" + started.Value.PublicId);
        }

        Show(started.Error!);
        return Page();
    }

    private void ShowPayStep(PublicContract contract, bool typed)
    {
        Step = PublicPayStep.Pay;
        Chosen = contract;
        Reference = payments.Protect(contract, typed);
        FoundByAddress = !typed;
        Account ??= contract.Accounts[0].Masked;
        // The payer typed the number, so a code carrying it tells them nothing new.
        Qr = typed ? qr.For(contract.Number) : null;
    }

    private void Show(Error error)
    {
        if (error.Field is { } field)
        {
            Errors[field] = texts.Error(error);
        }
        else
        {
            FormError = texts.Error(error);
        }
    }
}
