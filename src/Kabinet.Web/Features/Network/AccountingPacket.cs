namespace Kabinet.Web.Features.Network;

/// <summary>The kinds of Accounting-Request Kabinet handles (Acct-Status-Type).</summary>
public enum AccountingKind
{
    Start = 1,
    Stop = 2,
    Interim = 3,
    On = 7,
    Off = 8,
}

/// <summary>
/// One Accounting-Request as Kabinet stores it: counters are the NAS's cumulative totals with the
/// gigawords folded in (Acct-Input-Gigawords × 2^32 + Acct-Input-Octets). <see cref="NasIp"/> is
/// the NAS's key: its address, or its NAS-Identifier when it sends no address (IPv6-only NASes).
/// </summary>
public sealed record AccountingPacket(
    AccountingKind Kind,
    string UniqueId,
    string SessionId,
    string UserName,
    string NasIp,
    string? FramedIp,
    string? Mac,
    long? AccessPointId,
    DateTimeOffset At,
    long BytesIn,
    long BytesOut,
    string? Cause,
    long SessionSeconds,
    RadiusRequest Request)
{
    /// <summary>Reads a request; null (with the reason) when it lacks what accounting needs.</summary>
    public static AccountingPacket? From(RadiusRequest request, DateTimeOffset now, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(request);
        problem = null;
        AccountingKind? kind = request["Acct-Status-Type"] switch
        {
            "Start" or "1" => AccountingKind.Start,
            "Stop" or "2" => AccountingKind.Stop,
            "Interim-Update" or "Alive" or "3" => AccountingKind.Interim,
            "Accounting-On" or "7" => AccountingKind.On,
            "Accounting-Off" or "8" => AccountingKind.Off,
            _ => null,
        };
        var nasIp = request.NasKey;
        if (kind is null || nasIp is null)
        {
            problem = kind is null ? "Acct-Status-Type is missing or not handled" : "NAS-IP-Address, NAS-IPv6-Address, NAS-Identifier and the packet's source are all missing";
            return null;
        }

        var sessionId = request["Acct-Session-Id"] ?? "";
        var uniqueId = request["Acct-Unique-Session-Id"] ?? (sessionId.Length > 0 ? nasIp + "/" + sessionId : "");
        if (kind is not (AccountingKind.On or AccountingKind.Off) && uniqueId.Length == 0)
        {
            problem = "Acct-Session-Id is missing";
            return null;
        }

        var at = (request.EventTimestamp ?? now) - TimeSpan.FromSeconds(Math.Min(request.Number("Acct-Delay-Time"), 86_400));
        return new AccountingPacket(
            kind.Value,
            uniqueId,
            sessionId,
            request.UserName ?? "",
            nasIp,
            request["Framed-IP-Address"],
            request.Mac,
            Sessions.AccessPointFromClass(request["Class"]),
            at > now ? now : at,
            Total(request, "Acct-Input-Gigawords", "Acct-Input-Octets"),
            Total(request, "Acct-Output-Gigawords", "Acct-Output-Octets"),
            request["Acct-Terminate-Cause"],
            Math.Min(request.Number("Acct-Session-Time"), 10L * 366 * 86_400),
            request);
    }

    // Both are 32-bit on the wire; anything larger is a broken NAS or a forged packet, and would
    // overflow the 64-bit total into a negative count, so it is cut to what fits.
    private static long Total(RadiusRequest request, string gigawords, string octets) =>
        (Math.Min(request.Number(gigawords), int.MaxValue) << 32) + Math.Min(request.Number(octets), uint.MaxValue);
}
