using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Kabinet.Web.Features.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Kabinet.Web.Tests.Infrastructure;

/// <summary>
/// Drives the cabinet pages the way a browser does: cookies kept, redirects not followed (so tests
/// see them), forms posted with the antiforgery token read from the page.
/// </summary>
public static partial class Cabinet
{
    /// <summary>The demo subscriber's contract.</summary>
    public const string DemoContract = "100000000001";

    /// <summary>The demo subscriber's password.</summary>
    public const string DemoPassword = "kabinet-demo";

    /// <summary>A client with a cookie jar that does not follow redirects.</summary>
    public static HttpClient Browser(this KabinetFactory factory, string? language = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = factory.ClientOptions.BaseAddress });
        if (language is not null)
        {
            client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        }

        return client;
    }

    /// <summary>GETs a page (200 expected) and returns its HTML, character references decoded.</summary>
    public static async Task<string> PageAsync(this HttpClient client, string path)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.GetAsync(path);
        var html = await response.ReadHtmlAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        return html;
    }

    /// <summary>A response's HTML with character references decoded, so tests can look for words.</summary>
    public static async Task<string> ReadHtmlAsync(this HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The antiforgery token of the first form on a page (the cookie lands in the jar).</summary>
    public static async Task<string> AntiforgeryTokenAsync(this HttpClient client, string path = "/login") =>
        TokenIn(await client.PageAsync(path));

    /// <summary>The antiforgery token in a page's HTML.</summary>
    public static string TokenIn(string html)
    {
        var match = TokenInput().Match(html);
        match.Success.ShouldBeTrue("the page has no antiforgery token");
        return WebUtility.HtmlDecode(match.Groups["value"].Value);
    }

    /// <summary>Posts a form with the given token and fields.</summary>
    public static Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string path, string? token, params (string Name, string Value)[] fields)
    {
        ArgumentNullException.ThrowIfNull(client);
        var values = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).ToList();
        if (token is not null)
        {
            values.Add(new("__RequestVerificationToken", token));
        }

        return client.PostAsync(path, new FormUrlEncodedContent(values));
    }

    /// <summary>
    /// Posts a form without a token the way a browser names its origin: the Origin header, and
    /// Sec-Fetch-Site ("same-origin", "cross-site") when given.
    /// </summary>
    public static async Task<HttpResponseMessage> PostFormFromAsync(this HttpClient client, string path, string origin, string? fetchSite, params (string Name, string Value)[] fields)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))),
        };
        request.Headers.Add("Origin", origin);
        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        return await client.SendAsync(request);
    }

    /// <summary>Posts the login form as a person would: GET the form, then POST it with its token.</summary>
    public static async Task<HttpResponseMessage> LogInAsync(this HttpClient client, string contract, string password, string? returnUrl = null)
    {
        var path = returnUrl is null ? "/login" : "/login?returnUrl=" + Uri.EscapeDataString(returnUrl);
        var token = await client.AntiforgeryTokenAsync(path);
        var fields = new List<(string, string)> { ("contract", contract), ("password", password) };
        if (returnUrl is not null)
        {
            fields.Add(("returnUrl", returnUrl));
        }

        return await client.PostFormAsync("/login", token, [.. fields]);
    }

    /// <summary>A logged-in browser for a contract.</summary>
    public static async Task<HttpClient> LoggedInBrowserAsync(this KabinetFactory factory, string contract, string password, string? language = null)
    {
        var client = factory.Browser(language);
        using var response = await client.LogInAsync(contract, password);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return client;
    }

    /// <summary>Sets a known password on a demo contract (they are seeded with random ones) and clears its count of failed logins.</summary>
    public static async Task SetPasswordAsync(this KabinetFactory factory, string contract, string password)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _ = factory.Services; // started: migrated and seeded
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        var hash = new PasswordHasher<ContractCredential>().HashPassword(new ContractCredential(), password);
        var updated = await connection.ExecuteAsync(
            "UPDATE contracts SET password_hash = @hash, failed_logins = 0, locked_until = NULL WHERE number = @contract",
            new { hash, contract });
        updated.ShouldBe(1);
        await connection.ExecuteAsync("DELETE FROM login_failures WHERE bucket = @contract OR bucket LIKE @devices", new { contract, devices = contract + "/%" });
    }

    /// <summary>The ids and numbers of a contract's accounts, in id order.</summary>
    public static async Task<IReadOnlyList<(long Id, string Number)>> AccountsOfAsync(this KabinetFactory factory, string contract)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _ = factory.Services;
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<(long, string)>(
            "SELECT a.id, a.number FROM accounts a JOIN contracts c ON c.id = a.contract_id WHERE c.number = @contract ORDER BY a.id",
            new { contract });
        return rows.ToList();
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"(?<value>[^\"]+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex TokenInput();
}
