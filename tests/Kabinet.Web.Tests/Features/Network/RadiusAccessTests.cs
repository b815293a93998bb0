using Kabinet.Data.Connections;
using Kabinet.Web.Cli;
using Kabinet.Web.Features.Network;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Kabinet.Web.Tests.Features.Network.RadiusRest;
using static Kabinet.Web.Tests.Features.TestSubscribers;

namespace Kabinet.Web.Tests.Features.Network;

/// <summary>
/// Issue 14, points 11, 12, 16, 17 and 18 over HTTP: what a refused line is told and when, NASes
/// without NAS-IP-Address, a session first heard of mid-way, the policies a Cisco or Juniper NAS needs.
/// </summary>
public abstract class RadiusAccessTests
{
    private readonly KabinetFactory _factory;

    protected RadiusAccessTests(KabinetFactory factory)
    {
        _factory = factory;
        factory.Clock.Set(Now);
    }

    [Fact]
    public async Task A_tariff_without_internet_is_refused_never_accepted_without_a_rate()
    {
        var me = await PrepareAsync(_factory, 21, "tv-basic");
        var login = await LoginOfAsync(me);
        (await _factory.Services.GetRequiredService<NetworkAdmin>().SetPppoePasswordAsync(login, "secret-21", "test", default)).IsSuccess.ShouldBeTrue();
        using var radius = Client(_factory);

        var (status, body) = await PostAsync(radius, "/radius/authorize", ("User-Name", login), ("NAS-IP-Address", "127.0.0.1"));
        status.ShouldBe(401, "an Accept without a rate limit is unlimited internet");
        Value(body, "reply:Reply-Message")!.ShouldContain("нет интернета");

        (status, body) = await PostAsync(radius, "/radius/authorize?refusals=post-auth", ("User-Name", login), ("NAS-IP-Address", "127.0.0.1"));
        status.ShouldBe(200);
        Value(body, "control:Cleartext-Password").ShouldBe("secret-21");
        Value(body, "control:Tmp-String-1")!.ShouldContain("нет интернета");
        body.EnumerateObject().Where(p => p.Name.StartsWith("reply:", StringComparison.Ordinal)).ShouldBeEmpty("nothing that could let the line in");

        // The demo's own TV-only accounts have no PPPoE login at all.
        (await ScalarAsync<long>(_factory, "SELECT COUNT(*) FROM accounts a JOIN tariffs t ON t.id = a.tariff_id WHERE t.code = 'tv-basic' AND a.id <> @id",
            new { id = me.AccountId })).ShouldBeGreaterThan(0);
        (await ScalarAsync<long>(_factory,
            "SELECT COUNT(*) FROM access_points ap JOIN accounts a ON a.id = ap.account_id JOIN tariffs t ON t.id = a.tariff_id WHERE t.code = 'tv-basic' AND a.id <> @id",
            new { id = me.AccountId })).ShouldBe(0);
    }

    [Fact]
    public async Task With_refusals_in_post_auth_a_frozen_line_gets_its_reason_only_in_control_and_no_reply_attributes()
    {
        var me = await PrepareAsync(_factory, 22);
        var login = await LoginOfAsync(me);
        (await _factory.Services.GetRequiredService<NetworkAdmin>().SetPppoePasswordAsync(login, "secret-22", "test", default)).IsSuccess.ShouldBeTrue();
        await ExecuteAsync(_factory, "UPDATE accounts SET status = 3 WHERE id = @id", new { id = me.AccountId });
        using var radius = Client(_factory);

        var (status, body) = await PostAsync(radius, "/radius/authorize?refusals=post-auth", ("User-Name", login));
        status.ShouldBe(200);
        Value(body, "control:Cleartext-Password").ShouldBe("secret-22");
        Value(body, "control:Tmp-String-1")!.ShouldContain("добровольной блокировке");
        Value(body, "reply:Reply-Message").ShouldBeNull("said only after the password checked out");
        body.EnumerateObject().Where(p => p.Name.StartsWith("reply:", StringComparison.Ordinal)).ShouldBeEmpty();

        // A line without a PPPoE password has nothing to prove ownership with: a plain reject.
        await ExecuteAsync(_factory, "UPDATE access_points SET password_protected = NULL WHERE login = @login", new { login });
        (status, body) = await PostAsync(radius, "/radius/authorize?refusals=post-auth", ("User-Name", login));
        status.ShouldBe(401);
        Value(body, "reply:Reply-Message").ShouldBeNull();
        Value(body, "control:Tmp-String-1").ShouldBeNull();
    }

    [Fact]
    public async Task Accounting_without_NAS_IP_Address_is_stored_under_the_packet_source_NAS_IPv6_Address_or_NAS_Identifier()
    {
        var me = await PrepareAsync(_factory, 23);
        var login = await LoginOfAsync(me);
        using var radius = Client(_factory);
        (string, object)[] Start(string session, params (string, object)[] nas) =>
            [("Acct-Status-Type", "Start"), ("User-Name", login), ("Acct-Session-Id", session), .. nas];

        (await PostAsync(radius, "/radius/accounting", Start("v6-src", ("NAS-Identifier", "bras-v6"), ("Packet-Src-IPv6-Address", "2001:db8::5")))).Status.ShouldBe(204);
        (await PostAsync(radius, "/radius/accounting", Start("v6-nas", ("NAS-IPv6-Address", "2001:db8::6"), ("Packet-Src-IPv6-Address", "2001:db8::5")))).Status.ShouldBe(204);
        (await PostAsync(radius, "/radius/accounting", Start("id-only", ("NAS-Identifier", "bras-north")))).Status.ShouldBe(204);

        var rows = await QueryAsync<(string Session, string Nas, long? Account)>(_factory,
            "SELECT session_id, nas_ip, account_id FROM radius_sessions WHERE session_id IN ('v6-src', 'v6-nas', 'id-only') ORDER BY session_id");
        rows.ShouldBe([("id-only", "bras-north", me.AccountId), ("v6-nas", "2001:db8::6", me.AccountId), ("v6-src", "2001:db8::5", me.AccountId)]);

        (await PostAsync(radius, "/radius/accounting", ("Acct-Status-Type", "Stop"), ("User-Name", login), ("Acct-Session-Id", "id-only"),
            ("NAS-Identifier", "bras-north"), ("Acct-Terminate-Cause", "User-Request"))).Status.ShouldBe(204);
        (await ScalarAsync<string>(_factory, "SELECT stop_cause FROM radius_sessions WHERE session_id = 'id-only'")).ShouldBe("User-Request");
    }

    [Fact]
    public async Task A_session_first_heard_of_by_an_Interim_or_a_Stop_started_Acct_Session_Time_before_it()
    {
        var me = await PrepareAsync(_factory, 24);
        var login = await LoginOfAsync(me);
        using var radius = Client(_factory);

        (await PostAsync(radius, "/radius/accounting", ("Acct-Status-Type", "Interim-Update"), ("User-Name", login), ("NAS-IP-Address", "127.0.0.1"),
            ("Acct-Session-Id", "mid-24"), ("Acct-Session-Time", 5_400L))).Status.ShouldBe(204);
        (await PostAsync(radius, "/radius/accounting", ("Acct-Status-Type", "Stop"), ("User-Name", login), ("NAS-IP-Address", "127.0.0.1"),
            ("Acct-Session-Id", "stop-24"), ("Acct-Session-Time", 600L), ("Acct-Delay-Time", 30L))).Status.ShouldBe(204);

        (await ScalarAsync<DateTimeOffset>(_factory, "SELECT started_at FROM radius_sessions WHERE session_id = 'mid-24'")).ShouldBe(Now.AddMinutes(-90));
        (await ScalarAsync<DateTimeOffset>(_factory, "SELECT updated_at FROM radius_sessions WHERE session_id = 'mid-24'")).ShouldBe(Now);
        (await ScalarAsync<DateTimeOffset>(_factory, "SELECT started_at FROM radius_sessions WHERE session_id = 'stop-24'")).ShouldBe(Now.AddSeconds(-630));
    }

    [Fact]
    public async Task The_radius_policies_verb_prints_a_policy_for_every_tariff_rate_its_Turbo_and_the_blocked_rate()
    {
        string[] Args(params string[] verbArgs) => _factory.VerbArguments(
        [
            .. verbArgs,
            "--Kabinet:Radius:BlockedRateKbps=512",
            "--Kabinet:Radius:TurboFactor=3",
            "--Kabinet:Radius:CoaEnabled=false",
            "--Kabinet:Billing:Enabled=false",
        ]);

        using var cisco = new StringWriter();
        (await Verbs.RunAsync("radius-policies", Args("--vendor", "cisco"), cisco)).ShouldBe(0);
        var text = cisco.ToString();
        // Every name VendorProfiles may send for the demo tariffs (50, 100, 300, 500, 1000 Mbit/s), with Turbo ×3, and the blocked rate.
        foreach (var kbps in new[] { 50_000, 100_000, 300_000, 500_000, 1_000_000, 150_000, 900_000, 3_000_000, 512 })
        {
            foreach (var pair in VendorProfiles.Rate("cisco", kbps, kbps))
            {
                text.ShouldContain("policy-map " + pair.Value[(pair.Value.IndexOf('=', StringComparison.Ordinal) + 1)..] + "\n");
            }
        }

        text.ShouldContain("  police cir 100000000\n");
        text.ShouldContain("  police cir 512000\n");
        text.ShouldNotContain("KABINET_UP_0K");

        using var juniper = new StringWriter();
        (await Verbs.RunAsync("radius-policies", Args("--vendor", "juniper"), juniper)).ShouldBe(0);
        foreach (var kbps in new[] { 100_000, 300_000, 512 })
        {
            var profile = VendorProfiles.Rate("juniper", kbps, kbps).Single().Value;
            juniper.ToString().ShouldContain($"traffic-control-profiles {profile} shaping-rate {kbps}k");
            juniper.ToString().ShouldContain($"set firewall policer {profile}-up if-exceeding bandwidth-limit {kbps}k");
        }

        using var none = new StringWriter();
        (await Verbs.RunAsync("radius-policies", Args("--vendor", "mikrotik"), none)).ShouldBe(2, "MikroTik takes the rate itself");
        (await Verbs.RunAsync("radius-policies", Args("--vendor", "huawei"), none)).ShouldBe(2);
    }

    private Task<string> LoginOfAsync(Prepared me) =>
        ScalarAsync<string>(_factory, "SELECT login FROM access_points WHERE account_id = @id AND kind = 1 ORDER BY id LIMIT 1", new { id = me.AccountId });
}

public sealed class SqliteRadiusAccessTests(SqliteRadiusApp app) : RadiusAccessTests(app.Factory), IClassFixture<SqliteRadiusApp>;

[Collection("postgres")]
public sealed class PostgresRadiusAccessTests(PostgresRadiusApp app) : RadiusAccessTests(app.Factory), IClassFixture<PostgresRadiusApp>;
