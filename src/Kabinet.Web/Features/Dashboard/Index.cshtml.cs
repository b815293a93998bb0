using Kabinet.Web.Features.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kabinet.Web.Features.Dashboard;

/// <summary>The dashboard (M5) with the account switcher (M15).</summary>
[Authorize(Policy = SubscriberClaims.CabinetPolicy)]
public sealed class IndexModel(DashboardQuery query) : PageModel
{
    /// <summary>The logged-in contract.</summary>
    public ContractView? Contract { get; private set; }

    /// <summary>The account shown: the one asked for if it is the contract's, else the first.</summary>
    public AccountView? Selected { get; private set; }

    /// <summary>The selected account's latest operations.</summary>
    public IReadOnlyList<OperationView> Operations { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long? account, CancellationToken ct)
    {
        var data = await query.LoadAsync(User.ContractId(), account, 5, ct);
        if (data is null)
        {
            return LocalRedirect("/login");
        }

        (Contract, Selected, Operations) = (data.Contract, data.Selected, data.Operations);
        return Page();
    }
}
