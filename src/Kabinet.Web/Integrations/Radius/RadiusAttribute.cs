using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kabinet.Web.Integrations.Radius;

/// <summary>
/// One attribute as it travels: a standard attribute (<see cref="VendorId"/> 0) or one sub-attribute
/// of a Vendor-Specific attribute. The value is kept as wire octets; the As* methods interpret it.
/// </summary>
[SuppressMessage("Naming", "CA1711", Justification = "RADIUS calls it an attribute; it is not a .NET attribute.")]
public sealed class RadiusAttribute
{
    /// <summary>Longest value of a standard attribute (255 minus type and length).</summary>
    public const int MaxValueLength = 253;

    /// <summary>Longest value of a vendor sub-attribute (255 minus 2, vendor id 4, vendor type and length 2).</summary>
    public const int MaxVendorValueLength = 247;

    private readonly byte[] _value;

    private RadiusAttribute(byte type, uint vendorId, byte[] value)
    {
        var max = vendorId == 0 ? MaxValueLength : MaxVendorValueLength;
        if (value.Length > max)
        {
            throw new ArgumentException(
                $"A RADIUS attribute value is at most {max} octets; got {value.Length} for {Describe(vendorId, type)}.",
                nameof(value));
        }

        if (vendorId == 0 && type == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(type), "Attribute type 0 is reserved.");
        }

        Type = type;
        VendorId = vendorId;
        _value = value;
    }

    /// <summary>The attribute type, or the vendor type when <see cref="VendorId"/> is not 0.</summary>
    public byte Type { get; }

    /// <summary>The vendor's IANA number for a Vendor-Specific sub-attribute, 0 for a standard attribute.</summary>
    public uint VendorId { get; }

    public ReadOnlyMemory<byte> Value => _value;

    public bool IsVendorSpecific => VendorId != 0;

    /// <summary>The dictionary name, or a numeric form like "Attr-200" / "Vendor-9-Attr-5".</summary>
    public string Name => RadiusAttributeNames.Find(VendorId, Type)?.Name ?? Describe(VendorId, Type);

    public static RadiusAttribute FromOctets(byte type, ReadOnlySpan<byte> value) => new(type, 0, value.ToArray());

    public static RadiusAttribute FromText(byte type, string value) => new(type, 0, Utf8(value));

    public static RadiusAttribute FromNumber(byte type, uint value) => new(type, 0, UInt32Bytes(value));

    public static RadiusAttribute FromAddress(byte type, IPAddress address) => new(type, 0, IPv4Bytes(address));

    /// <summary>A Vendor-Specific sub-attribute (RFC 2865 §5.26 layout).</summary>
    public static RadiusAttribute Vendor(uint vendorId, byte vendorType, ReadOnlySpan<byte> value)
    {
        if (vendorId == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(vendorId), "A vendor attribute needs a vendor id.");
        }

        return new RadiusAttribute(vendorType, vendorId, value.ToArray());
    }

    public static RadiusAttribute Vendor(uint vendorId, byte vendorType, string value) => Vendor(vendorId, vendorType, Utf8(value));

    /// <summary>
    /// Builds an attribute from its dictionary name and a textual value: "20M/50M", "3600", "10.0.0.5",
    /// or hex "0x0a0b" for octets.
    /// </summary>
    public static RadiusAttribute FromName(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        var definition = RadiusAttributeNames.Find(name)
            ?? throw new ArgumentException($"Unknown RADIUS attribute name '{name}'.", nameof(name));
        byte[] bytes = definition.Kind switch
        {
            RadiusValueKind.Text => Utf8(value),
            RadiusValueKind.Number => UInt32Bytes(uint.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture)),
            RadiusValueKind.Address => IPv4Bytes(IPAddress.Parse(value)),
            _ => value.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? Convert.FromHexString(value.AsSpan(2))
                : Utf8(value),
        };
        return new RadiusAttribute(definition.Type, definition.VendorId, bytes);
    }

    public static RadiusAttribute UserName(string value) => FromText(RadiusAttributeType.UserName, value);

    public static RadiusAttribute NasIpAddress(IPAddress address) => FromAddress(RadiusAttributeType.NasIpAddress, address);

    public static RadiusAttribute FramedIpAddress(IPAddress address) => FromAddress(RadiusAttributeType.FramedIpAddress, address);

    public static RadiusAttribute FilterId(string value) => FromText(RadiusAttributeType.FilterId, value);

    public static RadiusAttribute ReplyMessage(string value) => FromText(RadiusAttributeType.ReplyMessage, value);

    public static RadiusAttribute State(ReadOnlySpan<byte> value) => FromOctets(RadiusAttributeType.State, value);

    public static RadiusAttribute Class(ReadOnlySpan<byte> value) => FromOctets(RadiusAttributeType.Class, value);

    public static RadiusAttribute SessionTimeout(uint seconds) => FromNumber(RadiusAttributeType.SessionTimeout, seconds);

    public static RadiusAttribute CalledStationId(string value) => FromText(RadiusAttributeType.CalledStationId, value);

    public static RadiusAttribute CallingStationId(string value) => FromText(RadiusAttributeType.CallingStationId, value);

    public static RadiusAttribute NasIdentifier(string value) => FromText(RadiusAttributeType.NasIdentifier, value);

    public static RadiusAttribute AcctStatusType(uint value) => FromNumber(RadiusAttributeType.AcctStatusType, value);

    public static RadiusAttribute AcctInputOctets(uint value) => FromNumber(RadiusAttributeType.AcctInputOctets, value);

    public static RadiusAttribute AcctOutputOctets(uint value) => FromNumber(RadiusAttributeType.AcctOutputOctets, value);

    public static RadiusAttribute AcctSessionId(string value) => FromText(RadiusAttributeType.AcctSessionId, value);

    public static RadiusAttribute AcctInputGigawords(uint value) => FromNumber(RadiusAttributeType.AcctInputGigawords, value);

    public static RadiusAttribute AcctOutputGigawords(uint value) => FromNumber(RadiusAttributeType.AcctOutputGigawords, value);

    public static RadiusAttribute EventTimestamp(DateTimeOffset instant) =>
        FromNumber(RadiusAttributeType.EventTimestamp, checked((uint)instant.ToUnixTimeSeconds()));

    public static RadiusAttribute FramedPool(string value) => FromText(RadiusAttributeType.FramedPool, value);

    public static RadiusAttribute ErrorCause(uint value) => FromNumber(RadiusAttributeType.ErrorCause, value);

    public static RadiusAttribute MikrotikRateLimit(string value) => Vendor(RadiusVendor.Mikrotik, RadiusVendor.MikrotikRateLimit, value);

    public static RadiusAttribute CiscoAvPair(string value) => Vendor(RadiusVendor.Cisco, RadiusVendor.CiscoAvPair, value);

    public static RadiusAttribute ErxQosProfileName(string value) => Vendor(RadiusVendor.JuniperErx, RadiusVendor.ErxQosProfileName, value);

    /// <summary>A zero placeholder; the real value is computed when the packet is encoded.</summary>
    public static RadiusAttribute MessageAuthenticator() => new(RadiusAttributeType.MessageAuthenticator, 0, new byte[16]);

    public bool Is(byte type) => VendorId == 0 && Type == type;

    public bool Is(uint vendorId, byte vendorType) => VendorId == vendorId && Type == vendorType;

    public string AsString() => Encoding.UTF8.GetString(_value);

    public uint AsUInt32() => _value.Length == 4
        ? BinaryPrimitives.ReadUInt32BigEndian(_value)
        : throw new RadiusPacketException($"{Name} should hold 4 octets, not {_value.Length}.");

    public IPAddress AsIPv4() => _value.Length == 4
        ? new IPAddress(_value)
        : throw new RadiusPacketException($"{Name} should hold an IPv4 address (4 octets), not {_value.Length} octets.");

    /// <summary>The value in the form FreeRADIUS prints: text, a number, an address, or 0x-prefixed hex.</summary>
    public string FormatValue()
    {
        var kind = RadiusAttributeNames.Find(VendorId, Type)?.Kind ?? RadiusValueKind.Octets;
        return kind switch
        {
            RadiusValueKind.Text => AsString(),
            RadiusValueKind.Number when _value.Length == 4 => AsUInt32().ToString(CultureInfo.InvariantCulture),
            RadiusValueKind.Address when _value.Length == 4 => AsIPv4().ToString(),
            _ => "0x" + Convert.ToHexStringLower(_value),
        };
    }

    public override string ToString() => $"{Name} = {FormatValue()}";

    internal int WireLength => VendorId == 0 ? 2 + _value.Length : 8 + _value.Length;

    internal int WriteTo(Span<byte> destination)
    {
        if (VendorId == 0)
        {
            destination[0] = Type;
            destination[1] = (byte)(2 + _value.Length);
            _value.CopyTo(destination[2..]);
            return 2 + _value.Length;
        }

        destination[0] = RadiusAttributeType.VendorSpecific;
        destination[1] = (byte)(8 + _value.Length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], VendorId);
        destination[6] = Type;
        destination[7] = (byte)(2 + _value.Length);
        _value.CopyTo(destination[8..]);
        return 8 + _value.Length;
    }

    internal static RadiusAttribute FromWire(byte type, uint vendorId, ReadOnlySpan<byte> value) => new(type, vendorId, value.ToArray());

    private static string Describe(uint vendorId, byte type) =>
        vendorId == 0
            ? string.Create(CultureInfo.InvariantCulture, $"Attr-{type}")
            : string.Create(CultureInfo.InvariantCulture, $"Vendor-{vendorId}-Attr-{type}");

    private static byte[] Utf8(string value) => Encoding.UTF8.GetBytes(value);

    private static byte[] UInt32Bytes(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] IPv4Bytes(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"{address} is not an IPv4 address.", nameof(address));
        }

        return address.GetAddressBytes();
    }
}
