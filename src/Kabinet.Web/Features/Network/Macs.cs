namespace Kabinet.Web.Features.Network;

/// <summary>MAC addresses in one form (lowercase, colon-separated), whatever the NAS sends.</summary>
public static class Macs
{
    /// <summary>"AA-BB-CC-DD-EE-FF", "aabb.ccdd.eeff", "AABBCCDDEEFF" → "aa:bb:cc:dd:ee:ff"; null when not a MAC.</summary>
    public static string? Normalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        Span<char> hex = stackalloc char[12];
        var n = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiHexDigit(c))
            {
                if (n == 12)
                {
                    return null;
                }

                hex[n++] = char.ToLowerInvariant(c);
            }
            else if (c is not (':' or '-' or '.' or ' '))
            {
                return null;
            }
        }

        return n == 12
            ? string.Create(17, hex.ToArray(), static (dst, src) =>
            {
                for (var i = 0; i < 6; i++)
                {
                    dst[i * 3] = src[i * 2];
                    dst[(i * 3) + 1] = src[(i * 2) + 1];
                    if (i < 5)
                    {
                        dst[(i * 3) + 2] = ':';
                    }
                }
            })
            : null;
    }
}
