using System.Globalization;

namespace Kabinet.Web.Features.Network;

/// <summary>A reply attribute (name and value, FreeRADIUS calls it a value pair) by its dictionary name; repeated names are all sent.</summary>
public sealed record ReplyPair(string Name, string Value);

/// <summary>
/// How each NAS family is told a speed. The NAS must have the named policies/profiles configured
/// (deploy/freeradius/README.md lists them); MikroTik and accel-ppp take the rate itself.
/// </summary>
public static class VendorProfiles
{
    /// <summary>The vendor profiles a NAS may have.</summary>
    public static readonly string[] Known = ["mikrotik", "cisco", "juniper", "accel-ppp"];

    /// <summary>True for a known vendor profile name.</summary>
    public static bool IsKnown(string vendor) => Known.Contains(vendor, StringComparer.Ordinal);

    /// <summary>The attributes that set a download/upload rate (kbit/s) on this vendor's NAS.</summary>
    public static IReadOnlyList<ReplyPair> Rate(string vendor, int downKbps, int upKbps)
    {
        var down = downKbps.ToString(CultureInfo.InvariantCulture);
        var up = upKbps.ToString(CultureInfo.InvariantCulture);
        return vendor switch
        {
            // rx/tx as the router sees them: it receives the subscriber's upload.
            "cisco" =>
            [
                new("Cisco-AVPair", $"ip:sub-qos-policy-in=KABINET_UP_{up}K"),
                new("Cisco-AVPair", $"ip:sub-qos-policy-out=KABINET_DOWN_{down}K"),
            ],
            "juniper" => [new("ERX-Qos-Profile-Name", $"KABINET_{down}K_{up}K")],
            // accel-ppp's shaper reads Filter-Id as "down/up" in kbit/s.
            "accel-ppp" => [new("Filter-Id", $"{down}/{up}")],
            _ => [new("Mikrotik-Rate-Limit", $"{up}k/{down}k")],
        };
    }
}
