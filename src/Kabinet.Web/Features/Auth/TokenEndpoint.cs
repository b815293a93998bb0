using System.Text.Json.Serialization;
using Kabinet.Web.Features.Api;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kabinet.Web.Features.Auth;

/// <summary>The body of POST /api/v1/auth/token.</summary>
public sealed record TokenRequest(
    [property: JsonPropertyName("contract")] string? Contract,
    [property: JsonPropertyName("password")] string? Password);

/// <summary>API login: the same check as the cabinet form, answered with a bearer token.</summary>
public static class TokenEndpoint
{
    /// <summary>Maps POST /api/v1/auth/token.</summary>
    public static void MapToken(this RouteGroupBuilder api) =>
        api.MapPost("/auth/token", IssueAsync)
            .AllowAnonymous()
            .RequireRateLimiting(LoginRateLimit.Policy)
            .WithName("IssueToken")
            .WithSummary("Log in with a contract number and password; returns a bearer token.")
            .Produces<AccessTokenResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

    private static async Task<Results<SignInHttpResult, ProblemHttpResult>> IssueAsync(
        TokenRequest? request, ContractLogin login, ApiProblems problems, CancellationToken ct)
    {
        var result = await login.VerifyAsync(request?.Contract, request?.Password, ct);
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

        return TypedResults.SignIn(
            SubscriberClaims.Create(result.Value, SubscriberClaims.BearerScheme),
            authenticationScheme: SubscriberClaims.BearerScheme);
    }
}
