using System.Net;
using System.Net.Http.Json;
using Kabinet.Web.Tests.Infrastructure;

namespace Kabinet.Web.Tests.Features.Auth;

/// <summary>
/// X-Forwarded-For is believed only from configured proxies (issue 14, point 3): otherwise one
/// client could name a new address on every request and never meet the per-address login limit.
/// The in-memory test server's requests come from loopback (see LoopbackCaller).
/// </summary>
public abstract class ForwardedHeadersTests(KabinetFactory direct, KabinetFactory proxied)
{
    internal static readonly Dictionary<string, string?> Settings = new(StringComparer.Ordinal)
    {
        ["Kabinet:Login:PerIpPerMinute"] = "2",
    };

    internal static Dictionary<string, string?> ProxiedSettings => new(Settings, StringComparer.Ordinal)
    {
        ["Kabinet:ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
    };

    [Fact]
    public async Task Forwarded_for_from_an_unconfigured_loopback_peer_is_ignored_by_the_per_address_limit()
    {
        using var client = direct.CreateClient();
        var statuses = new List<int>();
        for (var i = 1; i <= 3; i++)
        {
            statuses.Add(await TokenAsync(client, $"203.0.113.{i}"));
        }

        statuses.ShouldBe([401, 401, 429], "three requests from one peer, whatever addresses it claims");
    }

    [Fact]
    public async Task Forwarded_for_from_a_configured_proxy_names_the_client()
    {
        using var client = proxied.CreateClient();
        for (var i = 1; i <= 3; i++)
        {
            (await TokenAsync(client, $"198.51.100.{i}")).ShouldBe(401, "each client behind the proxy has its own budget");
        }

        var statuses = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add(await TokenAsync(client, "198.51.100.77"));
        }

        statuses.ShouldBe([401, 401, 429], "and one client's budget is still limited");
    }

    private static async Task<int> TokenAsync(HttpClient client, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/token")
        {
            Content = JsonContent.Create(new { contract = "999999999990", password = "wrong" }),
        };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request);
        return (int)response.StatusCode;
    }
}

/// <summary>Two Kabinets on SQLite: one with no proxy configured, one behind 127.0.0.1.</summary>
public sealed class ProxySqliteApps : IDisposable
{
    public KabinetFactory Direct { get; } = KabinetFactory.Sqlite(ForwardedHeadersTests.Settings);

    public KabinetFactory Proxied { get; } = KabinetFactory.Sqlite(ForwardedHeadersTests.ProxiedSettings);

    public void Dispose()
    {
        Direct.Dispose();
        Proxied.Dispose();
    }
}

/// <summary>Two Kabinets on PostgreSQL: one with no proxy configured, one behind 127.0.0.1.</summary>
public sealed class ProxyPostgresApps(PostgresFixture postgres) : IAsyncLifetime
{
    private KabinetFactory? _direct;
    private KabinetFactory? _proxied;

    public KabinetFactory Direct => _direct ?? throw new InvalidOperationException("Not started.");

    public KabinetFactory Proxied => _proxied ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _direct = await KabinetFactory.PostgresAsync(postgres, ForwardedHeadersTests.Settings);
        _proxied = await KabinetFactory.PostgresAsync(postgres, ForwardedHeadersTests.ProxiedSettings);
    }

    public async Task DisposeAsync()
    {
        foreach (var factory in new[] { _direct, _proxied })
        {
            if (factory is not null)
            {
                await factory.DisposeAsync();
            }
        }
    }
}

public sealed class SqliteForwardedHeadersTests(ProxySqliteApps apps) : ForwardedHeadersTests(apps.Direct, apps.Proxied), IClassFixture<ProxySqliteApps>;

[Collection("postgres")]
public sealed class PostgresForwardedHeadersTests(ProxyPostgresApps apps) : ForwardedHeadersTests(apps.Direct, apps.Proxied), IClassFixture<ProxyPostgresApps>;
