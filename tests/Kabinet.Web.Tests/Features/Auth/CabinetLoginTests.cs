using System.Net;
using Dapper;
using Kabinet.Web.Features.Auth;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Tests.Features.Auth;

/// <summary>The cabinet login form, the dashboard behind it and logging out (M1, M5), over HTTP with cookies.</summary>
public abstract class CabinetLoginTests(KabinetFactory factory)
{
    [Fact]
    public async Task Wrong_password_shows_the_message_and_sets_no_login_cookie()
    {
        using var client = factory.Browser();
        using var response = await client.LogInAsync(Cabinet.DemoContract, "wrong-password");

        var html = await response.ReadHtmlAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        html.ShouldContain("Неверный номер договора или пароль");
        html.ShouldContain("id=\"login-error\"");
        html.ShouldContain($"value=\"{Cabinet.DemoContract}\"", customMessage: "the contract is kept in the field");
        LoginCookies(response).ShouldBeEmpty();
    }

    [Fact]
    public async Task Bad_contract_format_marks_the_field()
    {
        using var client = factory.Browser();
        using var response = await client.LogInAsync("12345", "whatever");

        var html = await response.ReadHtmlAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        html.ShouldContain("id=\"contract-error\"");
        html.ShouldContain("aria-invalid=\"true\"");
        html.ShouldContain("Номер договора — 12 цифр");
        LoginCookies(response).ShouldBeEmpty();
    }

    [Fact]
    public async Task Login_without_the_antiforgery_token_is_refused_politely()
    {
        using var client = factory.Browser();
        await client.AntiforgeryTokenAsync();
        using var response = await client.PostFormAsync("/login", token: null, ("contract", Cabinet.DemoContract), ("password", Cabinet.DemoPassword));

        var html = await response.ReadHtmlAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        html.ShouldContain("Запрос не понят");
        LoginCookies(response).ShouldBeEmpty();
    }

    [Fact]
    public async Task Right_password_redirects_home_where_the_contract_and_a_russian_balance_are_shown()
    {
        using var client = factory.Browser();
        using var response = await client.LogInAsync(Cabinet.DemoContract, Cabinet.DemoPassword);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe("/");
        LoginCookies(response).ShouldNotBeEmpty();

        var html = await client.PageAsync("/");
        html.ShouldContain("Договор №" + Cabinet.DemoContract);
        var balance = System.Text.RegularExpressions.Regex.Match(html, "data-testid=\"balance\">(?<b>[^<]+)<").Groups["b"].Value;
        balance.ShouldMatch(@"^-?[\d\u00A0]+,\d{2}\u00A0₽$");
        html.ShouldContain($"{Cabinet.DemoContract}-1");
        html.ShouldContain($"{Cabinet.DemoContract}-2", customMessage: "the switcher lists the second account");
    }

    [Fact]
    public async Task Dashboard_switches_to_the_account_asked_for()
    {
        var accounts = await factory.AccountsOfAsync(Cabinet.DemoContract);
        using var client = await factory.LoggedInBrowserAsync(Cabinet.DemoContract, Cabinet.DemoPassword);

        var html = await client.PageAsync("/?account=" + accounts[1].Id);
        html.ShouldContain($"Счёт {accounts[1].Number}");
        html.ShouldContain($"href=\"/?account={accounts[1].Id}\" aria-current=\"page\"");
    }

    [Fact]
    public async Task Dashboard_without_a_login_redirects_to_the_form()
    {
        using var client = factory.Browser();
        using var response = await client.GetAsync("/");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldStartWith("http://localhost/login");
    }

    [Theory]
    [InlineData("same-origin")]
    [InlineData(null)]
    public async Task Logout_ends_the_session_and_home_then_redirects_to_the_form(string? fetchSite)
    {
        using var client = await factory.LoggedInBrowserAsync(Cabinet.DemoContract, Cabinet.DemoPassword);
        using var logout = await client.PostFormFromAsync("/logout", "http://localhost", fetchSite);

        logout.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        logout.Headers.Location!.OriginalString.ShouldBe("/login?loggedOut=true");
        (await client.PageAsync("/login?loggedOut=true")).ShouldContain("Вы вышли из кабинета.");
        using var after = await client.GetAsync("/");
        after.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        after.Headers.Location!.AbsolutePath.ShouldBe("/login");
    }

    [Theory]
    [InlineData("https://evil.example", "cross-site")]
    [InlineData("https://evil.example", null)]
    [InlineData("null", null)]
    [InlineData("http://localhost", "same-site")]
    public async Task Logout_posted_from_another_site_keeps_the_session(string origin, string? fetchSite)
    {
        using var client = await factory.LoggedInBrowserAsync(Cabinet.DemoContract, Cabinet.DemoPassword);
        using var logout = await client.PostFormFromAsync("/logout", origin, fetchSite);

        logout.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await client.PageAsync("/")).ShouldContain("Договор №" + Cabinet.DemoContract);
    }

    [Fact]
    public async Task A_remembered_cookie_is_still_refused_once_expired()
    {
        // Decrypted tickets are remembered by cookie text (CachedTicketFormat); expiry must still be checked each time.
        var now = TimeProvider.System.GetUtcNow();
        var fresh = await CookieExpiringAtAsync(now.AddMinutes(5));
        var stale = await CookieExpiringAtAsync(now.AddMinutes(-1));
        foreach (var attempt in new[] { 1, 2 })
        {
            using var client = factory.Browser();
            client.DefaultRequestHeaders.Add("Cookie", "kabinet=" + fresh);
            using var accepted = await client.GetAsync("/");
            accepted.StatusCode.ShouldBe(HttpStatusCode.OK, $"attempt {attempt}: the hand-made cookie is one the app accepts while it is fresh");

            using var other = factory.Browser();
            other.DefaultRequestHeaders.Add("Cookie", "kabinet=" + stale);
            using var refused = await other.GetAsync("/");
            refused.StatusCode.ShouldBe(HttpStatusCode.Redirect, $"attempt {attempt}");
            refused.Headers.Location!.AbsolutePath.ShouldBe("/login");
        }
    }

    [Fact]
    public async Task Dashboard_header_forms_render_no_antiforgery_token()
    {
        // Language and logout are guarded by the same-origin check, so a page view costs no token work.
        using var client = await factory.LoggedInBrowserAsync(Cabinet.DemoContract, Cabinet.DemoPassword);
        using var response = await client.GetAsync("/");
        var html = await response.ReadHtmlAsync();
        var forms = System.Text.RegularExpressions.Regex.Matches(html, "<form[^>]*method=\"post\".*?</form>", System.Text.RegularExpressions.RegexOptions.Singleline);
        forms.Count.ShouldBe(2, "the language switcher and logout");
        html.ShouldNotContain("__RequestVerificationToken");
        response.Headers.TryGetValues("Set-Cookie", out var cookies);
        (cookies ?? []).ShouldNotContain(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Login_form_has_the_caps_lock_and_layout_hint()
    {
        using var client = factory.Browser();
        var html = await client.PageAsync("/login");

        html.ShouldContain("id=\"keyboard-hint\"");
        html.ShouldContain("data-caps=\"Включён Caps Lock\"");
        html.ShouldContain("aria-describedby=\"password-hint keyboard-hint\"");
        html.ShouldContain("/js/login.js");
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("/\t/evil.example/")]
    [InlineData("/\r\n/evil.example/")]
    [InlineData("\t//evil.example")]
    public async Task Foreign_return_url_is_ignored_after_login(string returnUrl)
    {
        using var client = factory.Browser();
        using var response = await client.LogInAsync(Cabinet.DemoContract, Cabinet.DemoPassword, returnUrl);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe("/");

        // Already logged in, the form sends the visitor on at once; still never off-site.
        using var again = await client.GetAsync("/login?returnUrl=" + Uri.EscapeDataString(returnUrl));
        again.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        again.Headers.Location!.OriginalString.ShouldBe("/");
    }

    [Fact]
    public async Task Local_return_url_is_followed_after_login()
    {
        var accounts = await factory.AccountsOfAsync(Cabinet.DemoContract);
        using var client = factory.Browser();
        using var response = await client.LogInAsync(Cabinet.DemoContract, Cabinet.DemoPassword, "/?account=" + accounts[1].Id);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe("/?account=" + accounts[1].Id);
    }

    /// <summary>A login cookie protected with the app's own cookie format, with a chosen expiry.</summary>
    private async Task<string> CookieExpiringAtAsync(DateTimeOffset expires)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        var (id, stamp) = await connection.QuerySingleAsync<(long, string)>(
            "SELECT id, security_stamp FROM contracts WHERE number = @number", new { number = Cabinet.DemoContract });
        var options = factory.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(SubscriberClaims.CookieScheme);
        var session = await factory.Services.GetRequiredService<SubscriberSessions>().StartAsync(id, SessionKind.Cookie, new Microsoft.AspNetCore.Http.DefaultHttpContext(), CancellationToken.None);
        var principal = SubscriberClaims.Create(new ContractIdentity(id, Cabinet.DemoContract, stamp), session.Key, SubscriberClaims.CookieScheme);
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = expires.AddHours(-1), ExpiresUtc = expires }, SubscriberClaims.CookieScheme);
        return options.TicketDataFormat.Protect(ticket);
    }

    private static List<string> LoginCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.Where(c => c.StartsWith("kabinet=", StringComparison.Ordinal)).ToList()
            : [];
}

public sealed class SqliteCabinetLoginTests(SqliteApp app) : CabinetLoginTests(app.Factory), IClassFixture<SqliteApp>;

[Collection("postgres")]
public sealed class PostgresCabinetLoginTests(PostgresApp app) : CabinetLoginTests(app.Factory), IClassFixture<PostgresApp>;
