using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Kabinet.Web.Features.Auth;

/// <summary>
/// Remembers what a login cookie or an API bearer token decrypts to, so the cabinet and the API do
/// not run data protection (key derivation, AES and HMAC) on every request of the same session. The
/// key is the exact cookie or token text, which only the server can produce; the handler still
/// checks the ticket's expiry on every request, and each request gets its own copy of the ticket.
/// Only the decryption is remembered, never the verdict: whether the session is still live is read
/// from the database on every request after this (<see cref="SessionAuthentication"/>).
/// </summary>
public sealed class CachedTicketFormat(ISecureDataFormat<AuthenticationTicket> inner) : ISecureDataFormat<AuthenticationTicket>
{
    private const int Limit = 20_000;
    private readonly ConcurrentDictionary<string, AuthenticationTicket> _tickets = new(StringComparer.Ordinal);

    /// <summary>Wraps the cookie scheme's ticket format once the framework has set it up.</summary>
    public static void AddTo(IServiceCollection services, string scheme) =>
        services.PostConfigure<CookieAuthenticationOptions>(scheme, o => o.TicketDataFormat = new CachedTicketFormat(o.TicketDataFormat));

    /// <summary>Wraps the bearer token scheme's access token format.</summary>
    public static void AddToBearer(IServiceCollection services, string scheme) =>
        services.PostConfigure<BearerTokenOptions>(scheme, o => o.BearerTokenProtector = new CachedTicketFormat(o.BearerTokenProtector));

    /// <inheritdoc />
    public string Protect(AuthenticationTicket data) => inner.Protect(data);

    /// <inheritdoc />
    public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

    /// <inheritdoc />
    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

    /// <inheritdoc />
    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        if (string.IsNullOrEmpty(protectedText) || purpose is not null)
        {
            return inner.Unprotect(protectedText, purpose);
        }

        if (_tickets.TryGetValue(protectedText, out var known))
        {
            return known.Clone();
        }

        var ticket = inner.Unprotect(protectedText, purpose);
        if (ticket is not null)
        {
            if (_tickets.Count >= Limit)
            {
                _tickets.Clear();
            }

            _tickets[protectedText] = ticket.Clone();
        }

        return ticket;
    }
}
