using System.Threading.RateLimiting;
using Kabinet.Web.Hosting;
using Microsoft.AspNetCore.RateLimiting;

namespace Kabinet.Web.Features.Auth;

/// <summary>Throttles login attempts per client IP, for the form and the token endpoint.</summary>
public static class LoginRateLimit
{
    /// <summary>The rate limiter policy name.</summary>
    public const string Policy = "login";

    /// <summary>Registers the policy; rejected requests get 429 (the problem or page is written by the status handler).</summary>
    public static void AddLoginRateLimit(this IServiceCollection services, KabinetOptions options)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Policy, http =>
            {
                // Only POSTs guess passwords; showing the form is free.
                if (HttpMethods.IsGet(http.Request.Method))
                {
                    return RateLimitPartition.GetNoLimiter("get");
                }

                var ip = ClientKey(http.Connection.RemoteIpAddress);
                return RateLimitPartition.GetFixedWindowLimiter(ip, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.Login.PerIpPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
        });
    }

    /// <summary>
    /// The partition of a client address: an IPv4 address, or an IPv6 /64 (one subscriber line gets
    /// a whole /64, so single IPv6 addresses would give one client endless budgets).
    /// </summary>
    public static string ClientKey(System.Net.IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new System.Net.IPAddress(bytes) + "/64";
    }
}
