using Kabinet.Domain.Money;
using Kabinet.Web.Features.Payments;
using Kabinet.Web.Features.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.Offer;

/// <summary>
/// The public offer for paying online: open to everyone (the page without login links it too), with
/// the provider's details from <c>Kabinet:Provider</c> (the same as on receipts and the QR code)
/// and the payment limits from <c>Kabinet:Payments</c>.
/// </summary>
[AllowAnonymous]
public sealed class IndexModel(IOptions<ProviderOptions> provider, IOptions<PaymentOptions> limits) : PageModel
{
    public ProviderOptions Provider => provider.Value;

    public Money Min => limits.Value.Min;

    public Money Max => limits.Value.Max;

    public void OnGet()
    {
    }
}
