using Kabinet.Web.Features.Payments;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.Captive;

/// <summary>
/// The captive page (M33) a blocked subscriber's browser lands on: why there is no internet, how
/// much is needed, and paying without logging in for this contract.
/// </summary>
public sealed class IndexModel(CaptiveLookup lookup, IOptions<PaymentOptions> limits) : PageModel
{
    /// <summary>The recognised account; null when the address is not a known session's.</summary>
    public CaptiveView? View { get; private set; }

    /// <summary>The amount to prefill: what is needed, at least the smallest payment.</summary>
    public string? Amount { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        View = await lookup.FindAsync(HttpContext.Connection.RemoteIpAddress, ct);
        if (View is { Needed.IsPositive: true } v)
        {
            var amount = Math.Max(v.Needed.Kopecks / 100m, limits.Value.MinAmount);
            Amount = amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        }

        // Never cached: the state changes the moment the payment is credited.
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
