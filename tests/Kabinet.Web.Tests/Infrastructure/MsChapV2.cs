using System.Security.Cryptography;
using System.Text;

namespace Kabinet.Web.Tests.Infrastructure;

/// <summary>
/// The peer's side of MS-CHAPv2 (RFC 2759) for tests that play a NAS: radclient can only compute
/// MS-CHAPv1, so the MS-CHAP-Challenge and MS-CHAP2-Response (RFC 2548) are built here and passed
/// to it as octets.
/// </summary>
public static class MsChapV2
{
    /// <summary>MS-CHAP2-Response's value: Ident, Flags, Peer-Challenge, 8 reserved octets, NT-Response.</summary>
    public static byte[] Response(byte ident, ReadOnlySpan<byte> authenticatorChallenge, ReadOnlySpan<byte> peerChallenge, string userName, string password)
    {
        var response = new byte[50];
        response[0] = ident;
        peerChallenge.CopyTo(response.AsSpan(2));
        NtResponse(authenticatorChallenge, peerChallenge, userName, password).CopyTo(response, 26);
        return response;
    }

    /// <summary>GenerateNTResponse (RFC 2759 §8.1).</summary>
    public static byte[] NtResponse(ReadOnlySpan<byte> authenticatorChallenge, ReadOnlySpan<byte> peerChallenge, string userName, string password) =>
        ChallengeResponse(ChallengeHash(peerChallenge, authenticatorChallenge, userName), NtPasswordHash(password));

    /// <summary>ChallengeHash (RFC 2759 §8.2): the first 8 octets of SHA1(peer + authenticator challenge + user name).</summary>
    public static byte[] ChallengeHash(ReadOnlySpan<byte> peerChallenge, ReadOnlySpan<byte> authenticatorChallenge, string userName)
    {
        byte[] input = [.. peerChallenge, .. authenticatorChallenge, .. Encoding.ASCII.GetBytes(userName)];
#pragma warning disable CA5350 // SHA-1 is what RFC 2759 prescribes
        return SHA1.HashData(input)[..8];
#pragma warning restore CA5350
    }

    /// <summary>NtPasswordHash (RFC 2759 §8.3): MD4 of the UTF-16LE password.</summary>
    public static byte[] NtPasswordHash(string password) => Md4(Encoding.Unicode.GetBytes(password));

    /// <summary>ChallengeResponse (RFC 2759 §8.5): three DES encryptions of the challenge with 7-octet slices of the hash.</summary>
    public static byte[] ChallengeResponse(ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> passwordHash)
    {
        var zPasswordHash = new byte[21];
        passwordHash.CopyTo(zPasswordHash);
        var response = new byte[24];
        for (var i = 0; i < 3; i++)
        {
            DesEncrypt(challenge, zPasswordHash.AsSpan(i * 7, 7)).CopyTo(response, i * 8);
        }

        return response;
    }

    private static byte[] DesEncrypt(ReadOnlySpan<byte> block, ReadOnlySpan<byte> key7)
    {
#pragma warning disable CA5351 // DES is what RFC 2759 prescribes
        using var des = DES.Create();
#pragma warning restore CA5351
        des.Key = ExpandDesKey(key7);
        return des.EncryptEcb(block, PaddingMode.None);
    }

    private static byte[] ExpandDesKey(ReadOnlySpan<byte> key7)
    {
        var key = new byte[8];
        key[0] = key7[0];
        key[1] = (byte)((key7[0] << 7) | (key7[1] >> 1));
        key[2] = (byte)((key7[1] << 6) | (key7[2] >> 2));
        key[3] = (byte)((key7[2] << 5) | (key7[3] >> 3));
        key[4] = (byte)((key7[3] << 4) | (key7[4] >> 4));
        key[5] = (byte)((key7[4] << 3) | (key7[5] >> 5));
        key[6] = (byte)((key7[5] << 2) | (key7[6] >> 6));
        key[7] = (byte)(key7[6] << 1);
        for (var i = 0; i < 8; i++)
        {
            // Odd parity in the low bit, as DES keys expect.
            var b = key[i] & 0xFE;
            key[i] = (byte)(b | (System.Numerics.BitOperations.PopCount((uint)b) % 2 == 0 ? 1 : 0));
        }

        return key;
    }

    /// <summary>MD4 (RFC 1320); .NET does not ship it.</summary>
    public static byte[] Md4(ReadOnlySpan<byte> message)
    {
        var bitLength = (ulong)message.Length * 8;
        var paddedLength = (message.Length + 8) / 64 * 64 + 64;
        var data = new byte[paddedLength];
        message.CopyTo(data);
        data[message.Length] = 0x80;
        BitConverter.TryWriteBytes(data.AsSpan(paddedLength - 8), bitLength);

        uint a = 0x67452301, b = 0xefcdab89, c = 0x98badcfe, d = 0x10325476;
        var x = new uint[16];
        for (var offset = 0; offset < paddedLength; offset += 64)
        {
            for (var i = 0; i < 16; i++)
            {
                x[i] = BitConverter.ToUInt32(data, offset + (i * 4));
            }

            uint aa = a, bb = b, cc = c, dd = d;
            int[] s1 = [3, 7, 11, 19];
            for (var i = 0; i < 16; i++)
            {
                var f = (b & c) | (~b & d);
                (a, b, c, d) = (d, uint.RotateLeft(a + f + x[i], s1[i % 4]), b, c);
            }

            int[] s2 = [3, 5, 9, 13];
            int[] order2 = [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15];
            for (var i = 0; i < 16; i++)
            {
                var g = (b & c) | (b & d) | (c & d);
                (a, b, c, d) = (d, uint.RotateLeft(a + g + x[order2[i]] + 0x5a827999, s2[i % 4]), b, c);
            }

            int[] s3 = [3, 9, 11, 15];
            int[] order3 = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15];
            for (var i = 0; i < 16; i++)
            {
                var h = b ^ c ^ d;
                (a, b, c, d) = (d, uint.RotateLeft(a + h + x[order3[i]] + 0x6ed9eba1, s3[i % 4]), b, c);
            }

            a += aa;
            b += bb;
            c += cc;
            d += dd;
        }

        var digest = new byte[16];
        BitConverter.TryWriteBytes(digest.AsSpan(0), a);
        BitConverter.TryWriteBytes(digest.AsSpan(4), b);
        BitConverter.TryWriteBytes(digest.AsSpan(8), c);
        BitConverter.TryWriteBytes(digest.AsSpan(12), d);
        return digest;
    }
}
