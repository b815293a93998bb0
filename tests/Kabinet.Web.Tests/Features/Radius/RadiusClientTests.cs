using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Kabinet.Web.Integrations.Radius;

namespace Kabinet.Web.Tests.Features.Radius;

/// <summary>The UDP client against a real loopback socket that plays a NAS: retries, NAK, timeout, forgery.</summary>
public sealed class RadiusClientTests
{
    private const string Secret = "nas-secret";

    private static readonly RadiusClientOptions Fast = new() { Attempts = 3, FirstTimeout = TimeSpan.FromMilliseconds(150) };

    [Fact]
    public async Task Retransmits_the_identical_datagram_after_a_lost_one_and_reports_the_ack()
    {
        using var nas = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var received = new List<byte[]>();
        var peer = Task.Run(async () =>
        {
            var first = await nas.ReceiveAsync();
            received.Add(first.Buffer);          // dropped: no answer
            var second = await nas.ReceiveAsync();
            received.Add(second.Buffer);
            var request = RadiusPacket.Decode(second.Buffer);
            var ack = new RadiusPacket(RadiusCode.CoaAck, request.Identifier).EncodeResponse(request.Authenticator, Secret);
            await nas.SendAsync(ack, second.RemoteEndPoint);
        });

        var client = new RadiusClient(Fast);
        var result = await client.SendAsync(CoaRequest(), Endpoint(nas), Secret);
        await peer;

        result.Outcome.ShouldBe(RadiusOutcome.Ack);
        result.Attempts.ShouldBe(2);
        result.Response!.Code.ShouldBe(RadiusCode.CoaAck);
        received[1].ShouldBe(received[0], "a retransmission keeps identifier and authenticator");
        RadiusAuthenticator.VerifyRequest(received[0], RadiusAuthenticator.Secret(Secret), requireMessageAuthenticator: true).ShouldBeTrue();
    }

    [Fact]
    public async Task A_nak_is_a_value_with_its_error_cause()
    {
        using var nas = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var peer = AnswerOnceAsync(nas, request =>
            new RadiusPacket(RadiusCode.DisconnectNak, request.Identifier).Add(RadiusAttribute.ErrorCause(503)));

        var disconnect = new RadiusPacket(RadiusCode.DisconnectRequest)
            .Add(RadiusAttribute.UserName("100000000001"))
            .Add(RadiusAttribute.AcctSessionId("81200004"));
        var result = await new RadiusClient(Fast).SendAsync(disconnect, Endpoint(nas), Secret);
        await peer;

        result.Outcome.ShouldBe(RadiusOutcome.Nak);
        result.Attempts.ShouldBe(1);
        result.ErrorCause.ShouldBe(503u);
    }

    [Fact]
    public async Task Silence_ends_in_a_timeout_after_every_attempt_with_doubling_waits()
    {
        using var nas = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var arrivals = new ConcurrentQueue<byte[]>();
        using var stop = new CancellationTokenSource();
        var peer = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    arrivals.Enqueue((await nas.ReceiveAsync(stop.Token)).Buffer);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        var options = new RadiusClientOptions { Attempts = 3, FirstTimeout = TimeSpan.FromMilliseconds(200) };
        var result = await new RadiusClient(options).SendAsync(CoaRequest(), Endpoint(nas), Secret);
        await stop.CancelAsync();
        await peer;

        result.Outcome.ShouldBe(RadiusOutcome.Timeout);
        result.Response.ShouldBeNull();
        result.Attempts.ShouldBe(3);
        result.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(200 + 400 + 800 - 50));
        // Waits of 200, 400 and 800 ms; the arrival stamps themselves carry too much scheduling jitter to compare.
        arrivals.Count.ShouldBe(3);
    }

    [Fact]
    public async Task Replies_signed_with_another_secret_or_for_another_identifier_are_dropped()
    {
        using var nas = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var peer = Task.Run(async () =>
        {
            var datagram = await nas.ReceiveAsync();
            var request = RadiusPacket.Decode(datagram.Buffer);
            var forged = new RadiusPacket(RadiusCode.CoaAck, request.Identifier).EncodeResponse(request.Authenticator, "not-the-secret");
            var wrongId = new RadiusPacket(RadiusCode.CoaAck, unchecked((byte)(request.Identifier + 1))).EncodeResponse(request.Authenticator, Secret);
            await nas.SendAsync(forged, datagram.RemoteEndPoint);
            await nas.SendAsync(wrongId, datagram.RemoteEndPoint);
            await nas.SendAsync(new byte[] { 44, request.Identifier, 0, 3 }, datagram.RemoteEndPoint);
        });

        var options = new RadiusClientOptions { Attempts = 1, FirstTimeout = TimeSpan.FromMilliseconds(300) };
        var result = await new RadiusClient(options).SendAsync(CoaRequest(), Endpoint(nas), Secret);
        await peer;

        result.Outcome.ShouldBe(RadiusOutcome.Timeout);
    }

    [Fact]
    public async Task Cancellation_stops_the_wait()
    {
        using var nas = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var options = new RadiusClientOptions { Attempts = 5, FirstTimeout = TimeSpan.FromSeconds(5) };

        await Should.ThrowAsync<OperationCanceledException>(
            () => new RadiusClient(options).SendAsync(CoaRequest(), Endpoint(nas), Secret, cancel.Token));
    }

    [Fact]
    public async Task Concurrent_requests_to_one_nas_get_distinct_identifiers_and_their_own_replies()
    {
        using var nas = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        const int count = 300;
        var seen = new ConcurrentBag<byte>();
        using var stop = new CancellationTokenSource();
        var peer = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var datagram = await nas.ReceiveAsync(stop.Token);
                    var request = RadiusPacket.Decode(datagram.Buffer);
                    seen.Add(request.Identifier);
                    // Echo the session id back so each caller can check it got its own answer.
                    var ack = new RadiusPacket(RadiusCode.CoaAck, request.Identifier)
                        .Add(RadiusAttribute.ReplyMessage(request.GetString(RadiusAttributeType.AcctSessionId)!))
                        .EncodeResponse(request.Authenticator, Secret);
                    await nas.SendAsync(ack, datagram.RemoteEndPoint, stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        var client = new RadiusClient(new RadiusClientOptions { Attempts = 3, FirstTimeout = TimeSpan.FromSeconds(2) });
        var results = await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            var request = new RadiusPacket(RadiusCode.CoaRequest).Add(RadiusAttribute.AcctSessionId($"s{i}"));
            var result = await client.SendAsync(request, Endpoint(nas), Secret);
            return (i, result);
        }));
        await stop.CancelAsync();
        await peer;

        foreach (var (i, result) in results)
        {
            result.Outcome.ShouldBe(RadiusOutcome.Ack);
            result.Response!.GetString(RadiusAttributeType.ReplyMessage).ShouldBe($"s{i}");
        }

        seen.Distinct().Count().ShouldBe(256, "more requests than identifiers: every identifier is used, none twice at once");
    }

    private static RadiusPacket CoaRequest() =>
        new RadiusPacket(RadiusCode.CoaRequest)
            .Add(RadiusAttribute.UserName("100000000001"))
            .Add(RadiusAttribute.AcctSessionId("81200004"))
            .Add(RadiusAttribute.MikrotikRateLimit("20M/50M"));

    private static IPEndPoint Endpoint(UdpClient peer) => (IPEndPoint)peer.Client.LocalEndPoint!;

    private static Task AnswerOnceAsync(UdpClient nas, Func<RadiusPacket, RadiusPacket> answer) => Task.Run(async () =>
    {
        var datagram = await nas.ReceiveAsync();
        var request = RadiusPacket.Decode(datagram.Buffer);
        RadiusAuthenticator.VerifyRequest(datagram.Buffer, RadiusAuthenticator.Secret(Secret)).ShouldBeTrue();
        var reply = answer(request).EncodeResponse(request.Authenticator, Secret);
        await nas.SendAsync(reply, datagram.RemoteEndPoint);
    });
}
