using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Kabinet.Bench;

/// <summary>Logs many subscribers in, once each, the way a browser and a mobile app would.</summary>
internal static partial class Logins
{
    /// <summary>Bearer tokens from POST /api/v1/auth/token.</summary>
    public static async Task<List<string>> TokensAsync(Uri server, IReadOnlyList<string> contracts, string password)
    {
        using var client = new HttpClient { BaseAddress = server };
        var tokens = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(contracts, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (contract, ct) =>
        {
            using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { contract, password }, ct);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            tokens.Add(body.GetProperty("access_token").GetString()!);
        });
        return [.. tokens];
    }

    /// <summary>Cookie headers ("kabinet=...; .AspNetCore.Antiforgery...=...") from the login form.</summary>
    public static async Task<List<string>> CookiesAsync(Uri server, IReadOnlyList<string> contracts, string password)
    {
        var headers = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(contracts, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (contract, ct) =>
        {
            var jar = new CookieContainer();
            using var handler = new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = false };
            using var client = new HttpClient(handler) { BaseAddress = server };
            var form = await client.GetStringAsync("/login", ct);
            var token = AntiforgeryField().Match(form).Groups[1].Value;
            using var content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["contract"] = contract,
                ["password"] = password,
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            });
            using var response = await client.PostAsync("/login", content, ct);
            if (response.StatusCode != HttpStatusCode.Redirect)
            {
                throw new InvalidOperationException($"Login of {contract} answered {(int)response.StatusCode}");
            }

            headers.Add(string.Join("; ", jar.GetCookies(server).Select(c => $"{c.Name}={c.Value}")));
        });
        return [.. headers];
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
