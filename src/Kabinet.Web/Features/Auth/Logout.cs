using Microsoft.AspNetCore.Authentication;

namespace Kabinet.Web.Features.Auth;

/// <summary>Logging out of the cabinet: a POST (with the antiforgery token), never a GET link.</summary>
public static class LogoutEndpoint
{
    /// <summary>Maps POST /logout.</summary>
    public static void MapLogout(this IEndpointRouteBuilder app) =>
        app.MapPost("/logout", async (HttpContext http) =>
        {
            await http.SignOutAsync(SubscriberClaims.CookieScheme);
            return Results.LocalRedirect("/login?loggedOut=true");
        });
}
