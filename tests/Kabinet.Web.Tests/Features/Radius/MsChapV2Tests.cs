using Kabinet.Web.Tests.Infrastructure;

namespace Kabinet.Web.Tests.Features.Radius;

/// <summary>The test NAS's MS-CHAPv2 against RFC 2759 §9.2's worked example.</summary>
public sealed class MsChapV2Tests
{
    [Fact]
    public void Rfc2759_example_nt_response()
    {
        var authenticatorChallenge = Convert.FromHexString("5B5D7C7D7B3F2F3E3C2C602132262628");
        var peerChallenge = Convert.FromHexString("21402324255E262A28295F2B3A337C7E");

        Convert.ToHexString(MsChapV2.ChallengeHash(peerChallenge, authenticatorChallenge, "User")).ShouldBe("D02E4386BCE91226");
        Convert.ToHexString(MsChapV2.NtPasswordHash("clientPass")).ShouldBe("44EBBA8D5312B8D611474411F56989AE");
        Convert.ToHexString(MsChapV2.NtResponse(authenticatorChallenge, peerChallenge, "User", "clientPass"))
            .ShouldBe("82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF");
    }

    [Fact]
    public void Md4_matches_rfc1320_test_suite()
    {
        Convert.ToHexStringLower(MsChapV2.Md4(""u8)).ShouldBe("31d6cfe0d16ae931b73c59d7e0c089c0");
        Convert.ToHexStringLower(MsChapV2.Md4("abc"u8)).ShouldBe("a448017aaf21d8525fc10ae87aa6729d");
        Convert.ToHexStringLower(MsChapV2.Md4("12345678901234567890123456789012345678901234567890123456789012345678901234567890"u8))
            .ShouldBe("e33b4ddc9c38f2199c3e7b164fcc0536");
    }
}
