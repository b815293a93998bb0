using Kabinet.Web.Hosting;

namespace Kabinet.Web.Tests.Infrastructure;

/// <summary>The run's key-encryption certificate, made once, as an operator makes it with the keys-certificate verb.</summary>
public static class TestCertificate
{
    private static readonly Lazy<string> Made = new(() =>
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kabinet-tests", "keys-" + Guid.NewGuid().ToString("N") + ".pfx");
        using var certificate = KeyProtection.Create(path, null, DateTimeOffset.UtcNow);
        return path;
    });

    /// <summary>The .pfx file (no password).</summary>
    public static string Path => Made.Value;

    /// <summary>Another certificate, for the start that must refuse keys it did not encrypt.</summary>
    public static string Other()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kabinet-tests", "keys-" + Guid.NewGuid().ToString("N") + ".pfx");
        using var certificate = KeyProtection.Create(path, null, DateTimeOffset.UtcNow);
        return path;
    }
}
