using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Kabinet.Web.Features.Network;

/// <summary>
/// PPPoE passwords and NAS CoA secrets are stored encrypted with the application's data-protection
/// keys (kept in the database), and decrypted only to hand them to FreeRADIUS or to sign a CoA:
/// CHAP and MS-CHAPv2 need the cleartext on the RADIUS side, so a hash would not do.
/// </summary>
public sealed class NetworkSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Kabinet.Network.Secret");

    /// <summary>Encrypts a password or secret for storage.</summary>
    public string Protect(string secret) => _protector.Protect(secret);

    /// <summary>Decrypts a stored value; null when it cannot be read (keys lost or value damaged).</summary>
    public string? Unprotect(string? stored)
    {
        if (string.IsNullOrEmpty(stored))
        {
            return null;
        }

        try
        {
            return _protector.Unprotect(stored);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
