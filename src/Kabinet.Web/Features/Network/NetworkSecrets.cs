using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Kabinet.Web.Features.Network;

/// <summary>
/// PPPoE passwords and NAS CoA secrets are stored encrypted with the application's data-protection
/// keys (kept in the database), and decrypted only to hand them to FreeRADIUS or to sign a CoA:
/// CHAP and MS-CHAPv2 need the cleartext on the RADIUS side, so a hash would not do.
/// </summary>
/// <remarks>
/// Decrypted values are kept by their stored form: every Access-Request needs one, a NAS that
/// restarts asks for all its subscribers' at once, and a data-protection unprotect (a key
/// derivation and a MAC check) was a fifth of an Access-Request's cost. A changed password is a
/// new stored form, so nothing is ever stale; the process can decrypt them all anyway.
/// </remarks>
public sealed class NetworkSecrets(IDataProtectionProvider provider)
{
    private const int CacheLimit = 1_000_000;

    private readonly IDataProtector _protector = provider.CreateProtector("Kabinet.Network.Secret");
    private readonly ConcurrentDictionary<string, string> _clear = new(StringComparer.Ordinal);
    private int _cached;

    /// <summary>Encrypts a password or secret for storage.</summary>
    public string Protect(string secret) => _protector.Protect(secret);

    /// <summary>Decrypts a stored value; null when it cannot be read (keys lost or value damaged).</summary>
    public string? Unprotect(string? stored)
    {
        if (string.IsNullOrEmpty(stored))
        {
            return null;
        }

        if (_clear.TryGetValue(stored, out var clear))
        {
            return clear;
        }

        try
        {
            clear = _protector.Unprotect(stored);
        }
        catch (CryptographicException)
        {
            return null;
        }

        if (Interlocked.Increment(ref _cached) > CacheLimit)
        {
            _clear.Clear();
            Interlocked.Exchange(ref _cached, 0);
        }

        _clear[stored] = clear;
        return clear;
    }
}
