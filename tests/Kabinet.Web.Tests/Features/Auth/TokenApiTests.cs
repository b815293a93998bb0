using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Kabinet.Web.Features.Auth;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Tests.Features.Auth;

/// <summary>POST /api/v1/auth/token and what the API does with the token it issues (M1, M34).</summary>
public abstract class TokenApiTests(KabinetFactory factory)
{
    [Fact]
    public async Task Right_password_issues_a_bearer_token()
    {
        using var client = factory.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { contract = Cabinet.DemoContract, password = Cabinet.DemoPassword });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var token = await response.Content.ReadFromJsonAsync<JsonElement>();
        token.GetProperty("token_type").GetString().ShouldBe("Bearer");
        token.GetProperty("access_token").GetString().ShouldNotBeNullOrWhiteSpace();
        token.GetProperty("expires_in").GetInt64().ShouldBe(12 * 3600, "Kabinet:SessionHours");
        token.TryGetProperty("refresh_token", out _).ShouldBeFalse("no endpoint accepts a refresh token, so none is offered");
        response.Headers.CacheControl!.NoStore.ShouldBeTrue("RFC 6749 5.1: a token response is never cached");
    }

    [Fact]
    public async Task Contract_typed_with_spaces_logs_in_too()
    {
        using var client = factory.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { contract = "1000 0000 0001", password = Cabinet.DemoPassword });
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Wrong_password_and_unknown_contract_get_the_same_401_problem()
    {
        using var client = factory.CreateClient();
        using var wrongPassword = await client.PostAsJsonAsync("/api/v1/auth/token", new { contract = "100000000004", password = "not-the-password" });
        using var unknownContract = await client.PostAsJsonAsync("/api/v1/auth/token", new { contract = "999999999999", password = "not-the-password" });

        var first = await wrongPassword.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        var second = await unknownContract.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        first.Code().ShouldBe("auth.invalid_credentials");
        second.Code().ShouldBe(first.Code());
        second.Detail().ShouldBe(first.Detail());
        second.GetProperty("title").GetString().ShouldBe(first.GetProperty("title").GetString());
        first.TryGetProperty("errors", out _).ShouldBeFalse("a field would tell which half was wrong");
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("10000000000a")]
    [InlineData("1000000000011")]
    public async Task Bad_contract_format_is_400_with_the_field_marked(string contract)
    {
        using var client = factory.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { contract, password = "whatever" });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.Code().ShouldBe("auth.contract_format");
        problem.GetProperty("errors").GetProperty("contract").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Missing_password_is_400_with_the_field_marked()
    {
        using var client = factory.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { contract = Cabinet.DemoContract });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.Code().ShouldBe("auth.password_required");
        problem.GetProperty("errors").GetProperty("password").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem_in_development_too()
    {
        // The factory runs in Development, where minimal APIs throw on bad input instead of answering 400.
        using var client = factory.CreateClient();
        using var response = await client.PostAsync("/api/v1/auth/token", new StringContent("{\"contract\": 123", System.Text.Encoding.UTF8, "application/json"));
        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_right_password_resets_the_count_of_wrong_ones()
    {
        const string contract = "100000000005";
        const string password = "right-password-5";
        await factory.SetPasswordAsync(contract, password);
        using var client = factory.CreateClient();

        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 4; i++)
            {
                using var wrong = await client.PostAsJsonAsync("/api/v1/auth/token", new { contract, password = "wrong" });
                wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            }

            using var right = await client.PostAsJsonAsync("/api/v1/auth/token", new { contract, password });
            right.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("CfDJ8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Garbage_bearer_token_is_a_401_problem(string token)
    {
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.GetAsync("/api/v1/me");
        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task No_token_is_a_401_problem_not_a_redirect_to_the_form()
    {
        using var client = factory.Browser();
        using var response = await client.GetAsync("/api/v1/me");
        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Expired_bearer_token_is_a_401_problem()
    {
        var now = TimeProvider.System.GetUtcNow();
        using var fresh = factory.CreateClient();
        fresh.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenExpiringAtAsync(now.AddMinutes(5)));
        using var accepted = await fresh.GetAsync("/api/v1/me");
        accepted.StatusCode.ShouldBe(HttpStatusCode.OK, "the hand-made token must be one the app accepts while it is fresh");

        using var stale = factory.CreateClient();
        stale.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenExpiringAtAsync(now.AddMinutes(-1)));
        using var response = await stale.GetAsync("/api/v1/me");
        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_remembered_bearer_token_is_refused_once_it_expires()
    {
        // Decrypted tokens are remembered by their text (CachedTicketFormat); expiry must still be checked each time.
        var start = factory.Clock.GetUtcNow();
        var token = await TokenExpiringAtAsync(start.AddMinutes(5));
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using (var accepted = await client.GetAsync("/api/v1/me"))
        {
            accepted.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        try
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(6));
            using var refused = await client.GetAsync("/api/v1/me");
            await refused.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        }
        finally
        {
            factory.Clock.Set(start);
        }
    }

    [Fact]
    public async Task A_cabinet_cookie_does_not_open_the_api()
    {
        using var browser = await factory.LoggedInBrowserAsync(Cabinet.DemoContract, Cabinet.DemoPassword);
        using var response = await browser.GetAsync("/api/v1/me");
        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    /// <summary>A token protected with the app's own keys, as the token endpoint would issue it, with a chosen expiry.</summary>
    private async Task<string> TokenExpiringAtAsync(DateTimeOffset expires)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        var (id, stamp) = await connection.QuerySingleAsync<(long, string)>(
            "SELECT id, security_stamp FROM contracts WHERE number = @number", new { number = Cabinet.DemoContract });
        var options = factory.Services.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>().Get(SubscriberClaims.BearerScheme);
        var session = await factory.Services.GetRequiredService<SubscriberSessions>().StartAsync(id, SessionKind.Token, new Microsoft.AspNetCore.Http.DefaultHttpContext(), CancellationToken.None);
        var principal = SubscriberClaims.Create(new ContractIdentity(id, Cabinet.DemoContract, stamp), session.Key, SubscriberClaims.BearerScheme);
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = expires.AddHours(-1), ExpiresUtc = expires }, SubscriberClaims.BearerScheme);
        return options.BearerTokenProtector.Protect(ticket);
    }
}

public sealed class SqliteTokenApiTests(SqliteApp app) : TokenApiTests(app.Factory), IClassFixture<SqliteApp>;

[Collection("postgres")]
public sealed class PostgresTokenApiTests(PostgresApp app) : TokenApiTests(app.Factory), IClassFixture<PostgresApp>;
