using System.Net;
using System.Net.Http.Json;
using Kabinet.Web.Tests.Infrastructure;

namespace Kabinet.Web.Tests.Features.Auth;

/// <summary>The per-IP throttle on password guessing, shared by the token endpoint and the login form.</summary>
public abstract class LoginRateLimitTests(KabinetFactory factory)
{
    internal static readonly Dictionary<string, string?> Settings = new(StringComparer.Ordinal)
    {
        ["Kabinet:Login:PerIpPerMinute"] = "3",
    };

    [Fact]
    public async Task Fourth_login_attempt_in_a_minute_from_one_address_is_refused_with_429()
    {
        using var client = factory.Browser();
        // Showing the form is free: only POSTs guess passwords.
        var token = await client.AntiforgeryTokenAsync();
        await client.AntiforgeryTokenAsync();

        for (var i = 0; i < 3; i++)
        {
            using var allowed = await client.PostAsJsonAsync("/api/v1/auth/token", new { contract = "100000000006", password = "wrong" });
            allowed.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        using var refused = await client.PostAsJsonAsync("/api/v1/auth/token", new { contract = Cabinet.DemoContract, password = Cabinet.DemoPassword });
        await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);

        // The form shares the budget and answers with a page, not JSON.
        using var form = await client.PostFormAsync("/login", token, ("contract", Cabinet.DemoContract), ("password", Cabinet.DemoPassword));
        var html = await form.ReadHtmlAsync();
        form.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        form.Content.Headers.ContentType?.MediaType.ShouldBe("text/html");
        html.ShouldContain("Слишком много запросов");
        form.Headers.TryGetValues("Set-Cookie", out var cookies).ShouldBeFalse(string.Join("; ", cookies ?? []));
    }
}

/// <summary>A Kabinet on SQLite that allows 3 login attempts a minute per address.</summary>
public sealed class ThrottledSqliteApp : IDisposable
{
    public KabinetFactory Factory { get; } = KabinetFactory.Sqlite(LoginRateLimitTests.Settings);

    public void Dispose() => Factory.Dispose();
}

/// <summary>A Kabinet on PostgreSQL that allows 3 login attempts a minute per address.</summary>
public sealed class ThrottledPostgresApp(PostgresFixture postgres) : IAsyncLifetime
{
    private KabinetFactory? _factory;

    public KabinetFactory Factory => _factory ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() => _factory = await KabinetFactory.PostgresAsync(postgres, LoginRateLimitTests.Settings);

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }
}

public sealed class SqliteLoginRateLimitTests(ThrottledSqliteApp app) : LoginRateLimitTests(app.Factory), IClassFixture<ThrottledSqliteApp>;

[Collection("postgres")]
public sealed class PostgresLoginRateLimitTests(ThrottledPostgresApp app) : LoginRateLimitTests(app.Factory), IClassFixture<ThrottledPostgresApp>;
