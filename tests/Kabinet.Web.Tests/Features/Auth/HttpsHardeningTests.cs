using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Kabinet.Web.Tests.Features.Auth;

/// <summary>
/// Cookies and headers over HTTPS (issue 14, point 4): the session cookie is __Host- prefixed and
/// Secure, pages and API answers are never stored, HSTS is sent. The test server sees an https base
/// address as Request.IsHttps, as Kabinet does behind nginx with X-Forwarded-Proto.
/// </summary>
public abstract class HttpsHardeningTests(KabinetFactory factory)
{
    private static readonly Uri Https = new("https://localhost");

    [Fact]
    public async Task Login_over_https_sets_host_prefixed_secure_cookies_that_keep_the_session()
    {
        using var browser = HttpsBrowser();
        using var form = await browser.GetAsync("/login");
        var antiforgery = form.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        antiforgery.ShouldContain("secure", Case.Insensitive);

        using var login = await browser.PostFormAsync("/login", Cabinet.TokenIn(await form.ReadHtmlAsync()),
            ("contract", Cabinet.DemoContract), ("password", Cabinet.DemoPassword));
        login.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var cookies = login.Headers.GetValues("Set-Cookie").ToList();
        var session = cookies.Single(c => c.StartsWith("__Host-kabinet=", StringComparison.Ordinal));
        var attributes = session.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant()).ToList();
        attributes.ShouldContain("secure");
        attributes.ShouldContain("httponly");
        attributes.ShouldContain("path=/");
        attributes.ShouldNotContain(a => a.StartsWith("domain", StringComparison.Ordinal));
        cookies.ShouldNotContain(c => c.StartsWith("kabinet=", StringComparison.Ordinal));
        cookies.Single(c => c.StartsWith("__Host-kabinet-device=", StringComparison.Ordinal)).ShouldContain("secure", Case.Insensitive);

        (await browser.PageAsync("/")).ShouldContain("Договор №" + Cabinet.DemoContract);

        using var culture = await browser.PostFormFromAsync("/culture", "https://localhost", "same-origin", ("culture", "en"), ("returnUrl", "/"));
        culture.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Culture=", StringComparison.Ordinal)).ShouldContain("secure", Case.Insensitive);
    }

    [Fact]
    public async Task Over_plain_http_the_session_cookie_has_no_prefix_and_no_secure_flag()
    {
        using var browser = factory.Browser();
        using var login = await browser.LogInAsync(Cabinet.DemoContract, Cabinet.DemoPassword);
        var session = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("kabinet=", StringComparison.Ordinal));
        session.ShouldNotContain("secure", Case.Insensitive);
        login.Headers.Contains("Strict-Transport-Security").ShouldBeFalse();
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/history")]
    [InlineData("/login")]
    public async Task Pages_are_not_stored_and_carry_hsts(string path)
    {
        using var browser = HttpsBrowser();
        if (path != "/login")
        {
            using var login = await browser.PostFormAsync("/login", await browser.AntiforgeryTokenAsync(), ("contract", Cabinet.DemoContract), ("password", Cabinet.DemoPassword));
            login.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        }

        using var response = await browser.GetAsync(path);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        ShouldBePrivate(response);
    }

    [Fact]
    public async Task Api_answers_are_not_stored_and_static_files_may_be()
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = Https });
        using var issued = await client.PostAsJsonAsync("/api/v1/auth/token", new { contract = Cabinet.DemoContract, password = Cabinet.DemoPassword });
        ShouldBePrivate(issued);
        var token = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var me = await client.GetAsync("/api/v1/me");
        me.StatusCode.ShouldBe(HttpStatusCode.OK);
        ShouldBePrivate(me);
        using var refused = await factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = Https }).GetAsync("/api/v1/me");
        ShouldBePrivate(refused);

        using var css = await client.GetAsync("/css/site.css");
        css.StatusCode.ShouldBe(HttpStatusCode.OK);
        (css.Headers.CacheControl?.NoStore ?? false).ShouldBeFalse("a public asset may be cached");
        css.Headers.GetValues("Strict-Transport-Security").Single().ShouldBe("max-age=31536000");
    }

    private static void ShouldBePrivate(HttpResponseMessage response)
    {
        response.Headers.CacheControl.ShouldNotBeNull();
        response.Headers.CacheControl!.NoStore.ShouldBeTrue(response.RequestMessage!.RequestUri!.ToString());
        response.Headers.Pragma.ToString().ShouldBe("no-cache");
        response.Headers.GetValues("Strict-Transport-Security").Single().ShouldBe("max-age=31536000");
    }

    private HttpClient HttpsBrowser() =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = Https });
}

public sealed class SqliteHttpsHardeningTests(SqliteApp app) : HttpsHardeningTests(app.Factory), IClassFixture<SqliteApp>;

[Collection("postgres")]
public sealed class PostgresHttpsHardeningTests(PostgresApp app) : HttpsHardeningTests(app.Factory), IClassFixture<PostgresApp>;
