using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Kabinet.Web.Integrations.Radius;

/// <summary>
/// A RADIUS packet (RFC 2865 §3): code, identifier, 16-octet authenticator and attributes. Decoding
/// checks every length and throws <see cref="RadiusPacketException"/> on malformed input; encoding
/// signs requests and responses with the shared secret.
/// </summary>
public sealed class RadiusPacket
{
    public const int HeaderLength = 20;
    public const int MinLength = HeaderLength;
    public const int MaxLength = 4096;
    public const int AuthenticatorLength = 16;

    private byte[] _authenticator;

    public RadiusPacket(RadiusCode code, byte identifier = 0, ReadOnlySpan<byte> authenticator = default)
    {
        Code = code;
        Identifier = identifier;
        if (authenticator.IsEmpty)
        {
            // An Access-Request's authenticator is the random nonce that hides the password (RFC 2865 §3).
            _authenticator = code == RadiusCode.AccessRequest
                ? RandomNumberGenerator.GetBytes(AuthenticatorLength)
                : new byte[AuthenticatorLength];
        }
        else
        {
            _authenticator = CheckAuthenticator(authenticator);
        }
    }

    public RadiusCode Code { get; }

    public byte Identifier { get; set; }

    /// <summary>The authenticator field as last set or decoded (a copy).</summary>
    public ReadOnlySpan<byte> Authenticator => _authenticator;

    public List<RadiusAttribute> Attributes { get; } = [];

    public void SetAuthenticator(ReadOnlySpan<byte> authenticator) => _authenticator = CheckAuthenticator(authenticator);

    public RadiusPacket Add(RadiusAttribute attribute)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        Attributes.Add(attribute);
        return this;
    }

    public RadiusPacket AddRange(IEnumerable<RadiusAttribute> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        foreach (var attribute in attributes)
        {
            Add(attribute);
        }

        return this;
    }

    public RadiusAttribute? Find(byte type) => Attributes.Find(a => a.Is(type));

    public RadiusAttribute? Find(uint vendorId, byte vendorType) => Attributes.Find(a => a.Is(vendorId, vendorType));

    public RadiusAttribute? Find(string name)
    {
        var definition = RadiusAttributeNames.Find(name);
        return definition is null ? null : Find(definition.VendorId, definition.Type);
    }

    public string? GetString(byte type) => Find(type)?.AsString();

    public uint? GetUInt32(byte type) => Find(type)?.AsUInt32();

    /// <summary>Error-Cause of a NAK (RFC 5176 §3.5), if the NAS sent one.</summary>
    public uint? ErrorCause => GetUInt32(RadiusAttributeType.ErrorCause);

    /// <summary>
    /// Adds User-Password hidden with the secret and this packet's authenticator (RFC 2865 §5.2).
    /// The authenticator must not change afterwards.
    /// </summary>
    public RadiusPacket AddUserPassword(string password, string secret)
    {
        ArgumentNullException.ThrowIfNull(password);
        return Add(RadiusAttribute.FromOctets(
            RadiusAttributeType.UserPassword,
            RadiusAuthenticator.HidePassword(Encoding.UTF8.GetBytes(password), Secret(secret), _authenticator)));
    }

    /// <summary>Reveals User-Password of a decoded Access-Request, or null when there is none.</summary>
    public string? GetUserPassword(string secret)
    {
        var hidden = Find(RadiusAttributeType.UserPassword);
        return hidden is null
            ? null
            : Encoding.UTF8.GetString(RadiusAuthenticator.RevealPassword(hidden.Value.Span, Secret(secret), _authenticator));
    }

    /// <summary>Encodes the packet exactly as it stands: no signing, the authenticator field as set.</summary>
    public byte[] Encode() => Encode(Attributes);

    private byte[] Encode(List<RadiusAttribute> attributes)
    {
        var length = HeaderLength;
        foreach (var attribute in attributes)
        {
            length += attribute.WireLength;
        }

        if (length > MaxLength)
        {
            throw new RadiusPacketException(string.Create(CultureInfo.InvariantCulture,
                $"The packet would be {length} octets; RADIUS allows at most {MaxLength}."));
        }

        var buffer = new byte[length];
        buffer[0] = (byte)Code;
        buffer[1] = Identifier;
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), (ushort)length);
        _authenticator.CopyTo(buffer, 4);
        var offset = HeaderLength;
        foreach (var attribute in attributes)
        {
            offset += attribute.WriteTo(buffer.AsSpan(offset));
        }

        return buffer;
    }

    /// <summary>
    /// Encodes a request ready to send. An Access-Request keeps its random authenticator; Accounting,
    /// CoA and Disconnect requests get the Request Authenticator of RFC 2866 §3 / RFC 5176 §2.3. With
    /// <paramref name="messageAuthenticator"/> a Message-Authenticator is added (if absent) and
    /// computed as FreeRADIUS does: over the packet with a zero authenticator field for
    /// Accounting/CoA/Disconnect (RFC 5176 §3.5), over the request authenticator for Access-Request
    /// (RFC 3579 §3.2); the Request Authenticator then covers the Message-Authenticator.
    /// </summary>
    public byte[] EncodeRequest(string secret, bool messageAuthenticator = true)
    {
        var key = Secret(secret);
        var attributes = WithMessageAuthenticator(messageAuthenticator, out var signed);
        var isAccessRequest = Code is RadiusCode.AccessRequest or RadiusCode.StatusServer;
        if (!isAccessRequest)
        {
            Array.Clear(_authenticator);
        }

        var wire = Encode(attributes);
        if (signed)
        {
            RadiusAuthenticator.SignMessageAuthenticator(wire, key);
        }

        if (!isAccessRequest)
        {
            RadiusAuthenticator.ComputeRequestAuthenticator(wire, key).CopyTo(wire.AsSpan(4));
            _authenticator = wire.AsSpan(4, AuthenticatorLength).ToArray();
        }

        return wire;
    }

    /// <summary>
    /// Encodes a response to <paramref name="requestAuthenticator"/> (RFC 2865 §3 Response
    /// Authenticator), with a Message-Authenticator computed over the request authenticator first.
    /// Used by test peers that play a server or a NAS.
    /// </summary>
    public byte[] EncodeResponse(ReadOnlySpan<byte> requestAuthenticator, string secret, bool messageAuthenticator = true)
    {
        var key = Secret(secret);
        _authenticator = CheckAuthenticator(requestAuthenticator);
        var attributes = WithMessageAuthenticator(messageAuthenticator, out var signed);
        var wire = Encode(attributes);
        if (signed)
        {
            RadiusAuthenticator.SignMessageAuthenticator(wire, key);
        }

        RadiusAuthenticator.ComputeResponseAuthenticator(wire, requestAuthenticator, key).CopyTo(wire.AsSpan(4));
        _authenticator = wire.AsSpan(4, AuthenticatorLength).ToArray();
        return wire;
    }

    /// <summary>
    /// Decodes a datagram. Octets after the Length field's end are ignored (RFC 2865 §3); anything
    /// shorter than the Length field, a Length outside 20..4096, or an attribute that overruns is
    /// refused with <see cref="RadiusPacketException"/>.
    /// </summary>
    public static RadiusPacket Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderLength)
        {
            throw new RadiusPacketException(string.Create(CultureInfo.InvariantCulture,
                $"A RADIUS packet has a 20-octet header; got {data.Length} octets."));
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
        if (length is < MinLength or > MaxLength)
        {
            throw new RadiusPacketException(string.Create(CultureInfo.InvariantCulture,
                $"The Length field says {length}; RADIUS allows {MinLength}..{MaxLength}."));
        }

        if (length > data.Length)
        {
            throw new RadiusPacketException(string.Create(CultureInfo.InvariantCulture,
                $"The Length field says {length} but only {data.Length} octets arrived (truncated)."));
        }

        var packet = new RadiusPacket((RadiusCode)data[0], data[1], data.Slice(4, AuthenticatorLength));
        var attributes = data[HeaderLength..length];
        var offset = 0;
        while (offset < attributes.Length)
        {
            if (attributes.Length - offset < 2)
            {
                throw new RadiusPacketException(string.Create(CultureInfo.InvariantCulture,
                    $"Truncated attribute header at offset {HeaderLength + offset}."));
            }

            var type = attributes[offset];
            int attributeLength = attributes[offset + 1];
            if (attributeLength < 2)
            {
                throw new RadiusPacketException(string.Create(CultureInfo.InvariantCulture,
                    $"Attribute {type} at offset {HeaderLength + offset} has length {attributeLength}; the minimum is 2."));
            }

            if (offset + attributeLength > attributes.Length)
            {
                throw new RadiusPacketException(string.Create(CultureInfo.InvariantCulture,
                    $"Attribute {type} at offset {HeaderLength + offset} has length {attributeLength} and overruns the packet."));
            }

            if (type == 0)
            {
                throw new RadiusPacketException(string.Create(CultureInfo.InvariantCulture,
                    $"Attribute type 0 at offset {HeaderLength + offset} is reserved."));
            }

            var value = attributes.Slice(offset + 2, attributeLength - 2);
            if (type == RadiusAttributeType.VendorSpecific)
            {
                AddVendorSpecific(packet, value);
            }
            else
            {
                packet.Attributes.Add(RadiusAttribute.FromWire(type, 0, value));
            }

            offset += attributeLength;
        }

        return packet;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Code} id={Identifier}");
        foreach (var attribute in Attributes)
        {
            text.Append("\n  ").Append(attribute);
        }

        return text.ToString();
    }

    private static void AddVendorSpecific(RadiusPacket packet, ReadOnlySpan<byte> value)
    {
        if (value.Length < 4)
        {
            throw new RadiusPacketException($"Vendor-Specific of {value.Length} octets has no room for the vendor id.");
        }

        var vendorId = BinaryPrimitives.ReadUInt32BigEndian(value);
        if (!RadiusAttributeNames.IsKnownVendor(vendorId) || !TryReadSubAttributes(vendorId, value[4..], out var subAttributes))
        {
            // An unknown vendor's layout is not ours to guess: keep the attribute whole so it round-trips.
            packet.Attributes.Add(RadiusAttribute.FromWire(RadiusAttributeType.VendorSpecific, 0, value));
            return;
        }

        packet.Attributes.AddRange(subAttributes);
    }

    private static bool TryReadSubAttributes(uint vendorId, ReadOnlySpan<byte> data, out List<RadiusAttribute> subAttributes)
    {
        subAttributes = [];
        var offset = 0;
        while (offset < data.Length)
        {
            if (data.Length - offset < 2)
            {
                return false;
            }

            int length = data[offset + 1];
            if (length < 2 || offset + length > data.Length)
            {
                return false;
            }

            subAttributes.Add(RadiusAttribute.FromWire(data[offset], vendorId, data.Slice(offset + 2, length - 2)));
            offset += length;
        }

        return subAttributes.Count > 0;
    }

    /// <summary>
    /// The attributes to put on the wire: any Message-Authenticator as a zero placeholder (it is
    /// always recomputed, RFC 3579 §3.2), one appended when wanted. The packet itself is not changed.
    /// </summary>
    private List<RadiusAttribute> WithMessageAuthenticator(bool wanted, out bool signed)
    {
        var attributes = new List<RadiusAttribute>(Attributes.Count + 1);
        signed = false;
        foreach (var attribute in Attributes)
        {
            if (attribute.Is(RadiusAttributeType.MessageAuthenticator))
            {
                if (!signed)
                {
                    attributes.Add(RadiusAttribute.MessageAuthenticator());
                    signed = true;
                }
            }
            else
            {
                attributes.Add(attribute);
            }
        }

        if (wanted && !signed)
        {
            attributes.Add(RadiusAttribute.MessageAuthenticator());
            signed = true;
        }

        return attributes;
    }

    private static byte[] CheckAuthenticator(ReadOnlySpan<byte> authenticator) =>
        authenticator.Length == AuthenticatorLength
            ? authenticator.ToArray()
            : throw new ArgumentException("The authenticator is 16 octets.", nameof(authenticator));

    private static byte[] Secret(string secret) => RadiusAuthenticator.Secret(secret);
}
