using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.Network;

/// <summary>
/// Keeps the RADIUS endpoints to FreeRADIUS: the caller must connect directly (not through the
/// public reverse proxy) from a configured host, and present the shared secret as HTTP basic
/// credentials. With no secret configured the endpoints do not exist (404).
/// </summary>
public sealed class RadiusGuard(IOptions<NetworkOptions> options) : IEndpointFilter
{
    /// <summary>The basic-auth user name FreeRADIUS presents.</summary>
    public const string UserName = "freeradius";

    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.Secret))
        {
            return Results.NotFound();
        }

        // The forwarded-headers middleware leaves X-Original-For when it rewrote the address: the
        // request came through the proxy, i.e. from the public side.
        var headers = http.Request.Headers;
        if (headers.ContainsKey("X-Forwarded-For") || headers.ContainsKey("X-Original-For") || !FromAllowedHost(http.Connection.RemoteIpAddress, settings))
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        if (!HasSecret(headers.Authorization.ToString(), settings.Secret))
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"kabinet-radius\"";
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        return await next(context);
    }

    private static bool FromAllowedHost(IPAddress? address, NetworkOptions settings)
    {
        if (address is null)
        {
            return false;
        }

        var caller = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return settings.AllowedHosts.Any(h => IPAddress.TryParse(h, out var allowed) && allowed.Equals(caller));
    }

    private static bool HasSecret(string authorization, string secret)
    {
        const string scheme = "Basic ";
        if (!authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] decoded;
        try
        {
            decoded = Convert.FromBase64String(authorization[scheme.Length..].Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = Encoding.UTF8.GetBytes(UserName + ":" + secret);
        return CryptographicOperations.FixedTimeEquals(decoded, expected);
    }
}
