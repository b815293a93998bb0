namespace Kabinet.Web.Integrations.Radius;

/// <summary>Standard attribute types Kabinet reads or writes (RFC 2865, 2866, 2869, 3576, 5176).</summary>
public static class RadiusAttributeType
{
    public const byte UserName = 1;
    public const byte UserPassword = 2;
    public const byte ChapPassword = 3;
    public const byte NasIpAddress = 4;
    public const byte NasPort = 5;
    public const byte FramedIpAddress = 8;
    public const byte FilterId = 11;
    public const byte ReplyMessage = 18;
    public const byte State = 24;
    public const byte Class = 25;
    public const byte VendorSpecific = 26;
    public const byte SessionTimeout = 27;
    public const byte CalledStationId = 30;
    public const byte CallingStationId = 31;
    public const byte NasIdentifier = 32;
    public const byte AcctStatusType = 40;
    public const byte AcctInputOctets = 42;
    public const byte AcctOutputOctets = 43;
    public const byte AcctSessionId = 44;
    public const byte AcctInputGigawords = 52;
    public const byte AcctOutputGigawords = 53;
    public const byte EventTimestamp = 55;
    public const byte ChapChallenge = 60;
    public const byte MessageAuthenticator = 80;
    public const byte FramedPool = 88;
    public const byte ErrorCause = 101;
}

/// <summary>IANA enterprise numbers of the NAS vendors whose attributes Kabinet sends.</summary>
public static class RadiusVendor
{
    public const uint Cisco = 9;
    public const uint Microsoft = 311;
    public const uint JuniperErx = 4874;
    public const uint Mikrotik = 14988;

    public const byte MikrotikRateLimit = 8;
    public const byte CiscoAvPair = 1;
    public const byte ErxQosProfileName = 26;
}
