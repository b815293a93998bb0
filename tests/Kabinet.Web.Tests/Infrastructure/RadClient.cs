using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Kabinet.Web.Integrations.Radius;

namespace Kabinet.Web.Tests.Infrastructure;

/// <summary>What radclient got back: the reply's code and attributes, or no reply at all.</summary>
public sealed record RadReply(RadiusCode? Code, IReadOnlyList<KeyValuePair<string, string>> Attributes, string Output)
{
    public bool TimedOut => Code is null;

    public bool Accepted => Code == RadiusCode.AccessAccept;

    public bool Rejected => Code == RadiusCode.AccessReject;

    /// <summary>The first value of an attribute by its FreeRADIUS name (quotes removed), or null.</summary>
    public string? Get(string name) =>
        Attributes.FirstOrDefault(a => string.Equals(a.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public IEnumerable<string> GetAll(string name) =>
        Attributes.Where(a => string.Equals(a.Key, name, StringComparison.OrdinalIgnoreCase)).Select(a => a.Value);

    public override string ToString() => Output;
}

/// <summary>
/// Plays a NAS with the real <c>radclient</c> binary (freeradius-utils): one request per call,
/// attributes on stdin, the reply parsed from <c>-x</c> output. Attribute lines are FreeRADIUS
/// syntax; <see cref="Attr"/> quotes a value.
/// </summary>
public sealed partial class RadClient(int authPort, int acctPort, string secret, string host = "127.0.0.1")
{
    public const string Binary = "/usr/bin/radclient";

    /// <summary>Seconds radclient waits for each reply (one attempt, no retries).</summary>
    public int TimeoutSeconds { get; init; } = 3;

    /// <summary>PAP: radclient hides User-Password with the secret.</summary>
    public Task<RadReply> PapAsync(string userName, string password, params string[] extra) =>
        AuthAsync([Attr("User-Name", userName), Attr("User-Password", password), .. extra]);

    /// <summary>CHAP: radclient turns the cleartext CHAP-Password into a CHAP response over a random challenge.</summary>
    public Task<RadReply> ChapAsync(string userName, string password, params string[] extra) =>
        AuthAsync([Attr("User-Name", userName), Attr("CHAP-Password", password), .. extra]);

    /// <summary>MS-CHAPv2: the challenge and response are computed here (RFC 2759) and sent as octets.</summary>
    public Task<RadReply> MsChapV2Async(string userName, string password, params string[] extra)
    {
        var authenticatorChallenge = RandomNumberGenerator.GetBytes(16);
        var peerChallenge = RandomNumberGenerator.GetBytes(16);
        var response = MsChapV2.Response(1, authenticatorChallenge, peerChallenge, userName, password);
        return AuthAsync(
        [
            Attr("User-Name", userName),
            "MS-CHAP-Challenge = 0x" + Convert.ToHexStringLower(authenticatorChallenge),
            "MS-CHAP2-Response = 0x" + Convert.ToHexStringLower(response),
            .. extra,
        ]);
    }

    public Task<RadReply> AuthAsync(params string[] attributes) => SendAsync("auth", authPort, attributes);

    /// <summary>An Accounting-Request, e.g. <c>AccountingAsync("Acct-Status-Type = Start", Attr("Acct-Session-Id", "s1"))</c>.</summary>
    public Task<RadReply> AccountingAsync(params string[] attributes) => SendAsync("acct", acctPort, attributes);

    /// <summary>
    /// Sends one request of <paramref name="kind"/> (auth, acct, status, coa, disconnect) to
    /// <paramref name="port"/>. A Message-Authenticator is always added.
    /// </summary>
    public async Task<RadReply> SendAsync(string kind, int port, IEnumerable<string> attributes)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException(
                $"{Binary} is not installed: install the Debian package freeradius-utils (bash build/test.sh does).");
        }

        var psi = new ProcessStartInfo(Binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-x", "-r", "1", "-t", TimeoutSeconds.ToString(CultureInfo.InvariantCulture), $"{host}:{port}", kind, secret })
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {Binary}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var lines = attributes.Append("Message-Authenticator = 0x00").ToList();
        await process.StandardInput.WriteAsync(string.Join(",\n", lines) + "\n");
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(TimeoutSeconds + 30));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        return Parse(output);
    }

    /// <summary><c>Name = "value"</c> with the value quoted and escaped; 0x-hex octets stay bare.</summary>
    public static string Attr(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var bare = HexValue().IsMatch(value);
        return bare ? $"{name} = {value}" : $"{name} = {FreeRadiusProcess.Quote(value)}";
    }

    /// <summary>Parses radclient -x output: the "Received ..." line and the tab-indented attributes after it.</summary>
    public static RadReply Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        RadiusCode? code = null;
        var attributes = new List<KeyValuePair<string, string>>();
        var inReply = false;
        foreach (var line in output.Split('\n'))
        {
            var received = ReceivedLine().Match(line);
            if (received.Success)
            {
                code = CodeByName(received.Groups[1].Value);
                inReply = true;
                attributes.Clear();
                continue;
            }

            if (!line.StartsWith('\t'))
            {
                inReply = false;
                continue;
            }

            if (inReply && ParseAttribute(line) is { } attribute)
            {
                attributes.Add(attribute);
            }
        }

        return new RadReply(code, attributes, output);
    }

    /// <summary>One <c>\tName = value</c> line (any operator), value unquoted and unescaped.</summary>
    internal static KeyValuePair<string, string>? ParseAttribute(string line)
    {
        var match = AttributeLine().Match(line);
        if (!match.Success)
        {
            return null;
        }

        var value = match.Groups[2].Value.TrimEnd('\r');
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            var unquoted = new StringBuilder();
            for (var i = 1; i < value.Length - 1; i++)
            {
                if (value[i] == '\\' && i + 1 < value.Length - 1)
                {
                    i++;
                }

                unquoted.Append(value[i]);
            }

            value = unquoted.ToString();
        }

        return new KeyValuePair<string, string>(match.Groups[1].Value, value);
    }

    private static RadiusCode? CodeByName(string name) => name switch
    {
        "Access-Accept" => RadiusCode.AccessAccept,
        "Access-Reject" => RadiusCode.AccessReject,
        "Access-Challenge" => RadiusCode.AccessChallenge,
        "Accounting-Response" => RadiusCode.AccountingResponse,
        "CoA-ACK" => RadiusCode.CoaAck,
        "CoA-NAK" => RadiusCode.CoaNak,
        "Disconnect-ACK" => RadiusCode.DisconnectAck,
        "Disconnect-NAK" => RadiusCode.DisconnectNak,
        _ => null,
    };

    [GeneratedRegex(@"^Received (\S+) Id \d+", RegexOptions.CultureInvariant)]
    private static partial Regex ReceivedLine();

    [GeneratedRegex(@"^\t+([A-Za-z0-9][A-Za-z0-9_.:-]*)\s*(?:=|:=|\+=|==|!=)\s*(.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex AttributeLine();

    [GeneratedRegex("^0x[0-9a-fA-F]*$", RegexOptions.CultureInvariant)]
    private static partial Regex HexValue();
}
