using System.Globalization;

namespace Kabinet.Web.Features.Network;

/// <summary>What a NAS must be told about a live session after an account event.</summary>
public enum CoaAction
{
    /// <summary>Nothing: the event does not change what the session may do.</summary>
    None,

    /// <summary>CoA-Request with the session's new attributes (speed).</summary>
    Change,

    /// <summary>Disconnect-Request: the subscriber reconnects and gets the new state (pool, IP).</summary>
    Disconnect,
}

/// <summary>
/// Maps the billing outbox's events to CoA (RFC 5176). A blocked account in pool mode must leave
/// its session to get a pool address, so it is disconnected; in slow-down mode its speed is
/// changed in place. Unblocking mirrors it. A freeze disconnects (the next request is refused);
/// a tariff change, a Turbo bought or run out changes the speed; a static IP switched on or off disconnects, since
/// an address cannot change inside a session.
/// </summary>
public static class CoaPlan
{
    /// <summary>
    /// The event of a session that came back after being closed as stale; its details name the
    /// session and the first event it missed ("session=7;missed_from=120").
    /// </summary>
    public const string SessionResumed = "session_resumed";

    /// <summary>The stronger of two actions: a Disconnect covers a change, a change covers nothing.</summary>
    public static CoaAction Stronger(CoaAction a, CoaAction b) => (CoaAction)Math.Max((int)a, (int)b);

    /// <summary>A number in an event's details ("name=12;..."), or null.</summary>
    public static long? Detail(string details, string name)
    {
        var prefix = name + "=";
        foreach (var part in (details ?? "").Split(';'))
        {
            if (part.StartsWith(prefix, StringComparison.Ordinal)
                && long.TryParse(part.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>The action for an event; <paramref name="serviceRole"/> is the network role of the service it names, if any.</summary>
    public static CoaAction For(string kind, string? serviceRole, bool throttlesBlocked) => kind switch
    {
        "blocked" or "unblocked" => throttlesBlocked ? CoaAction.Change : CoaAction.Disconnect,
        "frozen" => CoaAction.Disconnect,
        "tariff_changed" => CoaAction.Change,
        _ => serviceRole switch
        {
            "turbo" => CoaAction.Change,
            "static_ip" => CoaAction.Disconnect,
            _ => CoaAction.None,
        },
    };

    /// <summary>The service id in an event's details ("service=12;..."), or null.</summary>
    public static long? ServiceId(string details) => Detail(details, "service");
}
