using System.Collections.Frozen;

namespace Kabinet.Web.Integrations.Radius;

/// <summary>How an attribute's value is written on the wire.</summary>
public enum RadiusValueKind
{
    Octets,
    Text,
    Number,
    Address,
}

/// <summary>One named attribute: its number, vendor (0 for standard) and value kind.</summary>
public sealed record RadiusAttributeDefinition(string Name, byte Type, uint VendorId, RadiusValueKind Kind);

/// <summary>
/// The attributes Kabinet uses, by their FreeRADIUS dictionary names, so configuration and logs can
/// name them ("Mikrotik-Rate-Limit") rather than number them.
/// </summary>
public static class RadiusAttributeNames
{
    private static readonly RadiusAttributeDefinition[] Definitions =
    [
        new("User-Name", RadiusAttributeType.UserName, 0, RadiusValueKind.Text),
        new("User-Password", RadiusAttributeType.UserPassword, 0, RadiusValueKind.Octets),
        new("CHAP-Password", RadiusAttributeType.ChapPassword, 0, RadiusValueKind.Octets),
        new("NAS-IP-Address", RadiusAttributeType.NasIpAddress, 0, RadiusValueKind.Address),
        new("NAS-Port", RadiusAttributeType.NasPort, 0, RadiusValueKind.Number),
        new("Framed-IP-Address", RadiusAttributeType.FramedIpAddress, 0, RadiusValueKind.Address),
        new("Filter-Id", RadiusAttributeType.FilterId, 0, RadiusValueKind.Text),
        new("Reply-Message", RadiusAttributeType.ReplyMessage, 0, RadiusValueKind.Text),
        new("State", RadiusAttributeType.State, 0, RadiusValueKind.Octets),
        new("Class", RadiusAttributeType.Class, 0, RadiusValueKind.Octets),
        new("Session-Timeout", RadiusAttributeType.SessionTimeout, 0, RadiusValueKind.Number),
        new("Called-Station-Id", RadiusAttributeType.CalledStationId, 0, RadiusValueKind.Text),
        new("Calling-Station-Id", RadiusAttributeType.CallingStationId, 0, RadiusValueKind.Text),
        new("NAS-Identifier", RadiusAttributeType.NasIdentifier, 0, RadiusValueKind.Text),
        new("Acct-Status-Type", RadiusAttributeType.AcctStatusType, 0, RadiusValueKind.Number),
        new("Acct-Input-Octets", RadiusAttributeType.AcctInputOctets, 0, RadiusValueKind.Number),
        new("Acct-Output-Octets", RadiusAttributeType.AcctOutputOctets, 0, RadiusValueKind.Number),
        new("Acct-Session-Id", RadiusAttributeType.AcctSessionId, 0, RadiusValueKind.Text),
        new("Acct-Input-Gigawords", RadiusAttributeType.AcctInputGigawords, 0, RadiusValueKind.Number),
        new("Acct-Output-Gigawords", RadiusAttributeType.AcctOutputGigawords, 0, RadiusValueKind.Number),
        new("Event-Timestamp", RadiusAttributeType.EventTimestamp, 0, RadiusValueKind.Number),
        new("CHAP-Challenge", RadiusAttributeType.ChapChallenge, 0, RadiusValueKind.Octets),
        new("Message-Authenticator", RadiusAttributeType.MessageAuthenticator, 0, RadiusValueKind.Octets),
        new("Framed-Pool", RadiusAttributeType.FramedPool, 0, RadiusValueKind.Text),
        new("Error-Cause", RadiusAttributeType.ErrorCause, 0, RadiusValueKind.Number),
        new("Mikrotik-Rate-Limit", RadiusVendor.MikrotikRateLimit, RadiusVendor.Mikrotik, RadiusValueKind.Text),
        new("Cisco-AVPair", RadiusVendor.CiscoAvPair, RadiusVendor.Cisco, RadiusValueKind.Text),
        new("ERX-Qos-Profile-Name", RadiusVendor.ErxQosProfileName, RadiusVendor.JuniperErx, RadiusValueKind.Text),
    ];

    private static readonly FrozenDictionary<string, RadiusAttributeDefinition> ByName =
        Definitions.ToFrozenDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<(uint Vendor, byte Type), RadiusAttributeDefinition> ByNumber =
        Definitions.ToFrozenDictionary(d => (d.VendorId, d.Type));

    /// <summary>Vendors whose Vendor-Specific attributes use the RFC 2865 §5.26 layout (1-octet type and length).</summary>
    public static bool IsKnownVendor(uint vendorId) =>
        vendorId is RadiusVendor.Mikrotik or RadiusVendor.Cisco or RadiusVendor.JuniperErx or RadiusVendor.Microsoft;

    public static RadiusAttributeDefinition? Find(string name) =>
        ByName.TryGetValue(name, out var definition) ? definition : null;

    public static RadiusAttributeDefinition? Find(uint vendorId, byte type) =>
        ByNumber.TryGetValue((vendorId, type), out var definition) ? definition : null;
}
