using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Kabinet.Web.Features.Auth;

/// <summary>
/// Ties the cookie and bearer-token handlers to <see cref="SubscriberSessions"/>: after a cookie or
/// token decrypts (possibly from <see cref="CachedTicketFormat"/>'s memory), its session is read
/// from the database, and a revoked, expired or unknown session is refused. The cabinet then sends
/// the visitor to the login form, the API answers 401.
/// </summary>
public static class SessionAuthentication
{
    /// <summary>Registers the sessions and hooks them into both schemes.</summary>
    public static void AddSubscriberSessions(this IServiceCollection services)
    {
        services.AddSingleton<SubscriberSessions>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<KnownDevices>();
        services.PostConfigure<CookieAuthenticationOptions>(SubscriberClaims.CookieScheme, o =>
        {
            var earlier = o.Events.OnValidatePrincipal;
            o.Events.OnValidatePrincipal = async ctx =>
            {
                await earlier(ctx);
                if (ctx.Principal is null || !await IsLiveAsync(ctx.HttpContext, ctx.Principal))
                {
                    ctx.RejectPrincipal();
                    await ctx.HttpContext.SignOutAsync(SubscriberClaims.CookieScheme);
                }
            };
        });
        services.PostConfigure<BearerTokenOptions>(SubscriberClaims.BearerScheme, o =>
        {
            // The bearer handler has no event after it decrypts a token, so the token is decrypted
            // here (a cache hit for a token in use) and its session checked before the handler runs.
            var earlier = o.Events.OnMessageReceived;
            o.Events.OnMessageReceived = async ctx =>
            {
                await earlier(ctx);
                if (ctx.Result is not null)
                {
                    return;
                }

                var token = ctx.Token ?? BearerToken(ctx.Request);
                if (token is null || ctx.Options.BearerTokenProtector.Unprotect(token) is not { } ticket)
                {
                    return; // no token, or garbage: the handler itself answers
                }

                ctx.Token = token;
                if (!await IsLiveAsync(ctx.HttpContext, ticket.Principal))
                {
                    ctx.Fail("The session has ended.");
                }
            };
        });
    }

    private static async Task<bool> IsLiveAsync(HttpContext http, System.Security.Claims.ClaimsPrincipal principal)
    {
        if (!principal.TryContractId(out var contractId))
        {
            return false;
        }

        var sessions = http.RequestServices.GetRequiredService<SubscriberSessions>();
        return await sessions.IsLiveAsync(principal.SessionKey(), contractId, http.RequestAborted);
    }

    private static string? BearerToken(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        return authorization.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? authorization[prefix.Length..].Trim() : null;
    }
}
