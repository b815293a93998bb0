namespace Kabinet.Web.Features.Auth;

/// <summary>Response headers that keep a subscriber's pages and data out of caches.</summary>
public static class PrivateResponses
{
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
