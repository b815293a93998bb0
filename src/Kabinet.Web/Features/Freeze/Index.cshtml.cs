using Kabinet.Domain.Billing;
using Kabinet.Domain.Common;
using Kabinet.Web.Features.Auth;
using Kabinet.Web.Features.Localization;
using Kabinet.Web.Features.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kabinet.Web.Features.Freeze;

/// <summary>Voluntary freeze (M13): rules, use, dates with a quote before confirming, ending early.</summary>
[Authorize(Policy = SubscriberClaims.CabinetPolicy)]
public sealed class IndexModel(Freezes freezes, AccountChoice accounts, Texts texts) : PageModel
{
    /// <summary>Rules, use and the open freeze of the selected account.</summary>
    public FreezeOverview Overview { get; private set; } = null!;

    /// <summary>The dates as typed.</summary>
    public string? Start { get; private set; }

    /// <summary>The dates as typed.</summary>
    public string? End { get; private set; }

    /// <summary>The quote for the typed dates.</summary>
    public FreezeQuote? Quote { get; private set; }

    /// <summary>An error next to the first day.</summary>
    public string? StartError { get; private set; }

    /// <summary>An error next to the last day.</summary>
    public string? EndError { get; private set; }

    /// <summary>An error about the whole request.</summary>
    public string? FormError { get; private set; }

    /// <summary>Why the posted account was refused.</summary>
    public string? AccountError { get; private set; }

    /// <summary>"booked", "cancelled" or "ended" after a success.</summary>
    public string? Done { get; private set; }

    public async Task<IActionResult> OnGetAsync(long? account, string? start, string? end, string? done, CancellationToken ct)
    {
        Overview = await freezes.OverviewAsync(User.ContractId(), account, ct);
        Done = done is "booked" or "cancelled" or "ended" ? done : null;
        (Start, End) = (start, end);
        if (Overview.Selected is { } selected && (start is not null || end is not null) && Overview.Current is null)
        {
            var result = await freezes.QuoteAsync(User.ContractId(), selected.Id, start, end, ct);
            if (result is { IsSuccess: true } ok)
            {
                Quote = ok.Value;
            }
            else if (result is { } failed)
            {
                Show(failed.Error!);
            }
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync([FromForm] long? account, [FromForm] string? start, [FromForm] string? end, CancellationToken ct)
    {
        (Start, End) = (start, end);
        if (await OwnAsync(account, ct) is not { } own)
        {
            return Page();
        }

        var result = await freezes.ConfirmAsync(User.ContractId(), own, start, end, ct);
        if (result is { IsSuccess: true })
        {
            return LocalRedirect($"/freeze?account={own}&done=booked");
        }

        Overview = await freezes.OverviewAsync(User.ContractId(), own, ct);
        if (result is { } failed)
        {
            Show(failed.Error!);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostEndAsync([FromForm] long? account, CancellationToken ct)
    {
        if (await OwnAsync(account, ct) is not { } own)
        {
            return Page();
        }

        var result = await freezes.EndAsync(User.ContractId(), own, ct);
        if (result is { IsSuccess: true } ok)
        {
            return LocalRedirect($"/freeze?account={own}&done={ok.Value.Outcome}");
        }

        Overview = await freezes.OverviewAsync(User.ContractId(), own, ct);
        if (result is { } failed)
        {
            FormError = texts.Error(failed.Error!);
        }

        return Page();
    }

    // The posted account when it is the contract's; else null, with the first account's overview and the refusal on the account field.
    private async Task<long?> OwnAsync(long? account, CancellationToken ct)
    {
        var chosen = await accounts.PostedAsync(User.ContractId(), account, "/freeze", ct);
        if (chosen.IsSuccess)
        {
            return chosen.Value.Selected;
        }

        Overview = await freezes.OverviewAsync(User.ContractId(), null, ct);
        AccountError = texts.Error(chosen.Error!);
        return null;
    }

    private void Show(Error error)
    {
        var message = texts.Error(error);
        switch (error.Field)
        {
            case "start":
                StartError = message;
                break;
            case "end":
                EndError = message;
                break;
            default:
                FormError = message;
                break;
        }
    }
}
