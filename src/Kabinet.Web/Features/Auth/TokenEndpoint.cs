using System.Text.Json.Serialization;
using Kabinet.Web.Features.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.Auth;

/// <summary>The body of POST /api/v1/auth/token.</summary>
public sealed record TokenRequest(
    [property: JsonPropertyName("contract")] string? Contract,
    [property: JsonPropertyName("password")] string? Password);

/// <summary>
/// The answer of POST /api/v1/auth/token (RFC 6749 names). There is no refresh token: when the
/// token ends (expires_in seconds, Kabinet:SessionHours), the app logs in again.
/// </summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] long ExpiresIn);

/// <summary>API login: the same check as the cabinet form, answered with a bearer token; and its revocation.</summary>
public static class TokenEndpoint
{
    /// <summary>Maps POST /api/v1/auth/token and POST /api/v1/auth/revoke.</summary>
    public static void MapToken(this RouteGroupBuilder api)
    {
        api.MapPost("/auth/token", IssueAsync)
            .AllowAnonymous()
            .RequireRateLimiting(LoginRateLimit.Policy)
            .WithName("IssueToken")
            .WithSummary("Log in with a contract number and password; returns a bearer token.")
            .Produces<TokenResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapPost("/auth/revoke", RevokeAsync)
            .WithName("RevokeToken")
            .WithSummary("Log out: ends the session of the bearer token the request carries; the token is refused from then on.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueAsync(
        TokenRequest? request, HttpContext http, ContractLogin login, SubscriberSessions sessions, KnownDevices devices,
        IOptionsMonitor<BearerTokenOptions> bearer, ApiProblems problems, CancellationToken ct)
    {
        var device = devices.Read(http);
        var result = await login.VerifyAsync(request?.Contract, request?.Password, device, ct);
        if (!result.IsSuccess)
        {
            var status = result.Error!.Code switch
            {
                "auth.invalid_credentials" => StatusCodes.Status401Unauthorized,
                "auth.too_many_attempts" => StatusCodes.Status429TooManyRequests,
                _ => StatusCodes.Status400BadRequest,
            };
            return problems.For(result.Error, status);
        }

        var session = await sessions.StartAsync(result.Value.ContractId, SessionKind.Token, http, ct);
        var ticket = new AuthenticationTicket(
            SubscriberClaims.Create(result.Value, session.Key, SubscriberClaims.BearerScheme),
            new AuthenticationProperties { IssuedUtc = session.CreatedAt, ExpiresUtc = session.ExpiresAt },
            SubscriberClaims.BearerScheme);
        // An app that keeps cookies becomes a known device, as a browser does (see KnownDevices).
        devices.Remember(http, device, result.Value.Number);
        var token = bearer.Get(SubscriberClaims.BearerScheme).BearerTokenProtector.Protect(ticket);
        return TypedResults.Ok(new TokenResponse("Bearer", token, (long)(session.ExpiresAt - session.CreatedAt).TotalSeconds));
    }

    private static async Task<NoContent> RevokeAsync(HttpContext http, SubscriberSessions sessions, CancellationToken ct)
    {
        await sessions.RevokeAsync(http.User.SessionKey(), ct);
        return TypedResults.NoContent();
    }
}
