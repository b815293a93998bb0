using Kabinet.Domain.Subscribers;

namespace Kabinet.Web.Features.Network;

/// <summary>
/// The attributes a line's session should carry in its current state: the tariff's speed (faster
/// while Turbo runs), a static IP, or, when blocked, the restricted pool or the slow-down rate.
/// The same list answers an Access-Request and fills a CoA-Request.
/// </summary>
public static class LineReply
{
    /// <summary>True when a blocked account is slowed down in place rather than moved to the pool.</summary>
    public static bool ThrottlesBlocked(NetworkOptions options) => options?.BlockedRateKbps is > 0;

    /// <summary>The attributes for a line that may have access (active or blocked).</summary>
    public static IReadOnlyList<ReplyPair> For(AccessLine line, string vendor, NetworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(options);
        var reply = new List<ReplyPair>(4);
        if (line.Status == AccountStatus.Blocked)
        {
            if (ThrottlesBlocked(options))
            {
                var slow = options.BlockedRateKbps!.Value;
                reply.AddRange(VendorProfiles.Rate(vendor, slow, slow));
            }
            else
            {
                reply.Add(new ReplyPair("Framed-Pool", options.BlockedPool));
            }

            return reply;
        }

        if (line.DownKbps is { } down && line.UpKbps is { } up)
        {
            var factor = line.Turbo ? Math.Max(1, options.TurboFactor) : 1;
            reply.AddRange(VendorProfiles.Rate(vendor, checked(down * factor), checked(up * factor)));
        }

        if (line.StaticIp && !string.IsNullOrEmpty(line.Ip))
        {
            reply.Add(new ReplyPair("Framed-IP-Address", line.Ip));
        }

        return reply;
    }
}
