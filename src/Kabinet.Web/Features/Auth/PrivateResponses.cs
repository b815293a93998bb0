namespace Kabinet.Web.Features.Auth;

/// <summary>Response headers that keep a subscriber's pages and data out of caches and off plain HTTP.</summary>
public static class PrivateResponses
{
    private const string OneYear = "max-age=31536000";

    /// <summary>
    /// HSTS on every HTTPS response (static files too): once a browser has seen the cabinet over
    /// HTTPS it never again sends the session cookie over plain HTTP. Over HTTP the header means
    /// nothing to browsers (RFC 6797), so it is left out.
    /// </summary>
    public static IApplicationBuilder UseStrictTransport(this IApplicationBuilder app) =>
        app.Use((http, next) =>
        {
            if (http.Request.IsHttps)
            {
                http.Response.Headers.StrictTransportSecurity = OneYear;
            }

            return next(http);
        });

    /// <summary>
    /// "Cache-Control: no-store" on every response after the static files: pages and API answers
    /// show a subscriber's data (and the login form an antiforgery token), so no browser history,
    /// shared computer or proxy may keep them. An endpoint that sets its own Cache-Control (the
    /// public QR image) keeps it.
    /// </summary>
    public static IApplicationBuilder UseNoStore(this IApplicationBuilder app) =>
        app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                if (string.IsNullOrEmpty(headers.CacheControl))
                {
                    headers.CacheControl = "no-store";
                    headers.Pragma = "no-cache";
                }

                return Task.CompletedTask;
            });
            return next(http);
        });
}
