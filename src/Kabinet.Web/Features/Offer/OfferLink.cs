using Kabinet.Web.Features.Payments;

namespace Kabinet.Web.Features.Offer;

/// <summary>
/// Where the consent checkbox points: the operator's own document (<see cref="PaymentOptions.OfferUrl"/>,
/// a local path or an http(s) address) or, by default or when the setting is not a usable link, the built-in page.
/// </summary>
public static class OfferLink
{
    /// <summary>The built-in offer page.</summary>
    public const string BuiltIn = "/offer";

    /// <summary>The link for the configured options.</summary>
    public static string Url(PaymentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var url = options.OfferUrl?.Trim();
        if (string.IsNullOrEmpty(url))
        {
            return BuiltIn;
        }

        // "/docs/offer" stays on this site; "//host" would leave it unannounced, so it is not a local path.
        if (url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal))
        {
            return url;
        }

        return Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "https" or "http" ? absolute.ToString() : BuiltIn;
    }
}
