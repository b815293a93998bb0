using Kabinet.Web.Features.Auth;
using Kabinet.Web.Features.Localization;
using Kabinet.Web.Features.Shared;
using Kabinet.Web.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kabinet.Web.Features.Tariffs;

/// <summary>The tariff catalogue (M11) for the selected account, with its pending change.</summary>
[Authorize(Policy = SubscriberClaims.CabinetPolicy)]
public sealed class IndexModel(TariffChanges tariffs, AccountChoice accounts, Texts texts, OperatorClock clock) : PageModel
{
    /// <summary>Today in the operator's zone: which change modes are open depends on it.</summary>
    public DateOnly Today => clock.Today;

    /// <summary>The catalogue for the selected account.</summary>
    public TariffCatalogue Catalogue { get; private set; } = null!;

    /// <summary>A confirmation to show ("changed" or "cancelled").</summary>
    public string? Done { get; private set; }

    /// <summary>Why the pending change could not be cancelled.</summary>
    public string? CancelError { get; private set; }

    /// <summary>Why the posted account was refused.</summary>
    public string? AccountError { get; private set; }

    public async Task<IActionResult> OnGetAsync(long? account, string? done, CancellationToken ct)
    {
        Catalogue = await tariffs.CatalogueAsync(User.ContractId(), account, ct);
        Done = done is "changed" or "cancelled" ? done : null;
        return Page();
    }

    public async Task<IActionResult> OnPostCancelAsync([FromForm] long? account, CancellationToken ct)
    {
        var chosen = await accounts.PostedAsync(User.ContractId(), account, "/tariffs", ct);
        if (!chosen.IsSuccess)
        {
            Catalogue = await tariffs.CatalogueAsync(User.ContractId(), null, ct);
            AccountError = texts.Error(chosen.Error!);
            return Page();
        }

        var result = await tariffs.CancelAsync(User.ContractId(), chosen.Value.Selected, ct);
        if (result is { IsSuccess: true })
        {
            return LocalRedirect($"/tariffs?account={chosen.Value.Selected}&done=cancelled");
        }

        Catalogue = await tariffs.CatalogueAsync(User.ContractId(), chosen.Value.Selected, ct);
        CancelError = result is { } failed ? texts["error." + failed.Error!.Code] : null;
        return Page();
    }
}
