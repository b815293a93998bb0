using System.Net;
using Kabinet.Web.Hosting;
using Microsoft.AspNetCore.HttpOverrides;

namespace Kabinet.Web.Features.Auth;

/// <summary>
/// Which reverse proxies may tell Kabinet the client's address and scheme (X-Forwarded-For,
/// X-Forwarded-Proto): only those listed in <c>Kabinet:ForwardedHeaders:KnownProxies</c> (addresses,
/// or networks as 10.0.0.0/8), none by default. ASP.NET Core would trust loopback out of the box,
/// which lets any local caller, or a proxy that passes the header through, pose as endless addresses
/// and walk past the per-address login limit.
/// </summary>
public static class TrustedProxies
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Kabinet:ForwardedHeaders";

    /// <summary>
    /// Reads X-Forwarded-For and X-Forwarded-Proto from the configured proxies; with none configured
    /// the middleware is left out altogether, since ASP.NET Core's forwarded-headers middleware with
    /// empty KnownProxies and KnownIPNetworks believes every peer.
    /// </summary>
    public static void UseTrustedProxies(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (Options(app.Configuration) is { } options)
        {
            app.UseForwardedHeaders(options);
        }
    }

    /// <summary>The forwarded-headers options for the configured proxies, or null when there are none.</summary>
    public static ForwardedHeadersOptions? Options(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        // A list (KnownProxies:0, KnownProxies:1...) or one comma-separated value.
        var section = configuration.GetSection(Section + ":KnownProxies");
        var listed = (section.Get<string[]>() ?? []).Append(section.Value ?? "");
        foreach (var entry in listed.SelectMany(e => e.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (IPAddress.TryParse(entry, out var address))
            {
                options.KnownProxies.Add(address);
            }
            else if (System.Net.IPNetwork.TryParse(entry, out var network))
            {
                options.KnownIPNetworks.Add(network);
            }
            else
            {
                throw new StartupRefusedException($"{Section}:KnownProxies: '{entry}' is neither an IP address nor a network like 10.0.0.0/8.");
            }
        }

        return options.KnownProxies.Count + options.KnownIPNetworks.Count > 0 ? options : null;
    }
}
