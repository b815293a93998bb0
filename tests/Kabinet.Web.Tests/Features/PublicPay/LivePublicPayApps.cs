using Kabinet.Web.Tests.Infrastructure;

namespace Kabinet.Web.Tests.Features.PublicPay;

/// <summary>Kabinet on a real loopback port (the sandbox acquirer is reached over real HTTP), with the public throttle out of the way.</summary>
public sealed class LiveSqlitePublicPay : IDisposable
{
    /// <summary>Many tests pay from the same address; the throttle has its own test.</summary>
    internal static readonly Dictionary<string, string?> Settings = new(StringComparer.Ordinal)
    {
        ["Kabinet:PublicPay:PerIpPerMinute"] = "10000",
    };

    public LiveSqlitePublicPay()
    {
        Factory = KabinetFactory.Sqlite(Settings);
        Factory.StartRealServer();
    }

    public KabinetFactory Factory { get; }

    public void Dispose() => Factory.Dispose();
}

/// <summary>The same on the run's PostgreSQL server.</summary>
public sealed class LivePostgresPublicPay(PostgresFixture postgres) : IAsyncLifetime
{
    private KabinetFactory? _factory;

    public KabinetFactory Factory => _factory ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _factory = await KabinetFactory.PostgresAsync(postgres, LiveSqlitePublicPay.Settings);
        _factory.StartRealServer();
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }
}

/// <summary>Kabinet with a public throttle of three requests a minute.</summary>
public sealed class ThrottledPublicPay : IDisposable
{
    public KabinetFactory Factory { get; } = KabinetFactory.Sqlite(new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["Kabinet:PublicPay:PerIpPerMinute"] = "3",
    });

    public void Dispose() => Factory.Dispose();
}
