using System.Globalization;
using System.Security.Claims;

namespace Kabinet.Web.Features.Auth;

/// <summary>The claims a logged-in subscriber carries, and reading them back.</summary>
public static class SubscriberClaims
{
    /// <summary>The cookie scheme of the cabinet pages.</summary>
    public const string CookieScheme = "Cookies";

    /// <summary>The bearer-token scheme of the API.</summary>
    public const string BearerScheme = "Bearer";

    /// <summary>Policy for cabinet pages.</summary>
    public const string CabinetPolicy = "cabinet";

    /// <summary>Policy for API endpoints.</summary>
    public const string ApiPolicy = "api";

    private const string ContractIdClaim = "kabinet:contract_id";
    // The key of the server-side session (SubscriberSessions) that this cookie or token belongs to.
    private const string SessionClaim = "kabinet:sid";

    /// <summary>The principal for a contract's session under the given scheme.</summary>
    public static ClaimsPrincipal Create(ContractIdentity identity, string sessionKey, string scheme)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var claims = new[]
        {
            new Claim(ClaimTypes.NameIdentifier, identity.Number),
            new Claim(ClaimTypes.Name, identity.Number),
            new Claim(ContractIdClaim, identity.ContractId.ToString(CultureInfo.InvariantCulture)),
            new Claim(SessionClaim, sessionKey),
            new Claim(ClaimTypes.Role, "subscriber"),
        };
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>The contract id of the logged-in subscriber; every query is scoped by it.</summary>
    public static long ContractId(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var value = user.FindFirstValue(ContractIdClaim)
            ?? throw new InvalidOperationException("The request has no logged-in subscriber.");
        return long.Parse(value, CultureInfo.InvariantCulture);
    }

    /// <summary>The contract id, when the principal carries a well-formed one.</summary>
    public static bool TryContractId(this ClaimsPrincipal user, out long contractId)
    {
        ArgumentNullException.ThrowIfNull(user);
        return long.TryParse(user.FindFirstValue(ContractIdClaim), NumberStyles.None, CultureInfo.InvariantCulture, out contractId);
    }

    /// <summary>The key of the session the request came with, if any.</summary>
    public static string? SessionKey(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirstValue(SessionClaim);
    }
}
