using System.Net;
using System.Text.Json;
using Kabinet.Web.Tests.Infrastructure;

namespace Kabinet.Web.Tests.Features.Auth;

/// <summary>
/// Sessions live on the server (issue 14, point 1): logging out or revoking a token ends the session
/// for every copy of the cookie or token, on every instance, and no session outlives
/// Kabinet:SessionHours from its login, however active.
/// </summary>
public abstract class SessionRevocationTests(KabinetFactory factory)
{
    [Fact]
    public async Task After_logout_a_copy_of_the_old_cookie_no_longer_opens_history()
    {
        using var browser = factory.Browser();
        using var login = await browser.LogInAsync(Cabinet.DemoContract, Cabinet.DemoPassword);
        var cookie = LoginCookie(login);
        using (var copy = CookieClient(cookie))
        using (var before = await copy.GetAsync("/history"))
        {
            before.StatusCode.ShouldBe(HttpStatusCode.OK, "the copied cookie works while the session lives");
        }

        using var logout = await browser.PostFormFromAsync("/logout", "http://localhost", "same-origin");
        logout.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        using var stolen = CookieClient(cookie);
        using var after = await stolen.GetAsync("/history");
        after.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        after.Headers.Location!.AbsolutePath.ShouldBe("/login");
        using var again = await stolen.GetAsync("/");
        again.Headers.Location!.AbsolutePath.ShouldBe("/login", "refused on every request, not only the first");
    }

    [Fact]
    public async Task Revoke_ends_the_calling_token_and_only_it()
    {
        using var revoked = await factory.ApiClientAsync(Cabinet.DemoContract, Cabinet.DemoPassword);
        using var other = await factory.ApiClientAsync(Cabinet.DemoContract, Cabinet.DemoPassword);
        (await revoked.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var revoke = await revoked.PostAsync("/api/v1/auth/revoke", null);
        revoke.StatusCode.ShouldBe(HttpStatusCode.NoContent);

        using var refused = await revoked.GetAsync("/api/v1/me");
        await refused.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        using var revokedAgain = await revoked.PostAsync("/api/v1/auth/revoke", null);
        await revokedAgain.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        (await other.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.OK, "another session of the same contract goes on");
    }

    [Fact]
    public async Task A_token_revoked_through_one_instance_is_refused_by_another_that_used_it_before()
    {
        using var first = await factory.ApiClientAsync(Cabinet.DemoContract, Cabinet.DemoPassword);
        using var second = factory.Restarted();
        using var elsewhere = second.CreateClient();
        elsewhere.DefaultRequestHeaders.Authorization = first.DefaultRequestHeaders.Authorization;
        (await elsewhere.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.OK, "the other instance accepts (and remembers) the token");

        (await first.PostAsync("/api/v1/auth/revoke", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        using var refused = await elsewhere.GetAsync("/api/v1/me");
        await refused.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_cabinet_session_ends_twelve_hours_after_login_even_when_used_all_along()
    {
        var start = factory.Clock.GetUtcNow();
        try
        {
            using var browser = await factory.LoggedInBrowserAsync(Cabinet.DemoContract, Cabinet.DemoPassword);
            factory.Clock.Advance(TimeSpan.FromHours(7));
            using (var active = await browser.GetAsync("/"))
            {
                active.StatusCode.ShouldBe(HttpStatusCode.OK);
                active.Headers.TryGetValues("Set-Cookie", out var renewed).ShouldBeTrue("past half its life the sliding cookie is renewed");
                renewed!.ShouldContain(c => c.StartsWith("kabinet=", StringComparison.Ordinal));
            }

            factory.Clock.Advance(TimeSpan.FromHours(5) + TimeSpan.FromMinutes(1));
            using var ended = await browser.GetAsync("/");
            ended.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            ended.Headers.Location!.AbsolutePath.ShouldBe("/login");
        }
        finally
        {
            factory.Clock.Set(start);
        }
    }

    [Fact]
    public async Task The_token_answer_offers_no_refresh_token_in_the_api_document_either()
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync("/openapi/v1.json");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var answer = document.RootElement.GetProperty("paths").GetProperty("/api/v1/auth/token").GetProperty("post")
            .GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        var name = answer.GetProperty("$ref").GetString()!.Split('/')[^1];
        var properties = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(name).GetProperty("properties");
        properties.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ShouldBe(["access_token", "expires_in", "token_type"]);
        document.RootElement.GetProperty("paths").TryGetProperty("/api/v1/auth/revoke", out _).ShouldBeTrue();
    }

    private HttpClient CookieClient(string cookie)
    {
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }

    private static string LoginCookie(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var header = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("kabinet=", StringComparison.Ordinal));
        return header.Split(';')[0];
    }
}

public sealed class SqliteSessionRevocationTests(SqliteApp app) : SessionRevocationTests(app.Factory), IClassFixture<SqliteApp>;

[Collection("postgres")]
public sealed class PostgresSessionRevocationTests(PostgresApp app) : SessionRevocationTests(app.Factory), IClassFixture<PostgresApp>;
