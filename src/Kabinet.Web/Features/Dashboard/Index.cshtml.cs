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
        Contract = await query.LoadAsync(User.ContractId(), ct);
        if (Contract is null)
        {
            return LocalRedirect("/login");
        }

        Selected = Contract.Accounts.FirstOrDefault(a => a.Id == account) ?? (Contract.Accounts.Count > 0 ? Contract.Accounts[0] : null);
        if (Selected is not null)
        {
            Operations = await query.LastOperationsAsync(Contract.ContractId, Selected.Id, 5, ct);
        }

        return Page();
    }
}
