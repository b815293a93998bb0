using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kabinet.Web.Tests.Infrastructure;

/// <summary>What the proxy does to the answer of a request it was told to spoil.</summary>
public enum ProxyFault
{
    /// <summary>The gateway's answer is passed on.</summary>
    None,

    /// <summary>The request reaches the gateway, then the connection is reset before any answer: a network failure after the gateway acted.</summary>
    DropAnswer,

    /// <summary>The request reaches the gateway, then the caller gets 502 Bad Gateway, as from a load balancer whose upstream leg broke.</summary>
    BadGateway,

    /// <summary>The request reaches the gateway, and the answer is held until the caller gives up.</summary>
    Hold,
}

/// <summary>
/// A real HTTP reverse proxy (Kestrel on a loopback port) between Kabinet and the gateway, for the
/// network's bad days: every request really goes to the gateway (the sandbox acts on it, over real
/// HTTP), and only then is the answer lost on the way back, as a dropped connection or a 502 would
/// lose it. It also records what passed and what was answered, so a test can see whether Kabinet
/// called the gateway at all, or — put between the sandbox's notifications and Kabinet — wait until
/// every notification the sandbox sent has been handled instead of guessing with a sleep.
/// </summary>
public sealed class GatewayProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer",
    };

    private readonly WebApplication _app;
    private Uri? _upstream;
    private readonly HttpClient _client = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
    private readonly ConcurrentQueue<string> _seen = new();
    private readonly ConcurrentQueue<(string Request, int Status)> _answered = new();
    private readonly object _gate = new();
    private (ProxyFault Fault, string Method, string Path, int Left) _plan;
    private int _spoiled;

    private GatewayProxy(WebApplication app) => _app = app;

    /// <summary>The proxy's own address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>The requests that passed, as "METHOD /path", in order.</summary>
    public IReadOnlyList<string> Seen => [.. _seen];

    /// <summary>The statuses the upstream answered to requests of that method to that path, in order.</summary>
    public IReadOnlyList<int> AnswersTo(string method, string path) =>
        [.. _answered.Where(a => a.Request == method + " " + path).Select(a => a.Status)];

    /// <summary>How many answers were spoiled so far.</summary>
    public int Spoiled => Volatile.Read(ref _spoiled);

    /// <summary>Completes when a request to be held has reached the gateway and been answered there.</summary>
    public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Starts a proxy in front of <paramref name="upstream"/> (scheme, host and port); without one,
    /// <see cref="ForwardTo"/> names it once it is known (a Kabinet whose settings carry the proxy's address).
    /// </summary>
    public static async Task<GatewayProxy> StartAsync(Uri? upstream = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var proxy = new GatewayProxy(app);
        if (upstream is not null)
        {
            proxy.ForwardTo(upstream);
        }

        app.Run(proxy.ForwardAsync);
        await app.StartAsync();
        proxy.Address = new Uri(app.Urls.First().TrimEnd('/') + "/");
        return proxy;
    }

    /// <summary>Where requests go from now on (scheme, host and port).</summary>
    public void ForwardTo(Uri upstream)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        _upstream = new Uri(upstream.GetLeftPart(UriPartial.Authority));
    }

    /// <summary>Waits (up to 30 s) until the upstream has answered <paramref name="count"/> requests of that method to that path.</summary>
    public async Task WaitForAnswersAsync(string method, string path, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (AnswersTo(method, path).Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{AnswersTo(method, path).Count} of {count} answers to {method} {path} within 30 s.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Spoils the answers to the next <paramref name="times"/> requests of that method to that path.</summary>
    public void Spoil(ProxyFault fault, string method, string path, int times = 1)
    {
        lock (_gate)
        {
            _plan = (fault, method, path, times);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Held.TrySetCanceled();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _client.Dispose();
    }

    private async Task ForwardAsync(HttpContext http)
    {
        var request = http.Request;
        _seen.Enqueue(request.Method + " " + request.Path);
        var upstream = _upstream ?? throw new InvalidOperationException("The proxy has nowhere to forward to yet.");
        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(upstream, request.Path.ToUriComponent() + request.QueryString));
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        if (body.Length > 0)
        {
            forward.Content = new ByteArrayContent(body.ToArray());
        }

        foreach (var (name, values) in request.Headers)
        {
            if (HopByHop.Contains(name))
            {
                continue;
            }

            if (!forward.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                forward.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        // The gateway gets the request and acts on it whatever happens to its answer afterwards.
        using var answer = await _client.SendAsync(forward, CancellationToken.None);
        var bytes = await answer.Content.ReadAsByteArrayAsync();
        _answered.Enqueue((request.Method + " " + request.Path, (int)answer.StatusCode));
        switch (Take(request.Method, request.Path))
        {
            case ProxyFault.DropAnswer:
                http.Abort();
                return;
            case ProxyFault.BadGateway:
                http.Response.StatusCode = StatusCodes.Status502BadGateway;
                http.Response.ContentType = "text/html";
                await http.Response.WriteAsync("<html><body><h1>502 Bad Gateway</h1></body></html>");
                return;
            case ProxyFault.Hold:
                Held.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, http.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // The caller gave up.
                }

                return;
        }

        http.Response.StatusCode = (int)answer.StatusCode;
        foreach (var header in answer.Content.Headers.Where(h => h.Key is "Content-Type"))
        {
            http.Response.Headers[header.Key] = header.Value.ToArray();
        }

        await http.Response.Body.WriteAsync(bytes);
    }

    private ProxyFault Take(string method, PathString path)
    {
        lock (_gate)
        {
            if (_plan.Left == 0 || !string.Equals(_plan.Method, method, StringComparison.OrdinalIgnoreCase) || path != _plan.Path)
            {
                return ProxyFault.None;
            }

            _plan.Left--;
            _spoiled++;
            return _plan.Fault;
        }
    }
}
