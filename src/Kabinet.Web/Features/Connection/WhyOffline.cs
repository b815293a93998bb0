using System.Data.Common;
using Dapper;
using Kabinet.Domain.Subscribers;
using Kabinet.Web.Features.Localization;
using Kabinet.Web.Features.Network;
using Kabinet.Web.Features.Shared;
using Kabinet.Web.Hosting;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.Connection;

/// <summary>
/// "Why am I offline" (M14): the reasons Kabinet knows, most decisive first, each in plain words
/// with the action that fixes it.
/// </summary>
public sealed class WhyOffline(OperatorClock clock, Texts texts, Display display, IOptions<NetworkOptions> options)
{
    /// <summary>A wrong PPPoE password counts as a reason while it is this recent.</summary>
    private static readonly TimeSpan RecentReject = TimeSpan.FromHours(24);

    /// <summary>The reasons for one account, in the current language.</summary>
    public async Task<IReadOnlyList<OfflineReason>> ExplainAsync(DbConnection connection, ConnectionView view, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(view);
        var reasons = new List<OfflineReason>();
        var account = view.AccountId;
        switch (view.Status)
        {
            case AccountStatus.Blocked:
                reasons.Add(Reason("blocked", $"/pay?account={account}", ("balance", display.Money(view.Balance)), ("needed", display.Money(view.Needed))));
                break;
            case AccountStatus.Frozen:
                var until = await connection.ExecuteScalarAsync<DateOnly?>(new CommandDefinition(
                    "SELECT ends_on FROM freezes WHERE account_id = @account AND status = 1", new { account }, cancellationToken: ct));
                reasons.Add(Reason("frozen", $"/freeze?account={account}", ("until", until is { } d ? d.ToString("d", System.Globalization.CultureInfo.CurrentCulture) : "—")));
                break;
            case AccountStatus.Terminated:
                reasons.Add(Reason("terminated", null));
                break;
        }

        var points = (await connection.QueryAsync<(bool Enabled, DateTimeOffset? At, string? Result)>(new CommandDefinition(
            "SELECT enabled, last_auth_at, last_auth_result FROM access_points WHERE account_id = @account",
            new { account }, cancellationToken: ct))).ToList();
        if (points.Count > 0 && points.All(p => !p.Enabled))
        {
            reasons.Add(Reason("disabled", null));
        }

        var now = clock.UtcNow;
        if (view.Live is null && points.Any(p => p.Result == "reject:network.reason.wrong_password" && p.At > now - RecentReject))
        {
            reasons.Add(Reason("wrong_password", null));
        }

        var quiet = TimeSpan.FromHours(options.Value.OfflineHours);
        if (view.Live is null && (view.LastSeen is null || view.LastSeen < now - quiet))
        {
            reasons.Add(view.LastSeen is { } seen
                ? Reason("no_session", null, ("since", display.Time(seen)))
                : Reason("never", null));
        }

        return reasons;
    }

    private OfflineReason Reason(string code, string? link, params (string Name, object Value)[] args) =>
        new(code, texts.Format("connection.why." + code, args), texts["connection.fix." + code], link);
}
