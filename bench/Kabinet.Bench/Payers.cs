using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Kabinet.Bench;

/// <summary>One payer: an account, and how to get at it (a bearer token for Kabinet; nothing for the bare server).</summary>
internal sealed record Payer(long AccountId, string? Token);

/// <summary>What a run of payers did, seen from the client.</summary>
internal sealed record PayersResult(int Payments, int Failures, double Seconds, double[] PaymentMs, string? FirstFailure)
{
    public double Percentile(double p) => PaymentsBench.Percentile(PaymentMs, p);
}

/// <summary>
/// Concurrent payers that pay the way a mobile app and a browser do: create the payment over the
/// API, open the hosted page, submit the success test card, and stop at the redirect back to the
/// shop (the result page is left alone, so only the notification can credit the payment). The same
/// client drives Kabinet and the bare baseline.
/// </summary>
internal static partial class Payers
{
    private const string SuccessCard = "5555 5555 5555 4477";

    /// <summary>
    /// Runs the payers for a while. With a <paramref name="rate"/> each payer starts its payments on a
    /// schedule (rate / concurrency per second each), so the server sees that load and no more; a payer
    /// that falls behind its schedule starts the next payment at once (the result shows the rate reached).
    /// </summary>
    public static async Task<PayersResult> RunAsync(Uri server, string createPath, IReadOnlyList<Payer> payers, int concurrency, TimeSpan duration, double? rate = null)
    {
        var deadline = Stopwatch.StartNew();
        var times = new List<double>[concurrency];
        var failures = 0;
        string? firstFailure = null;
        var tasks = Enumerable.Range(0, concurrency).Select(async lane =>
        {
            times[lane] = [];
            // One browser per lane: its own connection and its own antiforgery cookie.
            using var handler = new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
            using var client = new HttpClient(handler) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
            string? cookie = null;
            var mine = payers.Where((_, i) => i % concurrency == lane).ToList();
            // Lanes start spread over one period, not all at once.
            var period = rate is > 0 ? TimeSpan.FromSeconds(concurrency / rate.Value) : TimeSpan.Zero;
            var next = period * lane / concurrency;
            for (var n = 0; deadline.Elapsed < duration && mine.Count > 0; n++)
            {
                if (period > TimeSpan.Zero)
                {
                    if (next > deadline.Elapsed)
                    {
                        await Task.Delay(next - deadline.Elapsed);
                    }

                    next += period;
                }

                var payer = mine[n % mine.Count];
                var watch = Stopwatch.StartNew();
                try
                {
                    cookie = await PayAsync(client, createPath, payer, cookie);
                    times[lane].Add(watch.Elapsed.TotalMilliseconds);
                }
                catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException or JsonException)
                {
                    Interlocked.Increment(ref failures);
                    Interlocked.CompareExchange(ref firstFailure, e.Message, null);
                }
            }
        }).ToList();
        await Task.WhenAll(tasks);
        var all = times.SelectMany(t => t).ToArray();
        return new PayersResult(all.Length, failures, deadline.Elapsed.TotalSeconds, all, firstFailure);
    }

    internal static async Task<string?> PayAsync(HttpClient client, string createPath, Payer payer, string? cookie)
    {
        string confirmation;
        using (var create = new HttpRequestMessage(HttpMethod.Post, createPath.Replace("{id}", payer.AccountId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)))
        {
            if (payer.Token is not null)
            {
                create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", payer.Token);
            }

            create.Content = new StringContent("""{"amount":"500.00","consent":true}""", Encoding.UTF8, "application/json");
            using var response = await client.SendAsync(create);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"create answered {(int)response.StatusCode}: {body}");
            }

            using var json = JsonDocument.Parse(body);
            confirmation = json.RootElement.GetProperty("confirmation_url").GetString()!;
        }

        var page = new Uri(confirmation).PathAndQuery;
        string token;
        using (var get = new HttpRequestMessage(HttpMethod.Get, page))
        {
            if (cookie is not null)
            {
                get.Headers.Add("Cookie", cookie);
            }

            using var response = await client.SendAsync(get);
            var html = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"hosted page answered {(int)response.StatusCode}");
            }

            if (response.Headers.TryGetValues("Set-Cookie", out var set))
            {
                cookie = string.Join("; ", set.Select(c => c.Split(';', 2)[0]));
            }

            token = WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value);
        }

        using (var post = new HttpRequestMessage(HttpMethod.Post, page))
        {
            if (cookie is not null)
            {
                post.Headers.Add("Cookie", cookie);
            }

            post.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["card"] = SuccessCard, ["__RequestVerificationToken"] = token });
            using var response = await client.SendAsync(post);
            if (response.StatusCode != HttpStatusCode.Redirect)
            {
                throw new InvalidOperationException($"card submit answered {(int)response.StatusCode}");
            }
        }

        return cookie;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
