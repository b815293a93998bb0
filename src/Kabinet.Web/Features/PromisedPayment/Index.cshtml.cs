using Kabinet.Web.Features.Auth;
using Kabinet.Web.Features.Shared;
using Kabinet.Web.Features.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kabinet.Web.Features.PromisedPayment;

/// <summary>The promised payment page (M9).</summary>
[Authorize(Policy = SubscriberClaims.CabinetPolicy)]
public sealed class IndexModel(PromisedPayments promised, AccountChoice accounts, Texts texts) : PageModel
{
    public PromisedPaymentView? View { get; private set; }

    public AccountSwitcherModel? Accounts { get; private set; }

    public OpenPromisedPayment? Taken { get; private set; }

    public string? Amount { get; private set; }

    public string? AmountError { get; private set; }

    public string? FormError { get; private set; }

    /// <summary>Why the posted account was refused.</summary>
    public string? AccountError { get; private set; }

    public Task<IActionResult> OnGetAsync(long? account, CancellationToken ct) => ShowAsync(account, ct);

    public async Task<IActionResult> OnPostAsync([FromForm] long? account, [FromForm] string? amount, CancellationToken ct)
    {
        var chosen = await accounts.PostedAsync(User.ContractId(), account, "/promised-payment", ct);
        if (!chosen.IsSuccess)
        {
            (Amount, AccountError) = (amount, texts.Error(chosen.Error!));
            return await ShowAsync(null, ct);
        }

        var result = await promised.TakeAsync(User.ContractId(), chosen.Value.Selected, amount, ct);
        if (result.IsSuccess)
        {
            Taken = result.Value;
        }
        else if (result.Error!.Field == "amount")
        {
            (Amount, AmountError) = (amount, texts.Error(result.Error));
        }
        else
        {
            FormError = texts.Error(result.Error);
        }

        return await ShowAsync(chosen.Value.Selected, ct);
    }

    private async Task<IActionResult> ShowAsync(long? account, CancellationToken ct)
    {
        Accounts = await accounts.ChooseAsync(User.ContractId(), account, "/promised-payment", ct);
        if (Accounts is null)
        {
            return LocalRedirect("/");
        }

        View = await promised.LoadAsync(User.ContractId(), Accounts.Selected, ct);
        return View is null ? LocalRedirect("/") : Page();
    }
}
