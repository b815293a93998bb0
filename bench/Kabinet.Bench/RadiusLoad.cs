using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Kabinet.Web.Integrations.Radius;

namespace Kabinet.Bench;

/// <summary>What a load run saw: answers by code, timeouts, latencies of the answered requests.</summary>
internal sealed record RadiusLoadResult(long Sent, long Accepted, long Rejected, long OtherAnswers, long Timeouts, double Seconds, double[] LatencyMs, long UdpDrops)
{
    public double Rate => Accepted / Seconds;

    public double Percentile(double p) => PaymentsBench.Percentile(LatencyMs, p);

    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Sent} sent in {Seconds:F1} s: {Accepted} answered as expected ({Rate:F0}/s), {Rejected} rejected, {OtherAnswers} other answers, {Timeouts} timeouts ({UdpDrops} datagrams dropped by full UDP receive buffers on this machine meanwhile); p50 {Percentile(50):F2} ms, p99 {Percentile(99):F2} ms");
}

/// <summary>
/// A RADIUS load generator over UDP on 127.0.0.1, built on <see cref="RadiusPacket"/>: a fixed
/// window of requests in flight (spread over several sockets, 256 identifiers each), for a bounded
/// time and count. A request counts only when its answer arrives with a valid Response
/// Authenticator; no retransmission (a request unanswered after the timeout is a timeout).
/// </summary>
internal static class RadiusLoad
{
    private const int PerSocket = 64;

    /// <param name="build">Builds request number n (the identifier is set by the generator).</param>
    /// <param name="expected">The answer code that counts as success.</param>
    public static async Task<RadiusLoadResult> RunAsync(
        IPEndPoint server, string secret, int window, TimeSpan duration, long maxRequests, Func<long, RadiusPacket> build, RadiusCode expected, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(5);
        var sockets = Math.Max(1, (window + PerSocket - 1) / PerSocket);
        var counter = -1L;
        long sent = 0, accepted = 0, rejected = 0, other = 0, timeouts = 0;
        var latencies = new List<double>[sockets];
        var dropsBefore = UdpReceiveBufferErrors();
        var watch = Stopwatch.StartNew();
        var key = System.Text.Encoding.UTF8.GetBytes(secret);

        await Task.WhenAll(Enumerable.Range(0, sockets).Select(async s =>
        {
            var mine = latencies[s] = new List<double>(1 << 16);
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.ReceiveBufferSize = 4 << 20;
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            socket.Connect(server);
            var pending = new TaskCompletionSource<byte[]>?[256];
            var lanes = Math.Min(PerSocket, window - s * PerSocket);
            using var stop = new CancellationTokenSource();
            var receiver = Task.Run(async () =>
            {
                var buffer = new byte[RadiusPacket.MaxLength];
                while (!stop.IsCancellationRequested)
                {
                    int n;
                    try
                    {
                        n = await socket.ReceiveAsync(buffer, SocketFlags.None, stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                    catch (SocketException)
                    {
                        continue;
                    }

                    if (n >= RadiusPacket.HeaderLength)
                    {
                        Volatile.Read(ref pending[buffer[1]])?.TrySetResult(buffer.AsSpan(0, n).ToArray());
                    }
                }
            });

            await Task.WhenAll(Enumerable.Range(0, lanes).Select(async lane =>
            {
                // Each lane owns identifiers lane, lane + 64, ...: a late answer to an old one cannot complete a new one.
                var round = 0;
                while (watch.Elapsed < duration)
                {
                    var n = Interlocked.Increment(ref counter);
                    if (n >= maxRequests)
                    {
                        break;
                    }

                    var id = (byte)(lane + PerSocket * (round++ % (256 / PerSocket)));
                    var packet = build(n);
                    packet.Identifier = id;
                    var wire = packet.EncodeRequest(secret, messageAuthenticator: packet.Code == RadiusCode.AccessRequest);
                    var requestAuthenticator = wire.AsSpan(4, RadiusPacket.AuthenticatorLength).ToArray();
                    var answer = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
                    Volatile.Write(ref pending[id], answer);
                    var started = Stopwatch.GetTimestamp();
                    await socket.SendAsync(wire, SocketFlags.None);
                    Interlocked.Increment(ref sent);
                    byte[] response;
                    try
                    {
                        response = await answer.Task.WaitAsync(limit);
                    }
                    catch (TimeoutException)
                    {
                        Interlocked.Increment(ref timeouts);
                        continue;
                    }
                    finally
                    {
                        Volatile.Write(ref pending[id], null);
                    }

                    var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    if (!RadiusAuthenticator.VerifyResponse(response, requestAuthenticator, key))
                    {
                        Interlocked.Increment(ref other);
                        continue;
                    }

                    var code = (RadiusCode)response[0];
                    if (code == expected)
                    {
                        Interlocked.Increment(ref accepted);
                        lock (mine)
                        {
                            mine.Add(elapsed);
                        }
                    }
                    else if (code == RadiusCode.AccessReject)
                    {
                        Interlocked.Increment(ref rejected);
                    }
                    else
                    {
                        Interlocked.Increment(ref other);
                    }
                }
            }));

            await stop.CancelAsync();
            await receiver;
        }));

        var seconds = watch.Elapsed.TotalSeconds;
        return new RadiusLoadResult(sent, accepted, rejected, other, timeouts, seconds, [.. latencies.SelectMany(l => l)], UdpReceiveBufferErrors() - dropsBefore);
    }

    /// <summary>
    /// Linux's count of UDP datagrams dropped because a socket's receive buffer was full
    /// (/proc/net/snmp RcvbufErrors), machine-wide: what explains a timeout with no retransmission.
    /// </summary>
    private static long UdpReceiveBufferErrors()
    {
        try
        {
            var lines = File.ReadAllLines("/proc/net/snmp").Where(l => l.StartsWith("Udp:", StringComparison.Ordinal)).ToArray();
            var names = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var values = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(values[Array.IndexOf(names, "RcvbufErrors")], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or IndexOutOfRangeException or FormatException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
