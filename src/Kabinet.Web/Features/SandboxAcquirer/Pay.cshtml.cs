using Kabinet.Web.Features.Localization;
using Kabinet.Web.Integrations;
using Kabinet.Web.Integrations.Sandbox;
using Kabinet.Web.Integrations.YooKassa;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kabinet.Web.Features.SandboxAcquirer;

/// <summary>
/// The sandbox acquirer's hosted payment page: the payer types a test card (or confirms an SBP
/// payment), goes through a 3-D Secure step when the card asks for one, and returns to the shop.
/// </summary>
[AllowAnonymous]
public sealed class PayModel(SandboxStore store, SandboxNotifier notifier, SelfAddress self, Texts texts) : PageModel
{
    /// <summary>The payment being paid.</summary>
    public SandboxPayment? Payment { get; private set; }

    /// <summary>"3ds" on the 3-D Secure step.</summary>
    public string? Step { get; private set; }

    /// <summary>A refusal of the typed card.</summary>
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, string? step)
    {
        Payment = await store.FindAsync(id);
        // The code step exists only after a 3-D Secure card was typed; otherwise the card form.
        Step = step == "3ds" && Payment?.Awaiting3ds == true ? step : null;
        return Payment is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, [FromForm] string? card, [FromForm] string? code, [FromForm] string? sbp, [FromForm] string? step)
    {
        Payment = await store.FindAsync(id);
        if (Payment is null)
        {
            return NotFound();
        }

        if (Payment.Status != YkPayment.Pending)
        {
            return Page();
        }

        if (step == "3ds")
        {
            if (!Payment.Awaiting3ds)
            {
                // A code for a payment whose card never asked for one: a real ACS would not know it.
                Error = texts["sandbox.no_3ds"];
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            }

            // The card's last four digits were kept when it was typed.
            return await FinishAsync(code == "123456" ? YkPayment.Succeeded : YkPayment.Canceled, null, code == "123456" ? null : "3d_secure_failed");
        }

        if (Payment.MethodType == "sbp")
        {
            return await FinishAsync(sbp == "ok" ? YkPayment.Succeeded : YkPayment.Canceled, null, sbp == "ok" ? null : "general_decline");
        }

        var digits = SandboxCards.Digits(card);
        var behaviour = SandboxCards.Lookup(card);
        switch (behaviour?.Behaviour)
        {
            case null:
                Error = texts["sandbox.bad_card"];
                return Page();
            case CardBehaviour.ThreeDSecure:
                await store.AwaitThreeDsAsync(Payment.Id, digits[^4..]);
                return Redirect($"/sandbox-acquirer/pay/{id}/3ds");
            case CardBehaviour.Pending:
                return Back();
            case CardBehaviour.Decline:
                return await FinishAsync(YkPayment.Canceled, digits[^4..], behaviour.Value.Reason);
            default:
                return await FinishAsync(YkPayment.Succeeded, digits[^4..], null, SandboxCards.RecurringDecline(digits));
        }
    }

    private async Task<IActionResult> FinishAsync(string status, string? last4, string? reason, string? recurringDecline = null)
    {
        if (await store.FinishAsync(Payment!.Id, status, last4, reason, recurringDecline) is { } done)
        {
            notifier.Notify(done.ToProtocol(SandboxAcquirerEndpoints.HostedPage(self, done.Id)));
        }

        return Back();
    }

    private IActionResult Back() => Payment!.ReturnUrl is { } url ? Redirect(url) : RedirectToPage();
}
