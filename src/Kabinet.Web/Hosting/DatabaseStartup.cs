using Kabinet.Data.Migrations;
using Kabinet.Data.Connections;
using Kabinet.Web.Features.Demo;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Hosting;

/// <summary>
/// Before the server takes requests: applies migrations, checks and encrypts the stored
/// data-protection keys, seeds the demo provider when demo mode is
/// on and the database is empty; once listening, prints where to go and the demo logins.
/// </summary>
public sealed class DatabaseStartup(
    Database database,
    DemoSeeder demo,
    KeyRingEncryption keys,
    IOptions<KabinetOptions> options,
    IHostApplicationLifetime lifetime,
    IServer server,
    ILogger<DatabaseStartup> logger) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = await new Migrator(database).MigrateAsync(cancellationToken);
        if (applied.Count > 0)
        {
            logger.LogInformation("Applied migrations {Versions} on {Database}", string.Join(", ", applied), database.Kind);
        }

        await keys.RunAsync(cancellationToken);

        if (!options.Value.DemoEnabled)
        {
            return;
        }

        // A warning, not information: it also reaches a log that keeps only problems, where a demo
        // start by mistake in production must not go unnoticed.
        logger.LogWarning(
            "Demo mode (Kabinet:Demo=true): demo data and the built-in sandbox acquirer, which accepts free test cards. Not for production.");
        await demo.SeedIfEmptyAsync(cancellationToken);
        lifetime.ApplicationStarted.Register(PrintWelcome);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void PrintWelcome()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var url = addresses.FirstOrDefault() ?? "http://localhost:5000";
        Console.WriteLine($"""

            Kabinet is running in DEMO MODE ({database.Kind}): demo data, published logins and the built-in
            sandbox acquirer, which accepts free test cards. Do not use it in production: leave out
            Kabinet:Demo=true (the launch profile of `dotnet run` sets it) and configure the real gateway.
              Open:        {url}
              Subscriber:  contract {DemoSeeder.DemoContract}, password {DemoSeeder.DemoPassword}
              Staff:       login {DemoSeeder.DemoStaffLogin}, password {DemoSeeder.DemoStaffPassword}
              PPPoE:       login u{DemoSeeder.DemoContract}_1, password {DemoSeeder.DemoPppoePassword} (FreeRADIUS: deploy/freeradius)
              API:         {url}/openapi/v1.json
            Stop with Ctrl+C.

            """);
    }
}
