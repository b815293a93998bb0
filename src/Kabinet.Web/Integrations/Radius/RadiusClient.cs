using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Kabinet.Web.Integrations.Radius;

/// <summary>Retries and timeouts of <see cref="RadiusClient"/>.</summary>
public sealed class RadiusClientOptions
{
    /// <summary>How many times a request is sent before giving up (the first send included).</summary>
    public int Attempts { get; set; } = 3;

    /// <summary>How long to wait for the first reply; each retry waits twice as long as the one before.</summary>
    public TimeSpan FirstTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The ceiling of one wait, however many retries came before.</summary>
    public TimeSpan MaxTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>Add a Message-Authenticator to every request (RFC 5176 §3.5 recommends it; many NASes require it).</summary>
    public bool MessageAuthenticator { get; set; } = true;
}

/// <summary>How a request ended.</summary>
public enum RadiusOutcome
{
    /// <summary>Access-Accept, Accounting-Response, CoA-ACK or Disconnect-ACK.</summary>
    Ack,

    /// <summary>Access-Reject, Access-Challenge, CoA-NAK or Disconnect-NAK.</summary>
    Nak,

    /// <summary>No valid reply after every attempt.</summary>
    Timeout,
}

/// <summary>The result of one request: the outcome, the verified reply if any, and how many sends it took.</summary>
public sealed record RadiusResult(RadiusOutcome Outcome, RadiusPacket? Response, int Attempts, TimeSpan Elapsed)
{
    /// <summary>Error-Cause of a NAK (RFC 5176 §3.6), e.g. 503 Session-Context-Not-Found.</summary>
    public uint? ErrorCause => Response?.ErrorCause;
}

/// <summary>
/// Sends RADIUS requests over UDP (CoA and Disconnect to a NAS, and any other request) and waits
/// for a verified reply, retransmitting the identical datagram with exponential back-off. Replies
/// that do not match the identifier, the peer, the Response Authenticator or the
/// Message-Authenticator are dropped as if never received. Expected failures are values
/// (<see cref="RadiusOutcome.Nak"/>, <see cref="RadiusOutcome.Timeout"/>); safe for concurrent use.
/// </summary>
public sealed class RadiusClient
{
    private readonly RadiusClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<IPEndPoint, IdentifierPool> _identifiers = new();

    public RadiusClient(RadiusClientOptions? options = null, TimeProvider? time = null)
    {
        _options = options ?? new RadiusClientOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.Attempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.FirstTimeout, TimeSpan.Zero);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Sends <paramref name="request"/> to <paramref name="destination"/>. The client assigns the
    /// identifier (unique among this client's requests in flight to that destination) and signs the
    /// packet; the caller's packet object is not shared across concurrent calls.
    /// </summary>
    public async Task<RadiusResult> SendAsync(RadiusPacket request, IPEndPoint destination, string secret, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(destination);
        var key = RadiusAuthenticator.Secret(secret);
        var started = _time.GetTimestamp();

        var pool = _identifiers.GetOrAdd(destination, _ => new IdentifierPool());
        var identifier = await pool.RentAsync(cancellationToken);
        try
        {
            request.Identifier = identifier;
            var wire = request.EncodeRequest(secret, _options.MessageAuthenticator);
            var requestAuthenticator = wire.AsSpan(4, RadiusPacket.AuthenticatorLength).ToArray();

            // One socket per request: its own source port keeps replies apart without a shared receive loop.
            using var socket = new Socket(destination.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(destination.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
            var buffer = new byte[RadiusPacket.MaxLength];
            var timeout = _options.FirstTimeout;
            for (var attempt = 1; attempt <= _options.Attempts; attempt++)
            {
                await socket.SendToAsync(wire, SocketFlags.None, destination, cancellationToken);
                var reply = await ReceiveAsync(socket, buffer, destination, identifier, requestAuthenticator, key, timeout, cancellationToken);
                if (reply is not null)
                {
                    return new RadiusResult(OutcomeOf(reply.Code), reply, attempt, _time.GetElapsedTime(started));
                }

                timeout = timeout * 2 < _options.MaxTimeout ? timeout * 2 : _options.MaxTimeout;
            }

            return new RadiusResult(RadiusOutcome.Timeout, null, _options.Attempts, _time.GetElapsedTime(started));
        }
        finally
        {
            pool.Return(identifier);
        }
    }

    private async Task<RadiusPacket?> ReceiveAsync(
        Socket socket, byte[] buffer, IPEndPoint destination, byte identifier, byte[] requestAuthenticator, byte[] secret,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        EndPoint any = new IPEndPoint(destination.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (true)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, linked.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return null;
            }

            var data = buffer.AsSpan(0, received.ReceivedBytes);
            if (!destination.Equals(received.RemoteEndPoint)
                || data.Length < RadiusPacket.HeaderLength
                || data[1] != identifier
                || !RadiusAuthenticator.VerifyResponse(data, requestAuthenticator, secret))
            {
                continue;
            }

            try
            {
                return RadiusPacket.Decode(data);
            }
            catch (RadiusPacketException)
            {
                // Signed but malformed: no better than no reply at all.
            }
        }
    }

    private static RadiusOutcome OutcomeOf(RadiusCode code) => code switch
    {
        RadiusCode.AccessAccept or RadiusCode.AccountingResponse or RadiusCode.CoaAck or RadiusCode.DisconnectAck => RadiusOutcome.Ack,
        _ => RadiusOutcome.Nak,
    };

    /// <summary>The 256 identifiers of one destination; a request waits when all are in flight.</summary>
    [SuppressMessage("Design", "CA1001", Justification = "A pool lives as long as its client; SemaphoreSlim without a wait handle holds nothing unmanaged.")]
    private sealed class IdentifierPool
    {
        private readonly SemaphoreSlim _free = new(256, 256);
        private readonly bool[] _inUse = new bool[256];
        private readonly Lock _lock = new();
        private int _next = Random.Shared.Next(256);

        public async Task<byte> RentAsync(CancellationToken cancellationToken)
        {
            await _free.WaitAsync(cancellationToken);
            lock (_lock)
            {
                while (_inUse[_next])
                {
                    _next = (_next + 1) & 0xFF;
                }

                var identifier = _next;
                _inUse[identifier] = true;
                _next = (_next + 1) & 0xFF;
                return (byte)identifier;
            }
        }

        public void Return(byte identifier)
        {
            lock (_lock)
            {
                _inUse[identifier] = false;
            }

            _free.Release();
        }
    }
}
