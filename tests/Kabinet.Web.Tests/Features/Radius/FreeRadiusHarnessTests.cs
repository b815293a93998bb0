using System.Net;
using Kabinet.Web.Integrations.Radius;
using Kabinet.Web.Tests.Infrastructure;

namespace Kabinet.Web.Tests.Features.Radius;

/// <summary>
/// The real-FreeRADIUS harness proves itself without Kabinet: radclient against the files site,
/// our RadiusClient against a second FreeRADIUS playing the NAS's CoA port.
/// </summary>
public sealed class FreeRadiusHarnessTests
{
    private const string Users = """
        alice Cleartext-Password := "wonderland"
        	Mikrotik-Rate-Limit = "20M/50M",
        	Framed-IP-Address = 100.64.0.7

        """;

    [Fact]
    public async Task Files_site_accepts_pap_chap_and_mschapv2_and_rejects_a_wrong_password()
    {
        await using var server = await FreeRadiusServer.StartFilesAsync(Users);
        var nas = server.RadClient();

        var pap = await nas.PapAsync("alice", "wonderland");
        var chap = await nas.ChapAsync("alice", "wonderland");
        var mschap = await nas.MsChapV2Async("alice", "wonderland");
        var wrong = await nas.PapAsync("alice", "looking-glass");
        var wrongMsChap = await nas.MsChapV2Async("alice", "looking-glass");

        pap.Accepted.ShouldBeTrue(pap.Output + server.Diagnostics());
        pap.Get("Mikrotik-Rate-Limit").ShouldBe("20M/50M");
        pap.Get("Framed-IP-Address").ShouldBe("100.64.0.7");
        chap.Accepted.ShouldBeTrue(chap.Output);
        mschap.Accepted.ShouldBeTrue(mschap.Output + server.Diagnostics());
        mschap.Get("MS-CHAP2-Success").ShouldNotBeNull("FreeRADIUS proves it knows the password back");
        wrong.Rejected.ShouldBeTrue(wrong.Output);
        wrong.Get("Mikrotik-Rate-Limit").ShouldBeNull("a reject carries no service attributes");
        wrongMsChap.Rejected.ShouldBeTrue(wrongMsChap.Output);
    }

    [Fact]
    public async Task Files_site_acknowledges_accounting()
    {
        await using var server = await FreeRadiusServer.StartFilesAsync(Users);

        var reply = await server.RadClient().AccountingAsync(
            "Acct-Status-Type = Start", RadClient.Attr("User-Name", "alice"), RadClient.Attr("Acct-Session-Id", "81200004"));

        reply.Code.ShouldBe(RadiusCode.AccountingResponse, reply.Output);
    }

    [Fact]
    public async Task Kabinet_site_from_deploy_loads_and_fails_closed_while_kabinet_is_unreachable()
    {
        // Port 9 (discard) on loopback: nothing listens, every HTTP call fails at once.
        await using var server = await FreeRadiusServer.StartKabinetAsync(new Uri("http://127.0.0.1:9"), "kabinet-secret");
        var nas = new RadClient(server.AuthPort, server.AcctPort, server.Secret) { TimeoutSeconds = 2 };

        var access = await nas.PapAsync("alice", "wonderland");
        var accounting = await nas.AccountingAsync(
            "Acct-Status-Type = Start", RadClient.Attr("User-Name", "alice"), RadClient.Attr("Acct-Session-Id", "81200004"));

        access.Rejected.ShouldBeTrue(access.Output + server.Diagnostics());
        accounting.TimedOut.ShouldBeTrue("an accounting packet Kabinet did not store is not acknowledged");
    }

    [Fact]
    public async Task Our_access_request_with_hidden_password_is_accepted_by_freeradius()
    {
        await using var server = await FreeRadiusServer.StartFilesAsync(Users, new FreeRadiusOptions { RequireMessageAuthenticator = true });
        var client = new RadiusClient(new RadiusClientOptions { Attempts = 2, FirstTimeout = TimeSpan.FromSeconds(2) });

        var request = new RadiusPacket(RadiusCode.AccessRequest)
            .Add(RadiusAttribute.UserName("alice"))
            .AddUserPassword("wonderland", server.Secret)
            .Add(RadiusAttribute.NasIpAddress(IPAddress.Loopback));
        var result = await client.SendAsync(request, server.AuthEndpoint, server.Secret);

        result.Outcome.ShouldBe(RadiusOutcome.Ack, server.Diagnostics());
        result.Response!.Find("Mikrotik-Rate-Limit")!.AsString().ShouldBe("20M/50M");
    }

    [Fact]
    public async Task Nas_emulator_acknowledges_coa_and_disconnect_and_records_them()
    {
        await using var nas = await NasEmulator.StartAsync();
        var client = new RadiusClient(new RadiusClientOptions { Attempts = 2, FirstTimeout = TimeSpan.FromSeconds(2) });

        var coa = await client.SendAsync(
            new RadiusPacket(RadiusCode.CoaRequest)
                .Add(RadiusAttribute.UserName("100000000001"))
                .Add(RadiusAttribute.AcctSessionId("81200004"))
                .Add(RadiusAttribute.MikrotikRateLimit("20M/50M")),
            nas.Endpoint, nas.Secret);
        var disconnect = await client.SendAsync(
            new RadiusPacket(RadiusCode.DisconnectRequest)
                .Add(RadiusAttribute.UserName("100000000001"))
                .Add(RadiusAttribute.AcctSessionId("81200004")),
            nas.Endpoint, nas.Secret);

        coa.Outcome.ShouldBe(RadiusOutcome.Ack, nas.Diagnostics());
        coa.Response!.Code.ShouldBe(RadiusCode.CoaAck);
        disconnect.Outcome.ShouldBe(RadiusOutcome.Ack);
        disconnect.Response!.Code.ShouldBe(RadiusCode.DisconnectAck);
        var received = await nas.ReceivedAsync(2);
        received.Select(r => r.Code).ShouldBe([RadiusCode.CoaRequest, RadiusCode.DisconnectRequest]);
        received[0].Get("User-Name").ShouldBe("100000000001");
        received[0].Get("Acct-Session-Id").ShouldBe("81200004");
        received[0].Get("Mikrotik-Rate-Limit").ShouldBe("20M/50M");
        received[0].Get("Message-Authenticator").ShouldNotBeNull();
    }

    [Fact]
    public async Task Nas_emulator_naks_with_an_error_cause()
    {
        await using var nas = await NasEmulator.StartAsync(coa: NasReply.Nak, disconnect: NasReply.Ack);
        var client = new RadiusClient(new RadiusClientOptions { Attempts = 2, FirstTimeout = TimeSpan.FromSeconds(2) });

        var coa = await client.SendAsync(
            new RadiusPacket(RadiusCode.CoaRequest).Add(RadiusAttribute.UserName("100000000001")).Add(RadiusAttribute.MikrotikRateLimit("1M/1M")),
            nas.Endpoint, nas.Secret);
        var disconnect = await client.SendAsync(
            new RadiusPacket(RadiusCode.DisconnectRequest).Add(RadiusAttribute.UserName("100000000001")),
            nas.Endpoint, nas.Secret);

        coa.Outcome.ShouldBe(RadiusOutcome.Nak, nas.Diagnostics());
        coa.Response!.Code.ShouldBe(RadiusCode.CoaNak);
        coa.ErrorCause.ShouldBe(503u);
        disconnect.Outcome.ShouldBe(RadiusOutcome.Ack, "the fallback a dispatcher takes after a refused CoA");
        (await nas.ReceivedAsync(2)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_silent_nas_makes_the_client_retry_then_time_out()
    {
        await using var nas = await NasEmulator.StartAsync(disconnect: NasReply.Silent);
        var client = new RadiusClient(new RadiusClientOptions { Attempts = 3, FirstTimeout = TimeSpan.FromMilliseconds(200) });

        var result = await client.SendAsync(
            new RadiusPacket(RadiusCode.DisconnectRequest).Add(RadiusAttribute.UserName("100000000001")),
            nas.Endpoint, nas.Secret);

        result.Outcome.ShouldBe(RadiusOutcome.Timeout);
        result.Attempts.ShouldBe(3);
        result.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(1300));
        (await nas.ReceivedAsync(1)).Single().Code.ShouldBe(RadiusCode.DisconnectRequest, "retransmissions are duplicates to the NAS");

        await nas.SetRepliesAsync(NasReply.Ack, NasReply.Ack);
        var after = await client.SendAsync(
            new RadiusPacket(RadiusCode.DisconnectRequest).Add(RadiusAttribute.UserName("100000000001")),
            nas.Endpoint, nas.Secret);
        after.Outcome.ShouldBe(RadiusOutcome.Ack, nas.Diagnostics());
    }

    [Fact]
    public async Task Nas_emulator_drops_requests_with_a_wrong_secret_or_without_message_authenticator()
    {
        await using var nas = await NasEmulator.StartAsync();
        var fast = new RadiusClientOptions { Attempts = 1, FirstTimeout = TimeSpan.FromMilliseconds(500) };

        var wrongSecret = await new RadiusClient(fast).SendAsync(
            new RadiusPacket(RadiusCode.CoaRequest).Add(RadiusAttribute.UserName("a")), nas.Endpoint, "not-the-secret");
        var unsigned = await new RadiusClient(new RadiusClientOptions { Attempts = 1, FirstTimeout = TimeSpan.FromMilliseconds(500), MessageAuthenticator = false })
            .SendAsync(new RadiusPacket(RadiusCode.CoaRequest).Add(RadiusAttribute.UserName("b")), nas.Endpoint, nas.Secret);
        var good = await new RadiusClient(fast).SendAsync(
            new RadiusPacket(RadiusCode.CoaRequest).Add(RadiusAttribute.UserName("c")), nas.Endpoint, nas.Secret);

        wrongSecret.Outcome.ShouldBe(RadiusOutcome.Timeout);
        unsigned.Outcome.ShouldBe(RadiusOutcome.Timeout, "require_message_authenticator");
        good.Outcome.ShouldBe(RadiusOutcome.Ack, nas.Diagnostics());
        nas.Received().Select(r => r.Get("User-Name")).ShouldBe(["c"]);
    }
}
