using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Kabinet.Web.Tests.Infrastructure;

namespace Kabinet.Web.Tests.Features.Api;

/// <summary>Input the API cannot use gets a clear 4xx problem: never a 500, never a stack trace.</summary>
public abstract class BadInputTests(KabinetFactory factory)
{
    internal static readonly Dictionary<string, string?> Shipped = new(StringComparer.Ordinal)
    {
        ["environment"] = "Production",
    };

    [Fact]
    public async Task Runs_as_shipped_over_real_http()
    {
        using var client = factory.CreateClient();
        client.BaseAddress!.IsLoopback.ShouldBeTrue();
        client.BaseAddress.Port.ShouldNotBe(80, "a real Kestrel port, not the in-memory server");
        using var response = await client.GetAsync("/healthz");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("{\"contract\": \"100000000001\", \"password\": ")]
    [InlineData("{contract: 100000000001}")]
    [InlineData("not json at all")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{\"contract\": 123, \"password\": \"x\"}")]
    [InlineData("{\"contract\": \"100000000001\", \"password\": false}")]
    [InlineData("{\"contract\": {\"nested\": true}, \"password\": \"x\"}")]
    [InlineData("\"just a string\"")]
    public async Task Token_body_that_is_not_the_expected_json_is_a_400_problem(string body)
    {
        using var client = factory.CreateClient();
        using var response = await client.PostAsync("/api/v1/auth/token", new StringContent(body, Encoding.UTF8, "application/json"));
        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Empty_token_body_is_a_400_problem()
    {
        using var client = factory.CreateClient();
        using var response = await client.PostAsync("/api/v1/auth/token", new StringContent("", Encoding.UTF8, "application/json"));
        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Token_body_without_content_is_a_4xx_problem()
    {
        using var client = factory.CreateClient();
        using var response = await client.PostAsync("/api/v1/auth/token", content: null);
        await ShouldBeClientProblemAsync(response);
    }

    [Fact]
    public async Task Body_over_64_KiB_is_a_413_problem_and_no_login_attempt()
    {
        const string contract = "100000000007";
        using var client = factory.CreateClient();
        var body = $"{{\"contract\": \"{contract}\", \"password\": \"{new string('x', 70 * 1024)}\"}}";
        using var response = await client.PostAsync("/api/v1/auth/token", new StringContent(body, Encoding.UTF8, "application/json"));
        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        var failures = await Dapper.SqlMapper.ExecuteScalarAsync<int>(connection,
            "SELECT COUNT(*) FROM login_failures WHERE bucket = @contract", new { contract });
        failures.ShouldBe(0, "a refused body changes nothing");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    public async Task Token_body_of_another_content_type_is_a_415_problem(string mediaType)
    {
        using var client = factory.CreateClient();
        using var content = new StringContent("{\"contract\": \"100000000001\", \"password\": \"kabinet-demo\"}", Encoding.UTF8, mediaType);
        using var response = await client.PostAsync("/api/v1/auth/token", content);
        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("/api/v1/nothing-here")]
    [InlineData("/api/v1/accounts")]
    [InlineData("/api/v2/me")]
    [InlineData("/api/v1/accounts/abc")]
    [InlineData("/api/v1/accounts/1.5")]
    [InlineData("/api/v1/accounts/99999999999999999999999")]
    [InlineData("/api/v1/accounts/-1")]
    public async Task Unknown_route_or_non_numeric_account_id_is_a_404_problem(string path)
    {
        using var client = await factory.ApiClientAsync(Cabinet.DemoContract, Cabinet.DemoPassword);
        using var response = await client.GetAsync(path);
        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Unknown_route_without_a_token_is_still_a_problem()
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync("/api/v1/nothing-here");
        await ShouldBeClientProblemAsync(response);
    }

    [Fact]
    public async Task Wrong_method_is_a_405_problem()
    {
        using var client = await factory.ApiClientAsync(Cabinet.DemoContract, Cabinet.DemoPassword);
        using var get = await client.GetAsync("/api/v1/auth/token");
        await get.ShouldBeProblemAsync(HttpStatusCode.MethodNotAllowed);
        using var delete = await client.DeleteAsync("/api/v1/me");
        await delete.ShouldBeProblemAsync(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task Malformed_authorization_header_is_a_401_problem()
    {
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer");
        using var response = await client.GetAsync("/api/v1/me");
        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        using var basic = factory.CreateClient();
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("100000000001:kabinet-demo"u8.ToArray()));
        using var basicResponse = await basic.GetAsync("/api/v1/me");
        await basicResponse.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    private static async Task ShouldBeClientProblemAsync(HttpResponseMessage response)
    {
        ((int)response.StatusCode).ShouldBeInRange(400, 499, await response.Content.ReadAsStringAsync());
        await response.ShouldBeProblemAsync(response.StatusCode);
    }
}

/// <summary>
/// Kabinet as it ships: Production settings behind real Kestrel, which is what enforces the body
/// size limit (the in-memory test server does not) and parses the raw HTTP.
/// </summary>
public sealed class ShippedSqliteApp : IDisposable
{
    public ShippedSqliteApp()
    {
        Factory = KabinetFactory.Sqlite(BadInputTests.Shipped);
        Factory.StartRealServer();
    }

    public KabinetFactory Factory { get; }

    public void Dispose() => Factory.Dispose();
}

/// <summary>The same on PostgreSQL.</summary>
public sealed class ShippedPostgresApp(PostgresFixture postgres) : IAsyncLifetime
{
    private KabinetFactory? _factory;

    public KabinetFactory Factory => _factory ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _factory = await KabinetFactory.PostgresAsync(postgres, BadInputTests.Shipped);
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

public sealed class SqliteBadInputTests(ShippedSqliteApp app) : BadInputTests(app.Factory), IClassFixture<ShippedSqliteApp>;

[Collection("postgres")]
public sealed class PostgresBadInputTests(ShippedPostgresApp app) : BadInputTests(app.Factory), IClassFixture<ShippedPostgresApp>;
