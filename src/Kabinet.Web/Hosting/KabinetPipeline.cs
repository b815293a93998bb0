using Kabinet.Web.Features.Api;
using Kabinet.Web.Features.Auth;
using Kabinet.Web.Features.Errors;
using Kabinet.Web.Features.Health;
using Kabinet.Web.Features.Localization;
using Kabinet.Web.Features.Payments;

namespace Kabinet.Web.Hosting;

/// <summary>The request pipeline and the endpoint map.</summary>
public static class KabinetPipeline
{
    /// <summary>Wires middleware and endpoints.</summary>
    public static void UseKabinet(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Behind nginx (deploy/nginx): the client's address and scheme come from the proxy's headers,
        // trusted only from the proxies configured (none by default), so rate limits see the real client.
        app.UseTrustedProxies();
        // Outermost, so that error pages and problems written on the way out speak the caller's language.
        app.UseRequestLocalization();
        app.UseKabinetErrors();
        app.Use(async (http, next) =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'";
            // HSTS on HTTPS (static files and error pages too, which are re-run through here): once a
            // browser has seen the cabinet over HTTPS it never sends the session cookie over plain
            // HTTP. Over HTTP browsers ignore it (RFC 6797).
            if (http.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000";
            }

            await next();
        });
        app.UseStaticFiles();
        app.UseNoStore();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapHealth();
        app.MapCulture();
        app.MapLogout();
        app.MapKabinetApi();
        Features.Network.RadiusEndpoints.MapRadius(app);
        app.MapPayments(app.Configuration.GetSection(KabinetOptions.Section).Get<KabinetOptions>() ?? new KabinetOptions());
        app.MapRazorPages();
    }
}
