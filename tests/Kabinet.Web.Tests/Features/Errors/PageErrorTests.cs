using System.Net;
using Kabinet.Web.Tests.Infrastructure;

namespace Kabinet.Web.Tests.Features.Errors;

/// <summary>Pages that fail show a polite page in the visitor's language, never internals.</summary>
public abstract class PageErrorTests(KabinetFactory factory)
{
    [Theory]
    [InlineData(null, "ru", "Страница не найдена")]
    [InlineData("en", "en", "Page not found")]
    [InlineData("en-GB,en;q=0.9", "en", "Page not found")]
    [InlineData("ru-RU", "ru", "Страница не найдена")]
    public async Task Unknown_page_is_a_404_page_in_the_visitors_language(string? acceptLanguage, string lang, string title)
    {
        using var client = factory.Browser(acceptLanguage);
        using var response = await client.GetAsync("/no/such/page");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/html");
        var html = await response.ReadHtmlAsync();
        html.ShouldContain($"<html lang=\"{lang}\">");
        html.ShouldContain(title);
        ShouldShowNoInternals(html);
    }

    [Fact]
    public async Task Unknown_page_is_a_404_page_for_a_logged_in_subscriber_too()
    {
        using var client = await factory.LoggedInBrowserAsync(Cabinet.DemoContract, Cabinet.DemoPassword);
        using var response = await client.GetAsync("/no-such-page?x=<script>");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var raw = await response.Content.ReadAsStringAsync();
        raw.ShouldNotContain("<script>");
        var html = await response.ReadHtmlAsync();
        html.ShouldContain("Страница не найдена");
        ShouldShowNoInternals(html);
    }

    [Fact]
    public async Task Non_numeric_account_on_the_dashboard_is_not_a_500()
    {
        using var client = await factory.LoggedInBrowserAsync(Cabinet.DemoContract, Cabinet.DemoPassword);
        using var response = await client.GetAsync("/?account=abc");

        ((int)response.StatusCode).ShouldBeLessThan(500);
        var html = await response.ReadHtmlAsync();
        html.ShouldContain("Договор №" + Cabinet.DemoContract);
        ShouldShowNoInternals(html);
    }

    [Fact]
    public async Task Language_switch_posted_from_another_site_is_a_polite_400_page()
    {
        using var client = factory.Browser("en");
        using var response = await client.PostFormFromAsync("/culture", "https://evil.example", "cross-site", ("culture", "en-US"), ("returnUrl", "/login"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await response.ReadHtmlAsync();
        html.ShouldContain("Request not understood");
        ShouldShowNoInternals(html);
        response.Headers.TryGetValues("Set-Cookie", out var cookies);
        (cookies ?? []).ShouldNotContain(c => c.StartsWith(".AspNetCore.Culture", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Error_page_shows_a_trace_id_for_support()
    {
        using var client = factory.Browser("en");
        var html = await client.PageAsync("/error");
        html.ShouldContain("Something went wrong");
        html.ShouldMatch("data-testid=\"trace-id\">[^<]+<");
    }

    private static void ShouldShowNoInternals(string html)
    {
        html.ShouldNotContain("   at ");
        html.ShouldNotContain("Exception");
        html.ShouldNotContain("Kabinet.Web.");
    }
}

public sealed class SqlitePageErrorTests(SqliteApp app) : PageErrorTests(app.Factory), IClassFixture<SqliteApp>;

[Collection("postgres")]
public sealed class PostgresPageErrorTests(PostgresApp app) : PageErrorTests(app.Factory), IClassFixture<PostgresApp>;
