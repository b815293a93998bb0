using Kabinet.Web.Features.Shared;
using Microsoft.AspNetCore.Localization;

namespace Kabinet.Web.Features.Localization;

/// <summary>
/// The language switcher: a form posts the language and comes back to the same page. Guarded by the
/// same-origin check instead of an antiforgery token (see <see cref="SameOrigin"/>).
/// </summary>
public static class CultureEndpoints
{
    /// <summary>Maps POST /culture.</summary>
    public static void MapCulture(this IEndpointRouteBuilder app) =>
        app.MapPost("/culture", (HttpContext http, [Microsoft.AspNetCore.Mvc.FromForm] string? culture, [Microsoft.AspNetCore.Mvc.FromForm] string? returnUrl) =>
        {
            var chosen = Texts.Cultures.FirstOrDefault(c => string.Equals(c.Name, culture, StringComparison.OrdinalIgnoreCase))
                ?? Texts.Cultures[0];
            http.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), HttpOnly = true, Secure = http.Request.IsHttps, SameSite = SameSiteMode.Lax, IsEssential = true });
            return Results.LocalRedirect(LocalUrl.OrHome(returnUrl));
        }).DisableAntiforgery().RequireSameOrigin();
}
