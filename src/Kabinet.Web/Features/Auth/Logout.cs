using Kabinet.Web.Features.Shared;
using Microsoft.AspNetCore.Authentication;

namespace Kabinet.Web.Features.Auth;

/// <summary>
/// Logging out of the cabinet: a POST, never a GET link, and only from Kabinet's own pages (the
/// same-origin check, see <see cref="SameOrigin"/>): a foreign page must not log people out.
/// The session is revoked on the server, so a copy of the cookie opens nothing afterwards.
/// </summary>
public static class LogoutEndpoint
{
    /// <summary>Maps POST /logout.</summary>
    public static void MapLogout(this IEndpointRouteBuilder app) =>
        app.MapPost("/logout", async (HttpContext http, SubscriberSessions sessions, CancellationToken ct) =>
        {
            await sessions.RevokeAsync(http.User.SessionKey(), ct);
            await http.SignOutAsync(SubscriberClaims.CookieScheme);
            return Results.LocalRedirect("/login?loggedOut=true");
        }).DisableAntiforgery().RequireSameOrigin();
}
