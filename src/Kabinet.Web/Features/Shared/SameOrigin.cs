namespace Kabinet.Web.Features.Shared;

/// <summary>
/// Cross-site request protection without a token, for the header forms every page carries (language,
/// logout): a browser names where a POST comes from in Sec-Fetch-Site or Origin, and a foreign site
/// cannot forge either. Rendering an antiforgery token into each page's layout costs data-protection
/// work on every page view; these two actions change nothing of value, and the session cookie is
/// SameSite=Lax on top. A request with neither header is not from a current browser and passes.
/// </summary>
public static class SameOrigin
{
    /// <summary>True when a browser says the request comes from another site or origin.</summary>
    public static bool IsCrossOrigin(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            // "none" is the user's own action (a bookmark, the address bar), not another page.
            return !string.Equals(site, "same-origin", StringComparison.OrdinalIgnoreCase)
                && !string.Equals(site, "none", StringComparison.OrdinalIgnoreCase);
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return false;
        }

        // The host only, as the proxy forwards it (deploy/nginx sets Host); "null" and garbage are foreign.
        return !Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            || !string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Refuses cross-origin requests to an endpoint with 400, the polite page a bad antiforgery token got.</summary>
    public static TBuilder RequireSameOrigin<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter((context, next) =>
            IsCrossOrigin(context.HttpContext.Request)
                ? ValueTask.FromResult<object?>(Results.BadRequest())
                : next(context));
}
