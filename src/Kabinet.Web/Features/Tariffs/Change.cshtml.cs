using Kabinet.Domain.Billing;
using Kabinet.Domain.Catalog;
using Kabinet.Domain.Common;
using Kabinet.Web.Features.Auth;
using Kabinet.Web.Features.Localization;
using Kabinet.Web.Features.Shared;
using Kabinet.Web.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kabinet.Web.Features.Tariffs;

/// <summary>The quote of a tariff change (before/after) and its confirmation (M11).</summary>
[Authorize(Policy = SubscriberClaims.CabinetPolicy)]
public sealed class ChangeModel(TariffChanges tariffs, AccountChoice accounts, Texts texts, OperatorClock clock) : PageModel
{
    /// <summary>The account's tariff now.</summary>
    public Tariff? Current { get; private set; }

    /// <summary>The current tariff's month is paid in advance: only "from the 1st of next month" is offered.</summary>
    public bool CurrentPaidAhead { get; private set; }

    /// <summary>The modes offered for the target: what it allows, less those the current tariff rules out.</summary>
    public TariffChangeModes Modes { get; private set; }

    /// <summary>The selected account (the one asked for if it is the contract's, else the first).</summary>
    public TariffAccount? Account { get; private set; }

    /// <summary>The tariff chosen, when it exists.</summary>
    public TariffOffer? Target { get; private set; }

    /// <summary>The mode quoted.</summary>
    public TariffChangeModes Mode { get; private set; }

    /// <summary>The quote, when the change is allowed.</summary>
    public TariffChangeQuote? Quote { get; private set; }

    /// <summary>A refusal about the tariff itself.</summary>
    public string? TariffError { get; private set; }

    /// <summary>A refusal about the mode.</summary>
    public string? ModeError { get; private set; }

    /// <summary>Why the posted account was refused.</summary>
    public string? AccountError { get; private set; }

    /// <summary>A refusal of the confirmation (a change is already pending).</summary>
    public string? FormError { get; private set; }

    public Task<IActionResult> OnGetAsync(long? account, string? tariff, string? mode, CancellationToken ct) =>
        LoadAsync(account, tariff, mode, ct);

    public async Task<IActionResult> OnPostAsync([FromForm] long? account, [FromForm] string? tariff, [FromForm] string? mode, CancellationToken ct)
    {
        var chosen = await accounts.PostedAsync(User.ContractId(), account, "/tariffs/change", ct);
        if (!chosen.IsSuccess)
        {
            AccountError = texts.Error(chosen.Error!);
            return await LoadAsync(null, tariff, mode, ct);
        }

        var result = await tariffs.ConfirmAsync(User.ContractId(), chosen.Value.Selected, TariffEndpoints.ParseId(tariff), TariffChanges.ParseMode(mode), ct);
        if (result is { IsSuccess: true } done)
        {
            return LocalRedirect($"/tariffs?account={done.Value.AccountId}&done=changed");
        }

        var page = await LoadAsync(chosen.Value.Selected, tariff, mode, ct);
        if (result is { } failed && failed.Error!.Code == TariffHandlerErrors.Pending)
        {
            FormError = texts["error." + failed.Error.Code];
            Response.StatusCode = StatusCodes.Status409Conflict;
        }

        return page;
    }

    private async Task<IActionResult> LoadAsync(long? account, string? tariff, string? mode, CancellationToken ct)
    {
        var contractId = User.ContractId();
        var catalogue = await tariffs.CatalogueAsync(contractId, account, ct);
        Account = catalogue.Selected;
        if (Account is null)
        {
            return LocalRedirect("/tariffs");
        }

        var tariffId = TariffEndpoints.ParseId(tariff);
        Target = tariffId is { } id ? await tariffs.OfferAsync(id, ct) : null;
        Current = catalogue.Current;
        CurrentPaidAhead = TariffChangePolicy.PaidAhead(Current, clock.Today);
        Modes = Target is null ? TariffChangeModes.None : TariffChangePolicy.AvailableModes(Current, Target.Modes, clock.Today);
        // Without a choice yet, quote the earliest mode open to the account.
        Mode = TariffChanges.ParseMode(mode);
        if (mode is null && Target is not null)
        {
            Mode = Modes.HasFlag(TariffChangeModes.Tomorrow) ? TariffChangeModes.Tomorrow : TariffChangeModes.NextMonth;
        }

        var result = await tariffs.QuoteAsync(contractId, Account.Id, tariffId, Mode, ct);
        if (result is { IsSuccess: true } ok)
        {
            Quote = ok.Value;
        }
        else if (result is { } failed)
        {
            Show(failed.Error!);
        }

        return Page();
    }

    private void Show(Error error)
    {
        var message = texts["error." + error.Code];
        if (error.Field == "mode")
        {
            ModeError = message;
        }
        else
        {
            TariffError = message;
        }
    }
}
