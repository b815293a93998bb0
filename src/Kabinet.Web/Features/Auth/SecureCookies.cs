using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Kabinet.Web.Features.Auth;

/// <summary>
/// Cookie names with the <c>__Host-</c> prefix over HTTPS: the browser then accepts the cookie only
/// with Secure, Path=/ and no Domain, so neither a sibling subdomain nor a plain-HTTP page can plant
/// or overwrite it. Over plain HTTP (a local demo) the prefix would make browsers drop the cookie, so
/// the bare name is used there.
/// </summary>
public static class SecureCookies
{
    /// <summary>The name a cookie has on this request.</summary>
    public static string Name(HttpContext http, string name)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Request.IsHttps ? "__Host-" + name : name;
    }

    /// <summary>The login cookie named per request; the antiforgery cookie Secure over HTTPS.</summary>
    public static void AddSecureCookies(this IServiceCollection services)
    {
        services.PostConfigure<CookieAuthenticationOptions>(SubscriberClaims.CookieScheme, o =>
            o.CookieManager = new HostPrefixCookieManager(o.CookieManager ?? new ChunkingCookieManager()));
        services.Configure<AntiforgeryOptions>(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
    }
}

/// <summary>The cookie handler's manager with the name chosen per request (<see cref="SecureCookies"/>).</summary>
public sealed class HostPrefixCookieManager(ICookieManager inner) : ICookieManager
{
    /// <inheritdoc />
    public string? GetRequestCookie(HttpContext context, string key) => inner.GetRequestCookie(context, SecureCookies.Name(context, key));

    /// <inheritdoc />
    public void AppendResponseCookie(HttpContext context, string key, string? value, CookieOptions options) =>
        inner.AppendResponseCookie(context, SecureCookies.Name(context, key), value, options);

    /// <inheritdoc />
    public void DeleteCookie(HttpContext context, string key, CookieOptions options) =>
        inner.DeleteCookie(context, SecureCookies.Name(context, key), options);
}
