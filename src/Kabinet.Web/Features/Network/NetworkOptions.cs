namespace Kabinet.Web.Features.Network;

/// <summary>The <c>Kabinet:Radius</c> section: how FreeRADIUS reaches Kabinet and what it answers.</summary>
public sealed class NetworkOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "Kabinet:Radius";

    /// <summary>
    /// The secret FreeRADIUS's rest module sends as the HTTP basic password (user <c>freeradius</c>).
    /// Empty switches the RADIUS endpoints off: they answer 404 to everyone.
    /// </summary>
    public string Secret { get; set; } = "";

    /// <summary>The addresses FreeRADIUS connects from; any other caller is refused.</summary>
    public string[] AllowedHosts { get; set; } = ["127.0.0.1", "::1"];

    /// <summary>The address pool a blocked account's session is put in (reaches only the captive page).</summary>
    public string BlockedPool { get; set; } = "kabinet-blocked";

    /// <summary>
    /// When set, a blocked account is slowed down to this many kbit/s instead of being put in
    /// <see cref="BlockedPool"/>.
    /// </summary>
    public int? BlockedRateKbps { get; set; }

    /// <summary>The vendor profile for a NAS Kabinet does not know (mikrotik, cisco, juniper, accel-ppp).</summary>
    public string DefaultVendor { get; set; } = "mikrotik";

    /// <summary>How much faster Turbo makes the tariff's speed while it runs.</summary>
    public int TurboFactor { get; set; } = 2;

    /// <summary>The interim accounting interval the NAS is asked for (Acct-Interim-Interval), in seconds.</summary>
    public int InterimSeconds { get; set; } = 300;

    /// <summary>A live session without accounting for this long is closed as stale.</summary>
    public int StaleSessionMinutes { get; set; } = 20;

    /// <summary>"No session for N hours" is one of the reasons shown when a subscriber is offline.</summary>
    public int OfflineHours { get; set; } = 1;

    /// <summary>CoA and Disconnect: attempts per request and the first reply timeout (doubling after each).</summary>
    public int CoaAttempts { get; set; } = 3;

    /// <summary>The first reply timeout of a CoA or Disconnect request, in milliseconds.</summary>
    public int CoaTimeoutMs { get; set; } = 1000;

    /// <summary>
    /// How many more times a CoA or Disconnect the NAS refused (NAK) or never answered is tried,
    /// after <see cref="CoaRetryDelaySeconds"/>, doubling each time; 0 makes the first outcome final.
    /// </summary>
    public int CoaRetries { get; set; } = 5;

    /// <summary>The delay before the first retry of a refused or unanswered CoA/Disconnect, in seconds.</summary>
    public int CoaRetryDelaySeconds { get; set; } = 30;

    /// <summary>Whether this instance sends CoA (any number may; one at a time does, by lease).</summary>
    public bool CoaEnabled { get; set; } = true;
}
