using System.Globalization;
using System.Security.Cryptography;
using Kabinet.Web.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.Auth;

/// <summary>A browser or app that has logged into these contracts before.</summary>
public sealed record KnownDevice(string Id, IReadOnlyList<string> Contracts)
{
    /// <summary>Whether the device has logged into this contract number.</summary>
    public bool Knows(string number) => Contracts.Contains(number, StringComparer.Ordinal);
}

/// <summary>
/// The "known device" cookie: signed and encrypted, set at every successful login, naming the
/// contracts this device has logged into. A known device has a login allowance of its own, so a
/// stranger guessing at a contract number cannot lock its owner out of the owner's own devices
/// (ASVS 2.2.1). Only a successful login creates one, so a guesser cannot mint it.
/// </summary>
public sealed class KnownDevices(IDataProtectionProvider protection, TimeProvider time, IOptions<KabinetOptions> options)
{
    private const string CookieName = "kabinet-device";
    private const int MaxContracts = 10;
    private readonly IDataProtector _protector = protection.CreateProtector("Kabinet.Auth.KnownDevice.v1");

    /// <summary>The device the request comes from, when it is a known one.</summary>
    public KnownDevice? Read(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var value = http.Request.Cookies[SecureCookies.Name(http, CookieName)];
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        string payload;
        try
        {
            payload = _protector.Unprotect(value);
        }
        catch (CryptographicException)
        {
            return null;
        }

        // id|issued (unix seconds)|number,number,...
        var parts = payload.Split('|');
        if (parts.Length != 3 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var issued)
            || DateTimeOffset.FromUnixTimeSeconds(issued).AddDays(options.Value.Login.KnownDeviceDays) <= time.GetUtcNow())
        {
            return null;
        }

        return new KnownDevice(parts[0], parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Remembers that this device has just logged into the contract.</summary>
    public void Remember(HttpContext http, KnownDevice? device, string number)
    {
        ArgumentNullException.ThrowIfNull(http);
        var id = device?.Id ?? System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var contracts = new[] { number }.Concat((device?.Contracts ?? []).Where(c => !string.Equals(c, number, StringComparison.Ordinal))).Take(MaxContracts);
        var payload = string.Join('|', id, time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), string.Join(',', contracts));
        http.Response.Cookies.Append(SecureCookies.Name(http, CookieName), _protector.Protect(payload), new CookieOptions
        {
            HttpOnly = true,
            Secure = http.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            MaxAge = TimeSpan.FromDays(options.Value.Login.KnownDeviceDays),
            IsEssential = true,
        });
    }
}
