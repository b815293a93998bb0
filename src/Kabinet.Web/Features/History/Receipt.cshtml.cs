using Kabinet.Web.Features.Auth;
using Kabinet.Web.Features.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.History;

/// <summary>The printable receipt of one payment; the 404 page for anything else.</summary>
[Authorize(Policy = SubscriberClaims.CabinetPolicy)]
public sealed class ReceiptModel(HistoryQuery query, IOptions<ProviderOptions> provider) : PageModel
{
    public Receipt? Receipt { get; private set; }

    public ProviderOptions Provider => provider.Value;

    public async Task<IActionResult> OnGetAsync(long transactionId, CancellationToken ct)
    {
        Receipt = await query.ReceiptAsync(User.ContractId(), transactionId, null, ct);
        return Receipt is null ? NotFound() : Page();
    }
}
