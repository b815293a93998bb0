using System.Net;
using System.Net.Http.Json;
using Kabinet.Web.Tests.Infrastructure;

namespace Kabinet.Web.Tests.Features.Localization;

/// <summary>Russian by default; English by the switcher or the browser's Accept-Language (M35).</summary>
public abstract class LanguageTests(KabinetFactory factory)
{
    [Fact]
    public async Task Pages_are_russian_by_default()
    {
        using var client = factory.Browser();
        var html = await client.PageAsync("/login");
        html.ShouldContain("<html lang=\"ru\">");
        html.ShouldContain("Вход в личный кабинет");
    }

    [Theory]
    [InlineData("en")]
    [InlineData("en-US")]
    [InlineData("en-GB,en;q=0.8,ru;q=0.5")]
    public async Task Accept_language_english_gives_english_pages(string acceptLanguage)
    {
        using var client = factory.Browser(acceptLanguage);
        var html = await client.PageAsync("/login");
        html.ShouldContain("<html lang=\"en\">");
        html.ShouldContain("Log in to your account");
        html.ShouldContain("data-caps=\"Caps Lock is on\"");
    }

    [Fact]
    public async Task Unsupported_language_falls_back_to_russian()
    {
        using var client = factory.Browser("de-DE,fr;q=0.8");
        var html = await client.PageAsync("/login");
        html.ShouldContain("<html lang=\"ru\">");
    }

    [Fact]
    public async Task Accept_language_english_gives_english_problem_details()
    {
        using var english = factory.CreateClient();
        english.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        using var russian = factory.CreateClient();

        using var en = await english.PostAsJsonAsync("/api/v1/auth/token", new { contract = Cabinet.DemoContract, password = "wrong" });
        using var ru = await russian.PostAsJsonAsync("/api/v1/auth/token", new { contract = Cabinet.DemoContract, password = "wrong" });

        var enProblem = await en.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        var ruProblem = await ru.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        enProblem.Detail().ShouldStartWith("Wrong contract number or password");
        ruProblem.Detail().ShouldStartWith("Неверный номер договора или пароль");
        enProblem.Code().ShouldBe(ruProblem.Code());

        using var enMissing = await english.GetAsync("/api/v1/me");
        (await enMissing.ShouldBeProblemAsync(HttpStatusCode.Unauthorized)).Detail().ShouldStartWith("Log in first");
    }

    [Fact]
    public async Task Switcher_sets_the_cookie_and_the_next_page_is_english()
    {
        using var client = factory.Browser();
        using var response = await client.PostFormFromAsync("/culture", "http://localhost", "same-origin", ("culture", "en-US"), ("returnUrl", "/login"));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe("/login");
        response.Headers.GetValues("Set-Cookie").ShouldContain(c => c.StartsWith(".AspNetCore.Culture=", StringComparison.Ordinal));

        var html = await client.PageAsync("/login");
        html.ShouldContain("<html lang=\"en\">");
        html.ShouldContain("Log in to your account");
        html.ShouldContain("value=\"en-US\" lang=\"en\" aria-pressed=\"true\"");

        // The choice wins over the browser's language, and switching back works.
        // A form post from a browser without Sec-Fetch-Site (plain HTTP to a remote host) names its origin only.
        using var back = await client.PostFormFromAsync("/culture", "http://localhost", null, ("culture", "ru-RU"), ("returnUrl", "/login"));
        back.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await client.PageAsync("/login")).ShouldContain("<html lang=\"ru\">");
    }

    [Fact]
    public async Task Switcher_cookie_beats_accept_language()
    {
        using var client = factory.Browser("ru");
        using var response = await client.PostFormFromAsync("/culture", "http://localhost", "same-origin", ("culture", "en-US"), ("returnUrl", "/login"));
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await client.PageAsync("/login")).ShouldContain("<html lang=\"en\">");
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("/\t/evil.example/")]
    [InlineData("/\n/evil.example/")]
    [InlineData("/\u007f/evil.example/")]
    [InlineData("\t//evil.example")]
    [InlineData(" //evil.example")]
    [InlineData("evil.example")]
    public async Task Switcher_never_sends_the_visitor_off_site(string returnUrl)
    {
        using var client = factory.Browser();
        using var response = await client.PostFormFromAsync("/culture", "http://localhost", "same-origin", ("culture", "en-US"), ("returnUrl", returnUrl));
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe("/");
    }

    [Theory]
    [InlineData("/%09/evil.example")]
    [InlineData("/tariffs?account=1")]
    public async Task Switcher_returns_to_a_path_of_this_site_as_given(string returnUrl)
    {
        using var client = factory.Browser();
        using var response = await client.PostFormFromAsync("/culture", "http://localhost", "same-origin", ("culture", "en-US"), ("returnUrl", returnUrl));
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe(returnUrl);
    }

    [Fact]
    public async Task Dashboard_in_english_formats_money_the_english_way()
    {
        using var client = await factory.LoggedInBrowserAsync(Cabinet.DemoContract, Cabinet.DemoPassword, "en");
        var html = await client.PageAsync("/");
        html.ShouldContain("<html lang=\"en\">");
        html.ShouldContain("Contract No. " + Cabinet.DemoContract);
        html.ShouldMatch("data-testid=\"balance\">-?[\\d,]+\\.\\d{2}\u00A0₽<");
    }
}

public sealed class SqliteLanguageTests(SqliteApp app) : LanguageTests(app.Factory), IClassFixture<SqliteApp>;

[Collection("postgres")]
public sealed class PostgresLanguageTests(PostgresApp app) : LanguageTests(app.Factory), IClassFixture<PostgresApp>;
