using Kabinet.Web.Features.Auth;
using Kabinet.Web.Features.Localization;
using Kabinet.Web.Features.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kabinet.Web.Features.Services;

/// <summary>Extra services (M12): the list for the selected account, switching on with the price shown first, switching off, Turbo.</summary>
[Authorize(Policy = SubscriberClaims.CabinetPolicy)]
public sealed class IndexModel(ExtraServices services, AccountChoice accounts, Texts texts) : PageModel
{
    /// <summary>The services of the selected account.</summary>
    public ServiceList List { get; private set; } = null!;

    /// <summary>The service whose switching on is being confirmed.</summary>
    public long? Confirm { get; private set; }

    /// <summary>The service the last action was about.</summary>
    public long? ServiceId { get; private set; }

    /// <summary>"on", "off" or "bought" after a success.</summary>
    public string? Done { get; private set; }

    /// <summary>Why the last action on <see cref="ServiceId"/> was refused.</summary>
    public string? Error { get; private set; }

    /// <summary>Why the posted account was refused.</summary>
    public string? AccountError { get; private set; }

    /// <summary>A fresh key for a purchase form, so a double submit buys once.</summary>
    public string PurchaseKey { get; } = Guid.NewGuid().ToString("N");

    public async Task<IActionResult> OnGetAsync(long? account, long? confirm, string? done, long? service, CancellationToken ct)
    {
        List = await services.ListAsync(User.ContractId(), account, ct);
        Confirm = confirm;
        ServiceId = service;
        Done = done is "on" or "off" or "bought" ? done : null;
        return Page();
    }

    public async Task<IActionResult> OnPostOnAsync([FromForm] long? account, [FromForm] long service, [FromForm] string? key, CancellationToken ct)
    {
        var chosen = await accounts.PostedAsync(User.ContractId(), account, "/services", ct);
        return chosen.IsSuccess
            ? await AnswerAsync(chosen.Value.Selected, service, await services.SwitchOnAsync(User.ContractId(), chosen.Value.Selected, service, string.IsNullOrEmpty(key) ? null : key, ct), ct)
            : await RefuseAsync(chosen.Error!, ct);
    }

    public async Task<IActionResult> OnPostOffAsync([FromForm] long? account, [FromForm] long service, CancellationToken ct)
    {
        var chosen = await accounts.PostedAsync(User.ContractId(), account, "/services", ct);
        return chosen.IsSuccess
            ? await AnswerAsync(chosen.Value.Selected, service, await services.SwitchOffAsync(User.ContractId(), chosen.Value.Selected, service, ct), ct)
            : await RefuseAsync(chosen.Error!, ct);
    }

    private async Task<IActionResult> RefuseAsync(Domain.Common.Error error, CancellationToken ct)
    {
        List = await services.ListAsync(User.ContractId(), null, ct);
        AccountError = texts.Error(error);
        return Page();
    }

    private async Task<IActionResult> AnswerAsync(long account, long service, Domain.Common.Result<ServiceOutcome>? result, CancellationToken ct)
    {
        if (result is { IsSuccess: true } ok)
        {
            return LocalRedirect($"/services?account={account}&done={ok.Value.Action}&service={service}#service-{service}");
        }

        List = await services.ListAsync(User.ContractId(), account, ct);
        ServiceId = service;
        if (result is { } failed)
        {
            Error = texts.Error(failed.Error!);
            Confirm = service;
        }

        return Page();
    }
}
