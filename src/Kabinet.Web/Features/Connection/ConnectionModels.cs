using Kabinet.Domain.Money;
using Kabinet.Domain.Subscribers;

namespace Kabinet.Web.Features.Connection;

/// <summary>One RADIUS session as the subscriber sees it; bytes in = uploaded, out = downloaded.</summary>
public sealed record SessionView(
    DateTimeOffset StartedAt, DateTimeOffset UpdatedAt, DateTimeOffset? StoppedAt, string? StopCause,
    string? Ip, string? Mac, string NasIp, long BytesIn, long BytesOut);

/// <summary>Traffic of one day or one month (its first day).</summary>
public sealed record TrafficPoint(DateOnly Period, long BytesIn, long BytesOut);

/// <summary>A reason the subscriber may be offline, with what to do about it.</summary>
/// <param name="Code">Stable code for the API: blocked, frozen, terminated, disabled, wrong_password, no_session.</param>
/// <param name="Text">The explanation in the caller's language.</param>
/// <param name="Action">What to do, in the caller's language.</param>
/// <param name="Link">Where to do it in the cabinet, when there is a page for it.</param>
public sealed record OfflineReason(string Code, string Text, string Action, string? Link);

/// <summary>The connection of one account (M14): state, sessions, traffic and what may be wrong.</summary>
public sealed record ConnectionView(
    long AccountId,
    string Number,
    string Title,
    AccountStatus Status,
    Money Balance,
    Money Threshold,
    SessionView? Live,
    DateTimeOffset? LastSeen,
    IReadOnlyList<SessionView> Sessions,
    IReadOnlyList<TrafficPoint> Days,
    IReadOnlyList<TrafficPoint> Months,
    IReadOnlyList<OfflineReason> Reasons)
{
    /// <summary>What a payment must bring to lift the block (zero when not short).</summary>
    public Money Needed => Threshold > Balance ? Threshold - Balance : Money.Zero;
}
