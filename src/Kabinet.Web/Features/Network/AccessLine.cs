using Kabinet.Domain.Subscribers;

namespace Kabinet.Web.Features.Network;

/// <summary>
/// What the network needs to know about one access point: whose it is, the account's state, the
/// tariff's speed, and whether a static IP or Turbo is on.
/// </summary>
public sealed record AccessLine(
    long AccessPointId,
    long AccountId,
    AccessPointKind Kind,
    string? Login,
    string? PasswordProtected,
    string? Ip,
    bool Enabled,
    AccountStatus Status,
    int? DownKbps,
    int? UpKbps,
    bool StaticIp,
    bool Turbo);
