using Kabinet.Web.Features.Auth;
using Kabinet.Web.Features.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kabinet.Web.Features.Connection;

/// <summary>The connection page (M14): state, why offline, traffic charts, sessions.</summary>
[Authorize(Policy = SubscriberClaims.CabinetPolicy)]
public sealed class IndexModel(AccountChoice choice, ConnectionQuery query) : PageModel
{
    /// <summary>The switcher.</summary>
    public AccountSwitcherModel Accounts { get; private set; } = null!;

    /// <summary>The selected account's connection.</summary>
    public ConnectionView View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long? account, CancellationToken ct)
    {
        if (await choice.ChooseAsync(User.ContractId(), account, "/connection", ct) is not { } accounts
            || await query.GetAsync(User.ContractId(), accounts.Selected, ct) is not { } view)
        {
            return NotFound();
        }

        (Accounts, View) = (accounts, view);
        return Page();
    }
}
