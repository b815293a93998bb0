using System.Globalization;
using System.Net;
using Kabinet.Web.Integrations.Radius;

namespace Kabinet.Web.Tests.Infrastructure;

/// <summary>How the emulated NAS answers one kind of request.</summary>
public enum NasReply
{
    /// <summary>CoA-ACK / Disconnect-ACK.</summary>
    Ack,

    /// <summary>CoA-NAK / Disconnect-NAK with the emulator's Error-Cause.</summary>
    Nak,

    /// <summary>No answer at all (a dead or unreachable NAS): the sender times out.</summary>
    Silent,
}

/// <summary>One request the NAS received: its code and attributes as FreeRADIUS decoded them.</summary>
public sealed record NasRequest(RadiusCode Code, IReadOnlyList<KeyValuePair<string, string>> Attributes)
{
    /// <summary>The first value of an attribute by its FreeRADIUS name (quotes removed), or null.</summary>
    public string? Get(string name) =>
        Attributes.FirstOrDefault(a => string.Equals(a.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public IEnumerable<string> GetAll(string name) =>
        Attributes.Where(a => string.Equals(a.Key, name, StringComparison.OrdinalIgnoreCase)).Select(a => a.Value);
}

/// <summary>
/// The NAS side of RFC 5176: a second real FreeRADIUS listening for CoA-Request and
/// Disconnect-Request on a free loopback UDP port, for a client 127.0.0.1 with
/// <see cref="Secret"/> and require_message_authenticator (a request without a valid
/// Message-Authenticator, or signed with another secret, is dropped unanswered and unrecorded).
/// Every accepted request is written by the detail module; <see cref="ReceivedAsync"/> reads them
/// back. It answers ACK, NAK or nothing, per kind, as set at start or by <see cref="SetRepliesAsync"/>
/// (which restarts it on the same port). FreeRADIUS drops exact retransmissions as duplicates,
/// like a NAS: a request retried with the same identifier is recorded once.
/// </summary>
public sealed class NasEmulator : IAsyncDisposable
{
    private readonly FreeRadiusProcess _process;
    private readonly string _errorCause;

    private NasEmulator(FreeRadiusProcess process, int port, string secret, string errorCause)
    {
        _process = process;
        Port = port;
        Secret = secret;
        _errorCause = errorCause;
    }

    /// <summary>The UDP port CoA and Disconnect requests go to (a real NAS listens on 3799).</summary>
    public int Port { get; }

    public IPEndPoint Endpoint => new(IPAddress.Loopback, Port);

    public string Secret { get; }

    public NasReply CoaReply { get; private set; }

    public NasReply DisconnectReply { get; private set; }

    /// <summary>
    /// Starts the emulator. <paramref name="errorCause"/> is the Error-Cause of NAKs, by FreeRADIUS
    /// name or number (503 Session-Context-Not-Found by default).
    /// </summary>
    public static Task<NasEmulator> StartAsync(
        string secret = "nas-secret", NasReply coa = NasReply.Ack, NasReply disconnect = NasReply.Ack, string errorCause = "Session-Context-Not-Found") =>
        FreeRadiusProcess.WithFreePortsAsync(async () =>
        {
            ArgumentException.ThrowIfNullOrEmpty(secret);
            var process = FreeRadiusProcess.Create();
            try
            {
                var port = FreeRadiusProcess.FreeUdpPort();
                var emulator = new NasEmulator(process, port, secret, errorCause);
                emulator.WriteConfig(coa, disconnect);
                await process.StartAsync(new Dictionary<string, string>(StringComparer.Ordinal), debug: false, TimeSpan.FromSeconds(30));
                return emulator;
            }
            catch
            {
                await process.DisposeAsync();
                throw;
            }
        });

    /// <summary>Changes how the NAS answers from now on (a restart on the same port; what was received is kept).</summary>
    public async Task SetRepliesAsync(NasReply coa, NasReply disconnect)
    {
        await _process.StopAsync();
        WriteConfig(coa, disconnect);
        await _process.StartAsync(new Dictionary<string, string>(StringComparer.Ordinal), debug: false, TimeSpan.FromSeconds(30));
    }

    /// <summary>Every request accepted so far, oldest first.</summary>
    public IReadOnlyList<NasRequest> Received()
    {
        var path = Path.Combine(_process.Directory, "received.detail");
        string text;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            text = reader.ReadToEnd();
        }
        catch (FileNotFoundException)
        {
            return [];
        }

        return ParseDetail(text);
    }

    /// <summary>Waits until at least <paramref name="count"/> requests were received (or the timeout passes) and returns them all.</summary>
    public async Task<IReadOnlyList<NasRequest>> ReceivedAsync(int count = 1, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var received = Received();
            if (received.Count >= count || started.Elapsed >= limit)
            {
                return received;
            }

            await Task.Delay(20);
        }
    }

    public string Diagnostics() => _process.Diagnostics();

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private void WriteConfig(NasReply coa, NasReply disconnect)
    {
        CoaReply = coa;
        DisconnectReply = disconnect;
        var dir = _process.Directory;
        _process.Write("mods-enabled/always", string.Concat(new[] { "ok", "reject", "handled" }
            .Select(code => $"always {code} {{\n\trcode = {code}\n}}\n")));
        _process.Write("mods-enabled/detail", $$"""
            detail received {
            	filename = {{dir}}/received.detail
            	escape_filenames = no
            	permissions = 0600
            	header = "%t"
            	locking = yes
            	log_packet_header = yes
            }

            """);
        // FreeRADIUS 3.2 runs recv-coa for Disconnect-Request too: branch on the packet type.
        _process.Write("sites-enabled/nas", $$"""
            server nas {
            recv-coa {
            	received
            	if (&Packet-Type == Disconnect-Request) {
            {{Answer(disconnect)}}
            	}
            	else {
            {{Answer(coa)}}
            	}
            }
            send-coa {
            }
            }

            """);
        var clients = $$"""
            client nas-controller {
            	ipaddr = 127.0.0.1
            	secret = {{FreeRadiusProcess.Quote(Secret)}}
            	require_message_authenticator = yes
            }
            """;
        var listeners = string.Create(CultureInfo.InvariantCulture, $$"""
            listen {
            	type = coa
            	ipaddr = 127.0.0.1
            	port = {{Port}}
            	virtual_server = nas
            }
            """);
        _process.WriteMainConfig(clients, listeners, maxThreads: 4);
    }

    private string Answer(NasReply reply) => reply switch
    {
        NasReply.Ack => "\t\tok",
        NasReply.Nak => $"\t\tupdate reply {{\n\t\t\t&Error-Cause := {_errorCause}\n\t\t}}\n\t\treject",
        _ => "\t\tupdate control {\n\t\t\t&Response-Packet-Type := Do-Not-Respond\n\t\t}\n\t\thandled",
    };

    /// <summary>
    /// The detail file: records separated by blank lines, a date header, then tab-indented
    /// <c>Name = value</c> lines; Packet-Type names the code.
    /// </summary>
    internal static List<NasRequest> ParseDetail(string text)
    {
        var requests = new List<NasRequest>();
        foreach (var record in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var attributes = new List<KeyValuePair<string, string>>();
            RadiusCode? code = null;
            foreach (var line in record.Split('\n'))
            {
                if (!line.StartsWith('\t') || RadClient.ParseAttribute(line) is not { } attribute)
                {
                    continue;
                }

                if (attribute.Key == "Packet-Type")
                {
                    code = attribute.Value switch
                    {
                        "CoA-Request" => RadiusCode.CoaRequest,
                        "Disconnect-Request" => RadiusCode.DisconnectRequest,
                        _ => null,
                    };
                }
                else if (!attribute.Key.StartsWith("Packet-", StringComparison.Ordinal) && attribute.Key != "Timestamp")
                {
                    attributes.Add(attribute);
                }
            }

            if (code is { } known)
            {
                requests.Add(new NasRequest(known, attributes));
            }
        }

        return requests;
    }
}
