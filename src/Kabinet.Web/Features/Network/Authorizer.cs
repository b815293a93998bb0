using Kabinet.Domain.Subscribers;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.Network;

/// <summary>What Kabinet answers FreeRADIUS's authorize call.</summary>
public abstract record AuthDecision
{
    /// <summary>Let FreeRADIUS check the password (or accept, for IPoE) and send these attributes.</summary>
    public sealed record Allow(AccessLine Line, IReadOnlyList<ReplyPair> Control, IReadOnlyList<ReplyPair> Reply) : AuthDecision;

    /// <summary>
    /// Refuse, with the reason's text key (sent as Reply-Message) and the line's credentials, if it
    /// has any: the reason is for the one who proves to own the line (RadiusEndpoints).
    /// </summary>
    public sealed record Refuse(AccessLine Line, string Reason, IReadOnlyList<ReplyPair> Control) : AuthDecision;

    /// <summary>No access point answers to this request.</summary>
    public sealed record Unknown : AuthDecision;
}

/// <summary>
/// Decides an Access-Request (M31, M32): an unknown login is not found; a disabled access point, a
/// frozen or terminated account, a tariff without internet (TV only) is refused; a blocked account
/// is let into the restricted pool;
/// an active one gets its tariff's speed. PPPoE passwords go to FreeRADIUS as
/// Cleartext-Password so that its own PAP, CHAP and MS-CHAPv2 modules check them.
/// </summary>
public sealed class Authorizer(AccessLines lines, NasDirectory nas, NetworkSecrets secrets, IOptions<NetworkOptions> options)
{
    /// <summary>Decides one request.</summary>
    public async Task<AuthDecision> DecideAsync(RadiusRequest request, CancellationToken ct)
    {
        var line = await lines.FindAsync(request, ct);
        if (line is null)
        {
            return new AuthDecision.Unknown();
        }

        IReadOnlyList<ReplyPair> control;
        if (line.Kind == AccessPointKind.Ipoe)
        {
            control = [new ReplyPair("Auth-Type", "Accept")];
        }
        else if (secrets.Unprotect(line.PasswordProtected) is { } password)
        {
            control = [new ReplyPair("Cleartext-Password", password)];
        }
        else
        {
            return new AuthDecision.Refuse(line, Refusal(line) ?? "network.reason.no_password", []);
        }

        if (Refusal(line) is { } reason)
        {
            return new AuthDecision.Refuse(line, reason, control);
        }

        var vendor = await nas.VendorAsync(request.NasIp, ct);
        var reply = new List<ReplyPair>(LineReply.For(line, vendor, options.Value))
        {
            // The NAS echoes Class in accounting, which ties a session to its access point.
            new("Class", Sessions.ClassPrefix + line.AccessPointId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Acct-Interim-Interval", options.Value.InterimSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        return new AuthDecision.Allow(line, control, reply);
    }

    /// <summary>Why a line may not connect at all, as a text key; null when it may.</summary>
    public static string? Refusal(AccessLine line) => line switch
    {
        { Enabled: false } => "network.reason.disabled",
        { Status: AccountStatus.Frozen } => "network.reason.frozen",
        { Status: AccountStatus.Terminated } => "network.reason.terminated",
        // An Accept without a rate would be unlimited internet for a TV-only tariff (or none).
        { DownKbps: null } or { UpKbps: null } => "network.reason.no_internet",
        _ => null,
    };
}
