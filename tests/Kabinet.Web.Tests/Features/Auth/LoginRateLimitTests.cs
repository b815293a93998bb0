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
        ["Kabinet:Login:FailuresPerContract"] = "4",
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

    [Fact]
    public async Task Each_address_has_its_own_budget()
    {
        for (var i = 0; i < 3; i++)
        {
            var attempt = await TokenFromAsync("203.0.113.10", "100000000009", "wrong");
            attempt.Status.ShouldBe(401, attempt.Body);
        }

        (await TokenFromAsync("203.0.113.10", Cabinet.DemoContract, Cabinet.DemoPassword)).Status.ShouldBe(429);
        (await TokenFromAsync("203.0.113.11", Cabinet.DemoContract, Cabinet.DemoPassword)).Status.ShouldBe(200);
    }

    [Fact]
    public async Task Guesses_at_one_contract_from_many_addresses_hit_the_per_contract_limit()
    {
        const string contract = "100000000008";
        const string password = "right-password-8";
        await factory.SetPasswordAsync(contract, password);

        for (var i = 1; i <= 4; i++)
        {
            (await TokenFromAsync($"198.51.100.{i}", contract, "wrong")).Status.ShouldBe(401);
        }

        var refused = await TokenFromAsync("198.51.100.99", contract, password);
        refused.Status.ShouldBe(429);
        refused.Body.ShouldContain("\"code\":\"auth.too_many_attempts\"");
        refused.Body.ShouldNotContain("Exception");

        // Not a lockout: the contract row is untouched by the throttle, and other contracts log in.
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        (await Dapper.SqlMapper.ExecuteScalarAsync<string?>(connection, "SELECT locked_until FROM contracts WHERE number = @contract", new { contract })).ShouldBeNull();
        (await TokenFromAsync("198.51.100.100", Cabinet.DemoContract, Cabinet.DemoPassword)).Status.ShouldBe(200);
    }

    /// <summary>POSTs a token request as if from the given client address.</summary>
    private async Task<(int Status, string Body)> TokenFromAsync(string ip, string contract, string password)
    {
        var address = IPAddress.Parse(ip);
        using var client = new HttpClient(factory.Server.CreateHandler(http => http.Connection.RemoteIpAddress = address)) { BaseAddress = factory.Server.BaseAddress };
        using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { contract, password });
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
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
