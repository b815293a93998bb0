namespace Kabinet.Web.Tests.Infrastructure;

/// <summary>One Kabinet on a fresh SQLite file, shared by the tests of a class.</summary>
public sealed class SqliteApp : IDisposable
{
    /// <summary>The app.</summary>
    public KabinetFactory Factory { get; } = KabinetFactory.Sqlite();

    /// <inheritdoc />
    public void Dispose() => Factory.Dispose();
}

/// <summary>One Kabinet on a fresh PostgreSQL database, shared by the tests of a class.</summary>
public sealed class PostgresApp(PostgresFixture postgres) : IAsyncLifetime
{
    private KabinetFactory? _factory;

    /// <summary>The app.</summary>
    public KabinetFactory Factory => _factory ?? throw new InvalidOperationException("Not started.");

    /// <inheritdoc />
    public async Task InitializeAsync() => _factory = await KabinetFactory.PostgresAsync(postgres);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }
}
