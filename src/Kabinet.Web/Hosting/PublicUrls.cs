using Kabinet.Web.Integrations;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Hosting;

/// <summary>
/// Absolute addresses of this Kabinet as the public reaches it, built from <c>Kabinet:PublicUrl</c>
/// (in demo mode, when unset, from the listening address). Never from the request: its Host header
/// is whatever the client wrote, and a payer sent back to it after the bank's page lands on the
/// client's site.
/// </summary>
public sealed partial class PublicUrls(IOptions<KabinetOptions> options, SelfAddress self, ILogger<PublicUrls> logger)
{
    /// <summary>The public base address, ending with a slash; null (and logged) when none is configured.</summary>
    public Uri? Base
    {
        get
        {
            var settings = options.Value;
            if (settings.PublicBase is { } configured)
            {
                return configured;
            }

            if (settings.DemoEnabled)
            {
                try
                {
                    return self.Base;
                }
                catch (InvalidOperationException)
                {
                    // A server without addresses (not started, or an in-memory test host): nothing to build on.
                }
            }

            LogNotConfigured(logger);
            return null;
        }
    }

    /// <summary>
    /// Whether an absolute address lies within the public base: same scheme, host and port, and a
    /// path under the base's. Anything else (another host, credentials, a relative or garbled
    /// address) is outside.
    /// </summary>
    public static bool Within(Uri root, string? url)
    {
        ArgumentNullException.ThrowIfNull(root);
        return Uri.TryCreate(url, UriKind.Absolute, out var parsed)
            && string.Equals(parsed.Scheme, root.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(parsed.IdnHost, root.IdnHost, StringComparison.OrdinalIgnoreCase)
            && parsed.Port == root.Port
            && parsed.UserInfo.Length == 0
            && parsed.AbsolutePath.StartsWith(root.AbsolutePath, StringComparison.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Kabinet:PublicUrl is not set (and demo mode is off): payments are refused, since the bank must be told where to send the payer back. Set it to the address subscribers open, e.g. https://lk.example.ru/.")]
    private static partial void LogNotConfigured(ILogger logger);
}
