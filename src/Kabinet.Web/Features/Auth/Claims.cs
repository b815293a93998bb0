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
    private const string StampClaim = "kabinet:stamp";

    /// <summary>The principal for a contract under the given scheme.</summary>
    public static ClaimsPrincipal Create(ContractIdentity identity, string scheme)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var claims = new[]
        {
            new Claim(ClaimTypes.NameIdentifier, identity.Number),
            new Claim(ClaimTypes.Name, identity.Number),
            new Claim(ContractIdClaim, identity.ContractId.ToString(CultureInfo.InvariantCulture)),
            new Claim(StampClaim, identity.SecurityStamp),
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
}
