using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Kabinet.Web.Integrations;

/// <summary>
/// This instance's own loopback address, for calls it makes to itself: the sandbox acquirer's
/// API and its notifications travel over real HTTP like a remote acquirer's.
/// </summary>
public sealed class SelfAddress(IServer server)
{
    /// <summary>The base address, e.g. http://127.0.0.1:5000/.</summary>
    public Uri Base
    {
        get
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("The server has no address yet.");
            var uri = new Uri(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
                .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal));
            return new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
        }
    }
}
