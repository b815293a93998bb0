using Kabinet.Web.Features.Network;

namespace Kabinet.Web.Tests.Features.Network;

/// <summary>Which account events reach the NAS, and how (RFC 5176 CoA or Disconnect).</summary>
public sealed class CoaPlanTests
{
    [Theory]
    [InlineData("blocked", null, false, CoaAction.Disconnect)]
    [InlineData("unblocked", null, false, CoaAction.Disconnect)]
    [InlineData("blocked", null, true, CoaAction.Change)]
    [InlineData("unblocked", null, true, CoaAction.Change)]
    [InlineData("frozen", null, true, CoaAction.Disconnect)]
    [InlineData("tariff_changed", null, false, CoaAction.Change)]
    [InlineData("turbo", "turbo", false, CoaAction.Change)]
    [InlineData("turbo_ended", "turbo", false, CoaAction.Change)]
    [InlineData("service_on", "static_ip", false, CoaAction.Disconnect)]
    [InlineData("service_off", "static_ip", true, CoaAction.Disconnect)]
    [InlineData("service_on", null, false, CoaAction.None)]
    [InlineData("promised_taken", null, false, CoaAction.None)]
    [InlineData("autopay_failed", null, false, CoaAction.None)]
    public void Events_map_to_the_right_request(string kind, string? role, bool throttles, CoaAction expected) =>
        CoaPlan.For(kind, role, throttles).ShouldBe(expected);

    [Theory]
    [InlineData("service=12;until=2027-03-10T05:00:00Z", 12L)]
    [InlineData("service=7", 7L)]
    [InlineData("rule=3;service=x", null)]
    [InlineData("", null)]
    public void The_service_is_read_from_the_event_details(string details, long? expected) =>
        CoaPlan.ServiceId(details).ShouldBe(expected);
}
