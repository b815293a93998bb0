using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace Kabinet.Web.Features.Auth;

/// <summary>Logging out of the cabinet: a POST (with the antiforgery token), never a GET link.</summary>
public static class LogoutEndpoint
{
    /// <summary>Maps POST /logout.</summary>
    public static void MapLogout(this IEndpointRouteBuilder app) =>
        app.MapPost("/logout", async (HttpContext http, IAntiforgery antiforgery) =>
        {
            // The endpoint reads no form, so nothing checks the token unless asked: a foreign page must not log people out.
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.BadRequest();
            }

            await http.SignOutAsync(SubscriberClaims.CookieScheme);
            return Results.LocalRedirect("/login?loggedOut=true");
        });
}
