using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

// MD5 and HMAC-MD5 are what RFC 2865, 2866, 3579 and 5176 prescribe; the peers accept nothing else.
#pragma warning disable CA5351

namespace Kabinet.Web.Integrations.Radius;

/// <summary>
/// The RADIUS integrity checks: Request Authenticator (RFC 2866 §3, RFC 5176 §2.3), Response
/// Authenticator (RFC 2865 §3), Message-Authenticator (RFC 3579 §3.2, RFC 5176 §3.5) and
/// User-Password hiding (RFC 2865 §5.2). Methods take whole wire packets.
/// </summary>
public static class RadiusAuthenticator
{
    private const int AuthOffset = 4;
    private const int AuthLength = RadiusPacket.AuthenticatorLength;

    /// <summary>MD5(Code + Identifier + Length + 16 zero octets + Attributes + Secret).</summary>
    public static byte[] ComputeRequestAuthenticator(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> secret) =>
        Md5WithAuthenticator(packet, stackalloc byte[AuthLength], secret);

    /// <summary>MD5(Code + Identifier + Length + Request Authenticator + Attributes + Secret).</summary>
    public static byte[] ComputeResponseAuthenticator(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> requestAuthenticator, ReadOnlySpan<byte> secret) =>
        Md5WithAuthenticator(packet, requestAuthenticator, secret);

    /// <summary>
    /// Fills the Message-Authenticator of <paramref name="packet"/> in place with HMAC-MD5 over the
    /// packet as it stands (its value zeroed first). The caller puts in the authenticator field what
    /// the RFCs require: the request authenticator for Access-Request and responses, zeros for
    /// Accounting, CoA and Disconnect requests.
    /// </summary>
    public static void SignMessageAuthenticator(Span<byte> packet, ReadOnlySpan<byte> secret)
    {
        var offset = FindMessageAuthenticator(packet);
        if (offset < 0)
        {
            throw new RadiusPacketException("The packet has no Message-Authenticator to sign.");
        }

        packet.Slice(offset, AuthLength).Clear();
        HMACMD5.HashData(secret, packet[..PacketLength(packet)], packet.Slice(offset, AuthLength));
    }

    /// <summary>
    /// True when a response answers the request whose authenticator is given: the Response
    /// Authenticator matches and, if present, so does the Message-Authenticator.
    /// </summary>
    public static bool VerifyResponse(ReadOnlySpan<byte> response, ReadOnlySpan<byte> requestAuthenticator, ReadOnlySpan<byte> secret)
    {
        if (!IsFramed(response) || requestAuthenticator.Length != AuthLength)
        {
            return false;
        }

        var expected = ComputeResponseAuthenticator(response, requestAuthenticator, secret);
        return CryptographicOperations.FixedTimeEquals(expected, response.Slice(AuthOffset, AuthLength))
            && MessageAuthenticatorMatches(response, requestAuthenticator, secret, required: false);
    }

    /// <summary>
    /// True when a received request is signed with the secret: the Request Authenticator for
    /// Accounting, CoA and Disconnect requests, and the Message-Authenticator when present (or
    /// when <paramref name="requireMessageAuthenticator"/>).
    /// </summary>
    public static bool VerifyRequest(ReadOnlySpan<byte> request, ReadOnlySpan<byte> secret, bool requireMessageAuthenticator = false)
    {
        if (!IsFramed(request))
        {
            return false;
        }

        var code = (RadiusCode)request[0];
        if (code is RadiusCode.AccessRequest or RadiusCode.StatusServer)
        {
            return MessageAuthenticatorMatches(request, request.Slice(AuthOffset, AuthLength), secret, requireMessageAuthenticator);
        }

        var expected = ComputeRequestAuthenticator(request, secret);
        return CryptographicOperations.FixedTimeEquals(expected, request.Slice(AuthOffset, AuthLength))
            && MessageAuthenticatorMatches(request, stackalloc byte[AuthLength], secret, requireMessageAuthenticator);
    }

    /// <summary>User-Password hiding (RFC 2865 §5.2): pad to 16, XOR with the MD5 chain of secret and authenticator.</summary>
    public static byte[] HidePassword(ReadOnlySpan<byte> password, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> authenticator)
    {
        if (password.Length > 128)
        {
            throw new ArgumentException("User-Password is at most 128 octets.", nameof(password));
        }

        var length = Math.Max(16, (password.Length + 15) / 16 * 16);
        var result = new byte[length];
        password.CopyTo(result);
        XorChain(result, secret, authenticator, hiding: true);
        return result;
    }

    /// <summary>Reverses <see cref="HidePassword"/> and strips the zero padding.</summary>
    public static byte[] RevealPassword(ReadOnlySpan<byte> hidden, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> authenticator)
    {
        if (hidden.Length == 0 || hidden.Length % 16 != 0 || hidden.Length > 128)
        {
            throw new RadiusPacketException($"A hidden User-Password is 16..128 octets in blocks of 16; got {hidden.Length}.");
        }

        var result = hidden.ToArray();
        XorChain(result, secret, authenticator, hiding: false);
        var end = result.Length;
        while (end > 0 && result[end - 1] == 0)
        {
            end--;
        }

        return result[..end];
    }

    public static byte[] Secret(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return Encoding.UTF8.GetBytes(secret);
    }

    private static void XorChain(byte[] data, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> authenticator, bool hiding)
    {
        var input = new byte[secret.Length + AuthLength];
        secret.CopyTo(input);
        var previous = authenticator.ToArray();
        Span<byte> digest = stackalloc byte[AuthLength];
        for (var block = 0; block < data.Length; block += AuthLength)
        {
            previous.CopyTo(input.AsSpan(secret.Length));
            MD5.HashData(input, digest);
            var cipher = data.AsSpan(block, AuthLength);
            // The chain continues with the ciphertext block: after XOR when hiding, before it when revealing.
            if (!hiding)
            {
                cipher.CopyTo(previous);
            }

            for (var i = 0; i < AuthLength; i++)
            {
                cipher[i] ^= digest[i];
            }

            if (hiding)
            {
                cipher.CopyTo(previous);
            }
        }
    }

    private static bool MessageAuthenticatorMatches(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> authenticatorField, ReadOnlySpan<byte> secret, bool required)
    {
        var offset = FindMessageAuthenticator(packet);
        if (offset < 0)
        {
            return !required;
        }

        var copy = packet[..PacketLength(packet)].ToArray();
        authenticatorField.CopyTo(copy.AsSpan(AuthOffset));
        copy.AsSpan(offset, AuthLength).Clear();
        Span<byte> expected = stackalloc byte[AuthLength];
        HMACMD5.HashData(secret, copy, expected);
        return CryptographicOperations.FixedTimeEquals(expected, packet.Slice(offset, AuthLength));
    }

    private static byte[] Md5WithAuthenticator(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> authenticator, ReadOnlySpan<byte> secret)
    {
        var length = PacketLength(packet);
        var input = new byte[length + secret.Length];
        packet[..length].CopyTo(input);
        authenticator.CopyTo(input.AsSpan(AuthOffset));
        secret.CopyTo(input.AsSpan(length));
        return MD5.HashData(input);
    }

    /// <summary>Offset of the 16-octet value of the Message-Authenticator, or -1.</summary>
    private static int FindMessageAuthenticator(ReadOnlySpan<byte> packet)
    {
        var length = PacketLength(packet);
        var offset = RadiusPacket.HeaderLength;
        while (offset + 2 <= length)
        {
            int attributeLength = packet[offset + 1];
            if (attributeLength < 2 || offset + attributeLength > length)
            {
                return -1;
            }

            if (packet[offset] == RadiusAttributeType.MessageAuthenticator && attributeLength == 2 + AuthLength)
            {
                return offset + 2;
            }

            offset += attributeLength;
        }

        return -1;
    }

    private static bool IsFramed(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < RadiusPacket.HeaderLength)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        return length is >= RadiusPacket.HeaderLength and <= RadiusPacket.MaxLength && length <= packet.Length;
    }

    private static int PacketLength(ReadOnlySpan<byte> packet) =>
        IsFramed(packet)
            ? BinaryPrimitives.ReadUInt16BigEndian(packet[2..])
            : throw new RadiusPacketException("Not a framed RADIUS packet.");
}
