using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Kabinet.Web.Features.Network;

/// <summary>
/// The attributes of a RADIUS request as FreeRADIUS's rest module sends them with <c>body = json</c>:
/// <c>{"User-Name":{"type":"string","value":["bob"]}, ...}</c>. Only the first value of each
/// attribute is kept; names are compared ignoring case, as FreeRADIUS does.
/// </summary>
public sealed class RadiusRequest
{
    private readonly Dictionary<string, string> _values;

    private RadiusRequest(Dictionary<string, string> values) => _values = values;

    /// <summary>The value of an attribute, or null.</summary>
    public string? this[string name] => _values.TryGetValue(name, out var value) ? value : null;

    /// <summary>Reads the body; null when it is not rlm_rest's JSON.</summary>
    public static async Task<RadiusRequest?> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, default, ct);
            return From(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Builds a request from rlm_rest's JSON object; null when it has another shape.</summary>
    public static RadiusRequest? From(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var attribute in root.EnumerateObject())
        {
            var value = attribute.Value;
            if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("value", out var list))
            {
                value = list;
            }

            if (value.ValueKind == JsonValueKind.Array)
            {
                if (value.GetArrayLength() == 0)
                {
                    continue;
                }

                value = value[0];
            }

            var text = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            };
            if (text is not null)
            {
                values[attribute.Name] = text;
            }
        }

        return new RadiusRequest(values);
    }

    /// <summary>The User-Name, trimmed.</summary>
    public string? UserName => this["User-Name"]?.Trim();

    /// <summary>
    /// The NAS's address: NAS-IP-Address or NAS-IPv6-Address, else the packet's source as
    /// FreeRADIUS saw it (the shipped site adds Packet-Src-IP(v6)-Address to the request).
    /// </summary>
    public string? NasIp =>
        this["NAS-IP-Address"] ?? this["NAS-IPv6-Address"] ?? this["Packet-Src-IP-Address"] ?? this["Packet-Src-IPv6-Address"];

    /// <summary>What a NAS's sessions are kept under: its address, else its NAS-Identifier (all RFC 2866 promises).</summary>
    public string? NasKey => NasIp ?? (this["NAS-Identifier"] is { Length: > 0 } id ? id.Trim() : null);

    /// <summary>The subscriber equipment's MAC from Calling-Station-Id, normalised.</summary>
    public string? Mac => Macs.Normalize(this["Calling-Station-Id"]);

    /// <summary>DHCP Option 82 Agent-Remote-Id as text (RFC 4679 ADSL-Agent-Remote-Id).</summary>
    public string? RemoteId => OctetsAsText(this["ADSL-Agent-Remote-Id"] ?? this["Agent-Remote-Id"]);

    /// <summary>DHCP Option 82 Agent-Circuit-Id as text (RFC 4679 ADSL-Agent-Circuit-Id).</summary>
    public string? CircuitId => OctetsAsText(this["ADSL-Agent-Circuit-Id"] ?? this["Agent-Circuit-Id"]);

    /// <summary>An integer attribute (counters, gigawords, delays); 0 when absent or not a number.</summary>
    public long Number(string name) =>
        long.TryParse(this[name], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value : 0;

    /// <summary>
    /// Event-Timestamp as an instant: rlm_rest writes dates as text ("Nov 22 2026 01:02:03 UTC") or
    /// as seconds since the epoch; null when absent or unreadable.
    /// </summary>
    public DateTimeOffset? EventTimestamp
    {
        get
        {
            var raw = this["Event-Timestamp"];
            if (raw is null)
            {
                return null;
            }

            if (long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
            {
                return DateTimeOffset.FromUnixTimeSeconds(seconds);
            }

            var text = string.Join(' ', raw.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            if (text.EndsWith(" UTC", StringComparison.Ordinal))
            {
                text = text[..^4];
            }

            return DateTime.TryParseExact(text, "MMM d yyyy HH:mm:ss", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed)
                ? new DateTimeOffset(parsed, TimeSpan.Zero)
                : null;
        }
    }

    /// <summary>
    /// Octets arrive as "0x..." hex: printable ASCII is read as text (how operators write a switch
    /// name and port), anything else stays lowercase hex.
    /// </summary>
    internal static string? OctetsAsText(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!value.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return value.Trim();
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(value.AsSpan(2));
        }
        catch (FormatException)
        {
            return value.Trim().ToLowerInvariant();
        }

        return bytes.Length > 0 && bytes.All(b => b is >= 0x20 and < 0x7F)
            ? Encoding.ASCII.GetString(bytes)
            : Convert.ToHexStringLower(bytes);
    }
}
