using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kabinet.Web.Tests.Infrastructure;

namespace Kabinet.Web.Tests.Features;

/// <summary>The app starts on each engine, migrates, seeds the demo provider and serves the demo login.</summary>
public abstract class StartupTests(KabinetFactory factory)
{
    [Fact]
    public async Task Healthz_answers_ok_when_the_database_answers()
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync("/healthz");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Demo_subscriber_sees_two_accounts()
    {
        using var client = await factory.ApiClientAsync("100000000001", "kabinet-demo");
        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/me");
        me.GetProperty("contract").GetString().ShouldBe("100000000001");
        me.GetProperty("accounts").GetArrayLength().ShouldBe(2);
    }
}

public sealed class SqliteStartupTests(SqliteApp app) : StartupTests(app.Factory), IClassFixture<SqliteApp>;

[Collection("postgres")]
public sealed class PostgresStartupTests(PostgresApp app) : StartupTests(app.Factory), IClassFixture<PostgresApp>;
