namespace Kabinet.Web.Tests.Infrastructure;

/// <summary>
/// Tests marked <c>[Collection("postgres")]</c> share one private PostgreSQL server for the whole run.
/// Each test class should create its own database through <see cref="PostgresServer.CreateDatabaseAsync"/>.
/// </summary>
[CollectionDefinition("postgres")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "xunit collection definition naming convention")]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
}

public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server =>
        _server ?? throw new InvalidOperationException("The PostgreSQL fixture has not been initialised.");

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }

    /// <summary>Creates a fresh database with a unique name and returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync(string prefix = "test") =>
        Server.CreateDatabaseAsync(prefix + "_" + Guid.NewGuid().ToString("N"));
}
