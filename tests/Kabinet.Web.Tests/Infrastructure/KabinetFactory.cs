using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kabinet.Data.Connections;
using Kabinet.Web.Features.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kabinet.Web.Tests.Infrastructure;

/// <summary>
/// Kabinet in-process on a real database: a fresh SQLite file or a fresh database on the run's
/// private PostgreSQL server, migrated and seeded with the demo provider by the app's own start-up.
/// </summary>
public sealed class KabinetFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    // A restarted factory shares the first one's database and must not delete it.
    private bool _ownsDatabase = true;

    private KabinetFactory(DatabaseKind kind, string connectionString, IDictionary<string, string?>? settings)
    {
        Kind = kind;
        ConnectionString = connectionString;
        _settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Kabinet:Database"] = kind == DatabaseKind.Sqlite ? "sqlite" : "postgres",
            ["ConnectionStrings:Kabinet"] = connectionString,
            ["Kabinet:Demo"] = "true",
            // Many tests log in from the same address; the throttle tests set their own limits.
            ["Kabinet:Login:PerIpPerMinute"] = "10000",
            ["Kabinet:Login:FailuresPerContract"] = "10000",
            // Only problems in the test log: request-by-request lines drown the failures (and CI's output).
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Kabinet"] = "Warning",
            // One key-encryption certificate for the run (making an RSA key per factory costs a second
            // each); the tests of demo mode's own certificate leave this out.
            ["Kabinet:DataProtection:CertificatePath"] = TestCertificate.Path,
            // Tests bill explicitly (BillingRun) so their balances do not move underneath them.
            ["Kabinet:Billing:Enabled"] = "false",
            // No CoA from tests that do not play a NAS; the network tests switch it on.
            ["Kabinet:Radius:CoaEnabled"] = "false",
            // The sandbox acquirer's own file, one per factory (a restarted factory keeps it).
            ["Kabinet:Sandbox:DatabasePath"] = Path.Combine(Path.GetTempPath(), "kabinet-tests", "sandbox-" + Guid.NewGuid().ToString("N") + ".db"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    /// <summary>JSON settings of the API, for reading responses.</summary>
    public static readonly JsonSerializerOptions Json = CreateJson();

    /// <summary>
    /// The app's clock. It starts at the real current time (demo history is seeded up to it) and
    /// moves only when a test moves it.
    /// </summary>
    public TestClock Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>The engine under test.</summary>
    public DatabaseKind Kind { get; }

    /// <summary>The database the app uses, for direct checks.</summary>
    public string ConnectionString { get; }

    /// <summary>A factory over a new SQLite file.</summary>
    public static KabinetFactory Sqlite(IDictionary<string, string?>? settings = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "kabinet-tests");
        Directory.CreateDirectory(dir);
        return new KabinetFactory(DatabaseKind.Sqlite, $"Data Source={Path.Combine(dir, Guid.NewGuid().ToString("N"))}.db", settings);
    }

    /// <summary>A factory over a new database on the run's PostgreSQL server.</summary>
    public static async Task<KabinetFactory> PostgresAsync(PostgresFixture postgres, IDictionary<string, string?>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(postgres);
        return new KabinetFactory(DatabaseKind.Postgres, await postgres.CreateDatabaseAsync("kabinet"), settings);
    }

    /// <summary>
    /// A second Kabinet over the same database, as after a restart: what the first wrote (payments,
    /// the sandbox acquirer's state) is there for the second.
    /// </summary>
    public KabinetFactory Restarted(IDictionary<string, string?>? settings = null)
    {
        var merged = new Dictionary<string, string?>(_settings, StringComparer.Ordinal);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            merged[key] = value;
        }

        return new KabinetFactory(Kind, ConnectionString, merged) { _ownsDatabase = false };
    }

    /// <summary>The key-encryption certificate the app is given (empty: demo mode makes its own).</summary>
    public string? CertificatePath => _settings.GetValueOrDefault("Kabinet:DataProtection:CertificatePath");

    /// <summary>
    /// Arguments for a command verb run against this app's database, as an operator runs one on the
    /// server: the engine, the connection string and the key-encryption certificate, then <paramref name="more"/>.
    /// </summary>
    public string[] VerbArguments(params string[] more) =>
    [
        .. more,
        "--Kabinet:Database=" + (Kind == DatabaseKind.Sqlite ? "sqlite" : "postgres"),
        "--ConnectionStrings:Kabinet=" + ConnectionString,
        "--Kabinet:DataProtection:CertificatePath=" + CertificatePath,
    ];

    /// <summary>Opens the app's database directly (for assertions on what was written).</summary>
    public Database OpenDatabase() => new(Kind, ConnectionString);

    /// <summary>Opens the sandbox acquirer's file directly (to play the bank behind Kabinet's back).</summary>
    public Database OpenSandboxDatabase() => new(DatabaseKind.Sqlite, "Data Source=" + SandboxPath);

    private string SandboxPath => _settings["Kabinet:Sandbox:DatabasePath"]!;

    /// <summary>
    /// Serves on a real loopback port (for Chromium and other real clients) and returns its base
    /// address, e.g. http://127.0.0.1:41234.
    /// </summary>
    public Uri StartRealServer()
    {
        UseKestrel(0);
        StartServer();
        var address = ClientOptions.BaseAddress;
        return new Uri(address.GetLeftPart(UriPartial.Authority));
    }

    /// <summary>Logs in through the API and returns a client that sends the bearer token.</summary>
    public async Task<HttpClient> ApiClientAsync(string contract, string password, string? language = null)
    {
        var client = CreateClient();
        if (language is not null)
        {
            client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        }

        using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { contract, password });
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<JsonElement>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("access_token").GetString());
        return client;
    }

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // A null value leaves the key to the app's own configuration (appsettings.json, defaults).
        foreach (var (key, value) in _settings.Where(s => s.Value is not null))
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            services.AddTransient<IStartupFilter, LoopbackCaller>();
        });
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDatabase)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var path = Kind == DatabaseKind.Sqlite ? ConnectionString["Data Source=".Length..] : SandboxPath;
            // Demo mode's own key-encryption certificate, when a test let it make one beside the SQLite file.
            var certificate = Path.ChangeExtension(path, null) + ".keys.pfx";
            foreach (var file in new[] { path, path + "-wal", path + "-shm", SandboxPath, SandboxPath + "-wal", SandboxPath + "-shm", certificate }.Distinct())
            {
                try
                {
                    File.Delete(file);
                }
                catch (IOException)
                {
                    // A file still held open is left for the OS temp cleaner.
                }
            }
        }
    }

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiSetup.Configure(options);
        return options;
    }
}

/// <summary>
/// The in-memory test server has no socket, so requests arrive without a remote address; they are
/// given the loopback address a local caller (FreeRADIUS on the same host, a browser) would have.
/// </summary>
internal sealed class LoopbackCaller : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Connection.RemoteIpAddress ??= System.Net.IPAddress.Loopback;
            return nextMiddleware(context);
        });
        next(app);
    };
}
