using Kabinet.Web.Tests.Infrastructure;

namespace Kabinet.Web.Tests.Features.Payments;

/// <summary>Kabinet on a real loopback port, so the sandbox acquirer is reached over real HTTP.</summary>
public sealed class LiveSqlitePayments : IDisposable
{
    public LiveSqlitePayments()
    {
        Factory = KabinetFactory.Sqlite();
        Factory.StartRealServer();
    }

    public KabinetFactory Factory { get; }

    public void Dispose() => Factory.Dispose();
}

/// <summary>The same on the run's PostgreSQL server.</summary>
public sealed class LivePostgresPayments(PostgresFixture postgres) : IAsyncLifetime
{
    private KabinetFactory? _factory;

    public KabinetFactory Factory => _factory ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _factory = await KabinetFactory.PostgresAsync(postgres);
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
