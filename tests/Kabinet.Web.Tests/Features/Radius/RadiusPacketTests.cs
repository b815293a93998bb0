using System.Net;
using System.Text;
using Kabinet.Web.Integrations.Radius;

namespace Kabinet.Web.Tests.Features.Radius;

/// <summary>RADIUS framing, authenticators and password hiding against the RFCs' own numbers.</summary>
public sealed class RadiusPacketTests
{
    // RFC 2865 §7.1: "nemo" / "arctangent" from NAS 192.168.1.16 port 3, secret "xyzzy5461".
    private const string Rfc2865Request =
        "010000380f403f9473978057bd83d5cb98f4227a01066e656d6f02120dbe708d93d413ce3196e43f782a0aee0406c0a80110050600000003";
    private const string Rfc2865Accept =
        "0200002686fe220e7624ba2a1005f6bf9b55e0b20606000000010f06000000000e06c0a80103";

    [Fact]
    public void Rfc2865_example_password_is_hidden_and_revealed()
    {
        var authenticator = Convert.FromHexString("0f403f9473978057bd83d5cb98f4227a");

        var hidden = RadiusAuthenticator.HidePassword("arctangent"u8, "xyzzy5461"u8, authenticator);

        Convert.ToHexStringLower(hidden).ShouldBe("0dbe708d93d413ce3196e43f782a0aee");
        Encoding.UTF8.GetString(RadiusAuthenticator.RevealPassword(hidden, "xyzzy5461"u8, authenticator)).ShouldBe("arctangent");
    }

    [Fact]
    public void Rfc2865_example_request_encodes_byte_for_byte()
    {
        var request = new RadiusPacket(RadiusCode.AccessRequest, 0, Convert.FromHexString("0f403f9473978057bd83d5cb98f4227a"))
            .Add(RadiusAttribute.UserName("nemo"))
            .AddUserPassword("arctangent", "xyzzy5461")
            .Add(RadiusAttribute.NasIpAddress(IPAddress.Parse("192.168.1.16")))
            .Add(RadiusAttribute.FromNumber(RadiusAttributeType.NasPort, 3));

        Convert.ToHexStringLower(request.EncodeRequest("xyzzy5461", messageAuthenticator: false)).ShouldBe(Rfc2865Request);

        var decoded = RadiusPacket.Decode(Convert.FromHexString(Rfc2865Request));
        decoded.GetString(RadiusAttributeType.UserName).ShouldBe("nemo");
        decoded.GetUserPassword("xyzzy5461").ShouldBe("arctangent");
        decoded.Find(RadiusAttributeType.NasIpAddress)!.AsIPv4().ShouldBe(IPAddress.Parse("192.168.1.16"));
    }

    [Fact]
    public void Rfc2865_example_accept_has_the_published_response_authenticator()
    {
        var accept = Convert.FromHexString(Rfc2865Accept);
        var requestAuthenticator = Convert.FromHexString("0f403f9473978057bd83d5cb98f4227a");

        RadiusAuthenticator.VerifyResponse(accept, requestAuthenticator, "xyzzy5461"u8).ShouldBeTrue();
        RadiusAuthenticator.VerifyResponse(accept, requestAuthenticator, "wrong"u8).ShouldBeFalse();

        var rebuilt = new RadiusPacket(RadiusCode.AccessAccept)
            .Add(RadiusAttribute.FromNumber(6, 1))
            .Add(RadiusAttribute.FromNumber(15, 0))
            .Add(RadiusAttribute.FromAddress(14, IPAddress.Parse("192.168.1.3")));
        rebuilt.EncodeResponse(requestAuthenticator, "xyzzy5461", messageAuthenticator: false).ShouldBe(accept);
    }

    [Fact]
    public void Accounting_request_authenticator_is_md5_over_zeros_and_secret()
    {
        // Vector computed independently with Python's hashlib.
        var request = new RadiusPacket(RadiusCode.AccountingRequest, 7)
            .Add(RadiusAttribute.UserName("nemo"))
            .Add(RadiusAttribute.AcctStatusType(1))
            .Add(RadiusAttribute.AcctSessionId("sess0001"));

        var wire = request.EncodeRequest("testing123", messageAuthenticator: false);

        Convert.ToHexStringLower(wire.AsSpan(4, 16)).ShouldBe("02ee992ba584d1b552fcd053230c5c97");
        RadiusAuthenticator.VerifyRequest(wire, "testing123"u8).ShouldBeTrue();
        RadiusAuthenticator.VerifyRequest(wire, "testing124"u8).ShouldBeFalse();
    }

    [Fact]
    public void Coa_message_authenticator_is_computed_over_a_zero_authenticator_then_covered_by_it()
    {
        // Vector computed independently with Python's hashlib and hmac (RFC 5176 §3.5).
        var request = new RadiusPacket(RadiusCode.CoaRequest, 9)
            .Add(RadiusAttribute.UserName("nemo"))
            .Add(RadiusAttribute.MikrotikRateLimit("20M/50M"));

        var wire = request.EncodeRequest("testing123");

        Convert.ToHexStringLower(wire).ShouldBe(
            "2b09003b9f7d512d77205afb02e501679e9e30da01066e656d6f1a0f00003a8c080932304d2f35304d501238e35f71dba45097030862941d38641a");
        RadiusAuthenticator.VerifyRequest(wire, "testing123"u8, requireMessageAuthenticator: true).ShouldBeTrue();

        var tampered = (byte[])wire.Clone();
        tampered[^1] ^= 1;
        RadiusAuthenticator.VerifyRequest(tampered, "testing123"u8).ShouldBeFalse();
    }

    [Fact]
    public void Response_message_authenticator_is_verified()
    {
        var requestAuthenticator = Convert.FromHexString("00112233445566778899aabbccddeeff");
        var nak = new RadiusPacket(RadiusCode.CoaNak, 3).Add(RadiusAttribute.ErrorCause(503));
        var wire = nak.EncodeResponse(requestAuthenticator, "s3cret");

        RadiusPacket.Decode(wire).Find(RadiusAttributeType.MessageAuthenticator).ShouldNotBeNull();
        RadiusAuthenticator.VerifyResponse(wire, requestAuthenticator, "s3cret"u8).ShouldBeTrue();

        // A forger who fixes the Response Authenticator but not the HMAC is still caught.
        var forged = (byte[])wire.Clone();
        forged[^1] ^= 0x80;
        RadiusAuthenticator.ComputeResponseAuthenticator(forged, requestAuthenticator, "s3cret"u8).CopyTo(forged.AsSpan(4));
        RadiusAuthenticator.VerifyResponse(forged, requestAuthenticator, "s3cret"u8).ShouldBeFalse();
    }

    [Fact]
    public void Long_passwords_hide_in_chained_blocks()
    {
        var authenticator = Convert.FromHexString("0102030405060708090a0b0c0d0e0f10");
        var password = Encoding.UTF8.GetBytes("a-much-longer-password-of-41-octets-12345");

        var hidden = RadiusAuthenticator.HidePassword(password, "xyzzy5461"u8, authenticator);

        hidden.Length.ShouldBe(48);
        RadiusAuthenticator.RevealPassword(hidden, "xyzzy5461"u8, authenticator).ShouldBe(password);
    }

    [Fact]
    public void Attributes_and_vendor_attributes_round_trip()
    {
        var instant = new DateTimeOffset(2027, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var packet = new RadiusPacket(RadiusCode.CoaRequest, 200)
            .Add(RadiusAttribute.UserName("100000000001"))
            .Add(RadiusAttribute.NasIpAddress(IPAddress.Parse("10.0.0.1")))
            .Add(RadiusAttribute.FramedIpAddress(IPAddress.Parse("100.64.0.7")))
            .Add(RadiusAttribute.FilterId("blocked"))
            .Add(RadiusAttribute.ReplyMessage("Баланс отрицательный"))
            .Add(RadiusAttribute.State([1, 2, 3]))
            .Add(RadiusAttribute.Class([9, 9]))
            .Add(RadiusAttribute.SessionTimeout(3600))
            .Add(RadiusAttribute.CalledStationId("pppoe-main"))
            .Add(RadiusAttribute.CallingStationId("AA:BB:CC:DD:EE:FF"))
            .Add(RadiusAttribute.NasIdentifier("bras-1"))
            .Add(RadiusAttribute.AcctStatusType(3))
            .Add(RadiusAttribute.AcctInputOctets(uint.MaxValue))
            .Add(RadiusAttribute.AcctOutputOctets(12))
            .Add(RadiusAttribute.AcctSessionId("81200004"))
            .Add(RadiusAttribute.AcctInputGigawords(2))
            .Add(RadiusAttribute.AcctOutputGigawords(0))
            .Add(RadiusAttribute.EventTimestamp(instant))
            .Add(RadiusAttribute.FramedPool("blocked"))
            .Add(RadiusAttribute.ErrorCause(201))
            .Add(RadiusAttribute.MikrotikRateLimit("20M/50M"))
            .Add(RadiusAttribute.CiscoAvPair("subscriber:sub-qos-policy-out=100M"))
            .Add(RadiusAttribute.ErxQosProfileName("tariff-100"));

        var decoded = RadiusPacket.Decode(packet.EncodeRequest("secret"));

        decoded.Code.ShouldBe(RadiusCode.CoaRequest);
        decoded.Identifier.ShouldBe((byte)200);
        decoded.Attributes.Where(a => !a.Is(RadiusAttributeType.MessageAuthenticator)).Select(a => a.ToString())
            .ShouldBe(packet.Attributes.Select(a => a.ToString()));
        decoded.Find(RadiusAttributeType.MessageAuthenticator).ShouldNotBeNull("signed on the wire, the packet object untouched");
        decoded.GetString(RadiusAttributeType.ReplyMessage).ShouldBe("Баланс отрицательный");
        decoded.GetUInt32(RadiusAttributeType.AcctInputOctets).ShouldBe(uint.MaxValue);
        decoded.GetUInt32(RadiusAttributeType.EventTimestamp).ShouldBe((uint)instant.ToUnixTimeSeconds());
        decoded.Find(RadiusVendor.Mikrotik, RadiusVendor.MikrotikRateLimit)!.AsString().ShouldBe("20M/50M");
        decoded.Find("Cisco-AVPair")!.AsString().ShouldBe("subscriber:sub-qos-policy-out=100M");
        decoded.Find("ERX-Qos-Profile-Name")!.ToString().ShouldBe("ERX-Qos-Profile-Name = tariff-100");
        decoded.Find(RadiusAttributeType.FramedIpAddress)!.AsIPv4().ShouldBe(IPAddress.Parse("100.64.0.7"));
        decoded.ErrorCause.ShouldBe(201u);
    }

    [Fact]
    public void Attributes_are_built_by_dictionary_name()
    {
        var rate = RadiusAttribute.FromName("Mikrotik-Rate-Limit", "1M/2M");
        rate.VendorId.ShouldBe(RadiusVendor.Mikrotik);
        rate.Type.ShouldBe(RadiusVendor.MikrotikRateLimit);
        RadiusAttribute.FromName("Session-Timeout", "60").AsUInt32().ShouldBe(60u);
        RadiusAttribute.FromName("framed-ip-address", "10.1.2.3").AsIPv4().ShouldBe(IPAddress.Parse("10.1.2.3"));
        RadiusAttribute.FromName("Class", "0x0a0b").Value.ToArray().ShouldBe(new byte[] { 10, 11 });
        Should.Throw<ArgumentException>(() => RadiusAttribute.FromName("No-Such-Attribute", "x"));
    }

    [Fact]
    public void Unknown_vendor_attributes_are_kept_whole()
    {
        byte[] vsa = [26, 12, 0, 0, 0x30, 0x39, 1, 6, 1, 2, 3, 4];
        var wire = Header(RadiusCode.AccessAccept, 20 + vsa.Length).Concat(vsa).ToArray();

        var packet = RadiusPacket.Decode(wire);

        packet.Attributes.Count.ShouldBe(1);
        packet.Attributes[0].Type.ShouldBe(RadiusAttributeType.VendorSpecific);
        packet.Attributes[0].VendorId.ShouldBe(0u);
        packet.Encode().ShouldBe(wire);
    }

    [Fact]
    public void Values_and_packets_too_long_are_refused()
    {
        Should.Throw<ArgumentException>(() => RadiusAttribute.ReplyMessage(new string('x', 254)));
        Should.Throw<ArgumentException>(() => RadiusAttribute.MikrotikRateLimit(new string('x', 248)));

        var packet = new RadiusPacket(RadiusCode.CoaRequest);
        for (var i = 0; i < 17; i++)
        {
            packet.Add(RadiusAttribute.ReplyMessage(new string('x', 253)));
        }

        Should.Throw<RadiusPacketException>(packet.Encode);
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "empty", "" },
        { "short header", "2b0900" },
        { "length below 20", "2b090013" + new string('0', 32) },
        { "length above 4096", "2b091001" + new string('0', 32) },
        { "truncated: length says more than arrived", "2b090020" + new string('0', 32) + "0106" },
        { "attribute length 0", "2b090016" + new string('0', 32) + "0100" },
        { "attribute length 1", "2b090016" + new string('0', 32) + "0101" },
        { "attribute overruns the packet", "2b090018" + new string('0', 32) + "010a6e65" },
        { "lone attribute type octet", "2b090015" + new string('0', 32) + "01" },
        { "attribute type 0", "2b090018" + new string('0', 32) + "00046e65" },
        { "vendor-specific without vendor id", "2b090017" + new string('0', 32) + "1a0300" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_packets_are_refused_with_a_clear_exception(string what, string hex)
    {
        var exception = Should.Throw<RadiusPacketException>(() => RadiusPacket.Decode(Convert.FromHexString(hex)));
        exception.Message.ShouldNotBeNullOrWhiteSpace(what);
    }

    [Fact]
    public void Octets_after_the_length_field_are_ignored()
    {
        var wire = new RadiusPacket(RadiusCode.CoaAck, 1).Add(RadiusAttribute.UserName("a")).Encode();

        var padded = wire.Concat(new byte[] { 0xff, 0xff, 0xff }).ToArray();

        RadiusPacket.Decode(padded).Attributes.Count.ShouldBe(1);
    }

    [Fact]
    public void Random_garbage_never_escapes_as_anything_but_a_packet_exception()
    {
        var random = new Random(5176);
        for (var i = 0; i < 20_000; i++)
        {
            var data = new byte[random.Next(0, 120)];
            random.NextBytes(data);
            if (data.Length >= 20 && random.Next(2) == 0)
            {
                // Plausible lengths reach the attribute parser more often.
                data[2] = 0;
                data[3] = (byte)random.Next(20, data.Length + 1);
            }

            try
            {
                var packet = RadiusPacket.Decode(data);
                _ = packet.ToString();
                RadiusAuthenticator.VerifyResponse(data, new byte[16], "s"u8);
                RadiusAuthenticator.VerifyRequest(data, "s"u8);
            }
            catch (RadiusPacketException)
            {
            }
        }
    }

    private static byte[] Header(RadiusCode code, int length) =>
        [(byte)code, 1, (byte)(length >> 8), (byte)length, .. new byte[16]];
}
