using Kabinet.Web.Tests.Infrastructure;

namespace Kabinet.Browser.Tests.Infrastructure;

/// <summary>
/// One Kabinet with demo data on a fresh SQLite file, served by Kestrel on a real loopback port so
/// Chromium can reach it. One per test class.
/// </summary>
public sealed class LiveApp : IDisposable
{
    /// <summary>The demo subscriber's contract (the login).</summary>
    public const string DemoContract = "100000000001";

    /// <summary>The demo subscriber's password.</summary>
    public const string DemoPassword = "kabinet-demo";

    /// <summary>Starts the app.</summary>
    public LiveApp()
    {
        Factory = KabinetFactory.Sqlite();
        BaseUrl = Factory.StartRealServer();
    }

    /// <summary>The app.</summary>
    public KabinetFactory Factory { get; }

    /// <summary>e.g. http://127.0.0.1:41234</summary>
    public Uri BaseUrl { get; }

    /// <inheritdoc />
    public void Dispose() => Factory.Dispose();
}
