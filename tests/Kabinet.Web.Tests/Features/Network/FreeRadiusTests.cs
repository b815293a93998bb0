using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Domain.Ledger;
using Kabinet.Domain.Money;
using Kabinet.Web.Features.Network;
using Kabinet.Web.Features.Payments;
using Kabinet.Web.Integrations.Radius;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Kabinet.Web.Tests.Infrastructure.RadClient;

namespace Kabinet.Web.Tests.Features.Network;

/// <summary>
/// The real chain: radclient plays the NAS against FreeRADIUS running the repository's
/// deploy/freeradius config, which asks Kabinet on a real port; CoA and Disconnect go to a second
/// FreeRADIUS playing the NAS's CoA receiver.
/// </summary>
public abstract class FreeRadiusBed(params (string Key, string? Value)[] settings) : IAsyncLifetime
{
    private const string NasSecret = "nas-coa-secret";
    private KabinetFactory _factory = null!;
    private FreeRadiusServer _radius = null!;
    private NasEmulator _nas = null!;
    private RadClient _client = null!;

    public async Task InitializeAsync()
    {
        _factory = KabinetFactory.Sqlite(RadiusRest.Settings(
            [("Kabinet:Radius:CoaEnabled", "true"), ("Kabinet:Radius:CoaTimeoutMs", "500"), ("Kabinet:Radius:CoaAttempts", "3"), .. settings]));
        var url = _factory.StartRealServer();
        _radius = await FreeRadiusServer.StartKabinetAsync(url, RadiusRest.Secret);
        _nas = await NasEmulator.StartAsync(NasSecret);
        // Generous timeouts: the whole test run shares the machine with this FreeRADIUS.
        _client = new RadClient(_radius.AuthPort, _radius.AcctPort, _radius.Secret) { TimeoutSeconds = 8 };
        var saved = await _factory.Services.GetRequiredService<NetworkAdmin>()
            .SaveNasAsync("NAS emulator", "127.0.0.1", "mikrotik", NasSecret, _nas.Port, "test", default);
        saved.IsSuccess.ShouldBeTrue();

        // Warm the endpoints (JIT, key ring) so the first RADIUS exchange is not the slowest.
        using var warm = RadiusRest.Client(_factory);
        await RadiusRest.PostAsync(warm, "/radius/authorize", ("User-Name", "warm-up"));
    }

    public async Task DisposeAsync()
    {
        await _nas.DisposeAsync();
        await _radius.DisposeAsync();
        await _factory.DisposeAsync();
    }

    protected KabinetFactory Factory => _factory;

    protected FreeRadiusServer Radius => _radius;

    protected NasEmulator Nas => _nas;

    protected RadClient Client => _client;

    protected async Task<(string Login, long Account)> LineAsync(int n, string password)
    {
        var me = await TestSubscribers.PrepareAsync(_factory, n);
        var login = await TestSubscribers.ScalarAsync<string>(_factory,
            "SELECT login FROM access_points WHERE account_id = @id AND kind = 1 ORDER BY id LIMIT 1", new { id = me.AccountId });
        (await _factory.Services.GetRequiredService<NetworkAdmin>().SetPppoePasswordAsync(login, password, "test", default)).IsSuccess.ShouldBeTrue();
        return (login, me.AccountId);
    }

    protected async Task<string> StartSessionAsync(string login, string session, string ip)
    {
        var reply = await _client.AccountingAsync("Acct-Status-Type = Start", Attr("User-Name", login), "NAS-IP-Address = 127.0.0.1",
            Attr("Acct-Session-Id", session), "Framed-IP-Address = " + ip);
        reply.Code.ShouldBe(RadiusCode.AccountingResponse, reply.Output);
        return session;
    }

    /// <summary>A charge that takes the account below its threshold, posted and evaluated as the billing run does.</summary>
    protected Task ChargeBelowZeroAsync(long account) => LineMoney.ChargeBelowZeroAsync(_factory, account);

    protected Task PayAsync(long account, long kopecks) => LineMoney.PayAsync(_factory, account, kopecks);

    protected Task<List<(string Kind, string Outcome)>> OutcomesAsync(long account) =>
        TestSubscribers.QueryAsync<(string, string)>(_factory,
            "SELECT c.kind, c.outcome FROM coa_requests c JOIN account_events e ON e.id = c.event_id WHERE e.account_id = @account ORDER BY c.id", new { account });

    protected static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not hold in time.");
            }

            await Task.Delay(100);
        }
    }
}

/// <summary>FreeRADIUS end to end, a blocked account in the restricted pool (the default).</summary>
public sealed class FreeRadiusTests : FreeRadiusBed
{
    [Fact]
    public async Task PAP_CHAP_and_MS_CHAPv2_accept_with_the_speed_wrong_password_and_unknown_login_reject()
    {
        var (login, _) = await LineAsync(2, "pw-two-2");

        foreach (var reply in new[] { await Client.PapAsync(login, "pw-two-2"), await Client.ChapAsync(login, "pw-two-2"), await Client.MsChapV2Async(login, "pw-two-2") })
        {
            reply.Accepted.ShouldBeTrue(reply.Output + Radius.Diagnostics());
            reply.Get("Mikrotik-Rate-Limit").ShouldBe("100000k/100000k");
            reply.Get("Acct-Interim-Interval").ShouldBe("300");
        }

        var wrong = await Client.PapAsync(login, "not-it");
        wrong.Rejected.ShouldBeTrue(wrong.Output);
        wrong.Get("Mikrotik-Rate-Limit").ShouldBeNull();
        (await Client.ChapAsync(login, "not-it")).Rejected.ShouldBeTrue();
        (await Client.PapAsync("u-nobody", "whatever")).Rejected.ShouldBeTrue();

        // Post-auth recorded the reject for "why am I offline".
        await Factory.Services.GetRequiredService<PostAuthLog>().FlushAsync(default);
        (await TestSubscribers.ScalarAsync<string>(Factory, "SELECT last_auth_result FROM access_points WHERE login = @login", new { login }))
            .ShouldBe("reject:network.reason.wrong_password");

        // The site reports only rejects; the accept is learnt from the session that follows it.
        await StartSessionAsync(login, "after-" + Guid.NewGuid().ToString("N")[..6], "100.64.0.2");
        await Factory.Services.GetRequiredService<PostAuthLog>().FlushAsync(default);
        (await TestSubscribers.ScalarAsync<string>(Factory, "SELECT last_auth_result FROM access_points WHERE login = @login", new { login }))
            .ShouldBe("accept");
    }

    [Fact]
    public async Task Blocked_lands_in_the_restricted_pool_frozen_is_rejected_with_a_message_and_IPoE_works_by_MAC_and_Option_82()
    {
        var (login, account) = await LineAsync(3, "pw-three-3");
        await TestSubscribers.ExecuteAsync(Factory, "UPDATE accounts SET status = 2 WHERE id = @account", new { account });
        var blocked = await Client.PapAsync(login, "pw-three-3");
        blocked.Accepted.ShouldBeTrue(blocked.Output);
        blocked.Get("Framed-Pool").ShouldBe("kabinet-blocked");
        blocked.Get("Mikrotik-Rate-Limit").ShouldBeNull();

        await TestSubscribers.ExecuteAsync(Factory, "UPDATE accounts SET status = 3 WHERE id = @account", new { account });
        var frozen = await Client.PapAsync(login, "pw-three-3");
        frozen.Rejected.ShouldBeTrue(frozen.Output);
        frozen.Get("Reply-Message")!.ShouldContain("добровольной блокировке");

        await TestSubscribers.ExecuteAsync(Factory, "UPDATE accounts SET status = 1 WHERE id = @account", new { account });
        await TestSubscribers.ExecuteAsync(Factory,
            "INSERT INTO access_points (account_id, kind, mac) VALUES (@account, 2, '0a:11:22:33:44:55')", new { account });
        await TestSubscribers.ExecuteAsync(Factory,
            "INSERT INTO access_points (account_id, kind, remote_id, circuit_id) VALUES (@account, 2, 'sw-gogolya-44', 'ge-0/0/12')", new { account });
        var byMac = await Client.AuthAsync(Attr("User-Name", "0A1122334455"), Attr("Calling-Station-Id", "0A-11-22-33-44-55"));
        byMac.Accepted.ShouldBeTrue(byMac.Output);
        byMac.Get("Mikrotik-Rate-Limit").ShouldBe("100000k/100000k");
        var byPort = await Client.AuthAsync(Attr("User-Name", "dhcp"), Attr("ADSL-Agent-Remote-Id", "sw-gogolya-44"), Attr("ADSL-Agent-Circuit-Id", "ge-0/0/12"));
        byPort.Accepted.ShouldBeTrue(byPort.Output);
        (await Client.AuthAsync(Attr("User-Name", "dhcp"), Attr("Calling-Station-Id", "0a:99:99:99:99:99"))).Rejected.ShouldBeTrue();
    }

    [Fact]
    public async Task Accounting_through_FreeRADIUS_counts_duplicates_and_reordered_packets_once_with_gigawords()
    {
        var (login, account) = await LineAsync(4, "pw-four-4");
        var session = "e2e-" + Guid.NewGuid().ToString("N")[..8];
        string[] Packet(string type, long input, long output, long outputGigawords) =>
        [
            "Acct-Status-Type = " + type, Attr("User-Name", login), "NAS-IP-Address = 127.0.0.1", Attr("Acct-Session-Id", session),
            "Framed-IP-Address = 100.64.1.4", "Acct-Input-Octets = " + input, "Acct-Output-Octets = " + output,
            "Acct-Output-Gigawords = " + outputGigawords, "Acct-Terminate-Cause = Lost-Carrier",
        ];

        foreach (var packet in new[]
        {
            Packet("Start", 0, 0, 0), Packet("Interim-Update", 700, 9_000, 0), Packet("Interim-Update", 700, 9_000, 0),
            Packet("Interim-Update", 1_500, 100, 2), Packet("Interim-Update", 900, 10_000, 0), Packet("Stop", 2_000, 500, 2), Packet("Stop", 2_000, 500, 2),
        })
        {
            var reply = await Client.AccountingAsync(packet);
            reply.Code.ShouldBe(RadiusCode.AccountingResponse, reply.Output + Radius.Diagnostics());
        }

        var row = (await TestSubscribers.QueryAsync<(long BytesIn, long BytesOut, string Cause)>(Factory,
            "SELECT bytes_in, bytes_out, stop_cause FROM radius_sessions WHERE session_id = @session", new { session })).Single();
        row.ShouldBe((2_000L, (2L << 32) + 500, "Lost-Carrier"));
        (await TestSubscribers.ScalarAsync<long>(Factory, "SELECT SUM(bytes_out) FROM traffic_daily WHERE account_id = @account", new { account }))
            .ShouldBe((2L << 32) + 500);
    }

    [Fact]
    public async Task Blocking_by_a_charge_disconnects_the_session_and_paying_with_slow_down_mode_restores_the_speed_by_CoA()
    {
        // Pool mode (the default): a block must move the session to the pool, so it is disconnected.
        var (login, account) = await LineAsync(5, "pw-five-5");
        var session = await StartSessionAsync(login, "pool-" + Guid.NewGuid().ToString("N")[..6], "100.64.2.5");
        await ChargeBelowZeroAsync(account);
        var disconnect = (await Nas.ReceivedAsync(1, TimeSpan.FromSeconds(30)))[^1];
        disconnect.Code.ShouldBe(RadiusCode.DisconnectRequest);
        disconnect.Get("Acct-Session-Id").ShouldBe(session);
        disconnect.Get("User-Name").ShouldBe(login);
        // The NAS answers before the dispatcher writes down the outcome: wait for the record.
        await WaitForAsync(async () => (await OutcomesAsync(account)).Count > 0, TimeSpan.FromSeconds(30));
        (await OutcomesAsync(account)).ShouldBe([("disconnect", "ack")]);
    }
}

/// <summary>FreeRADIUS end to end, a blocked account slowed down in place: CoA carries the speeds.</summary>
public sealed class FreeRadiusSlowDownTests() : FreeRadiusBed(("Kabinet:Radius:BlockedRateKbps", "512"))
{
    [Fact]
    public async Task In_slow_down_mode_block_and_payment_change_the_speed_by_CoA_NAK_falls_back_to_Disconnect_and_silence_times_out()
    {
        var (login, account) = await LineAsync(6, "pw-six-6");
        var session = await StartSessionAsync(login, "slow-" + Guid.NewGuid().ToString("N")[..6], "100.64.3.6");
        var seen = Nas.Received().Count;

        await ChargeBelowZeroAsync(account);
        var slow = (await Nas.ReceivedAsync(seen + 1, TimeSpan.FromSeconds(30)))[seen];
        slow.Code.ShouldBe(RadiusCode.CoaRequest);
        slow.Get("Acct-Session-Id").ShouldBe(session);
        slow.Get("Mikrotik-Rate-Limit").ShouldBe("512k/512k");

        await PayAsync(account, 1_000_00);
        var restored = (await Nas.ReceivedAsync(seen + 2, TimeSpan.FromSeconds(30)))[seen + 1];
        restored.Code.ShouldBe(RadiusCode.CoaRequest);
        restored.Get("Mikrotik-Rate-Limit").ShouldBe("100000k/100000k");

        // The NAS refuses CoA: Kabinet ends the session instead.
        await Nas.SetRepliesAsync(NasReply.Nak, NasReply.Ack);
        await ChargeBelowZeroAsync(account);
        var fallback = await Nas.ReceivedAsync(seen + 4, TimeSpan.FromSeconds(30));
        fallback[seen + 2].Code.ShouldBe(RadiusCode.CoaRequest);
        fallback[seen + 3].Code.ShouldBe(RadiusCode.DisconnectRequest);

        // The NAS does not answer: three attempts with back-off, then the timeout is recorded.
        await Nas.SetRepliesAsync(NasReply.Silent, NasReply.Silent);
        await PayAsync(account, 2_000_00);
        await WaitForAsync(async () => (await OutcomesAsync(account)).Contains(("coa", "timeout")), TimeSpan.FromSeconds(40));
        var outcomes = await TestSubscribers.QueryAsync<(string Kind, string Outcome, long Attempts)>(Factory,
            "SELECT c.kind, c.outcome, c.attempts FROM coa_requests c JOIN account_events e ON e.id = c.event_id WHERE e.account_id = @account ORDER BY c.id", new { account });
        outcomes.Select(o => (o.Kind, o.Outcome)).ShouldBe([("coa", "ack"), ("coa", "ack"), ("coa", "nak"), ("disconnect", "ack"), ("coa", "timeout")], "a NAS that does not answer is not sent a Disconnect either");
        outcomes[4].Attempts.ShouldBe(3);
    }
}
