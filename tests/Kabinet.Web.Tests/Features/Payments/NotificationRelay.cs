using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Kabinet.Web.Tests.Features.Payments;

/// <summary>
/// A real HTTP hop between the sandbox acquirer and Kabinet's notification endpoint
/// (<c>Kabinet:Sandbox:NotificationUrl</c> points here): it passes each notification on unchanged and
/// counts the answers, so a test knows when every copy the sandbox sent has been handled instead of
/// guessing with a sleep.
/// </summary>
internal sealed class NotificationRelay : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpClient _client = new();
    private readonly ConcurrentQueue<HttpStatusCode> _answers = new();
    private readonly CancellationTokenSource _stop = new();
    private Uri? _target;

    public NotificationRelay()
    {
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}/notifications/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    /// <summary>Where the sandbox should send its notifications.</summary>
    public string Url { get; }

    /// <summary>Kabinet's answers to the notifications passed on so far.</summary>
    public IReadOnlyCollection<HttpStatusCode> Answers => _answers.ToArray();

    /// <summary>Passes notifications on to this Kabinet (one served on a real port).</summary>
    public void ForwardTo(Uri kabinet) => _target = new Uri(kabinet, "/payments/notifications/yookassa");

    /// <summary>Waits until Kabinet has answered <paramref name="count"/> notifications.</summary>
    public async Task WaitForAnswersAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (_answers.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Kabinet answered {_answers.Count} of {count} notifications within 30 s.");
            }

            await Task.Delay(20);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _client.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => RelayAsync(context));
        }
    }

    private async Task RelayAsync(HttpListenerContext context)
    {
        try
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body, _stop.Token);
            using var content = new ByteArrayContent(body.ToArray());
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var answer = await _client.PostAsync(_target ?? throw new InvalidOperationException("ForwardTo was not called."), content, _stop.Token);
            _answers.Enqueue(answer.StatusCode);
            context.Response.StatusCode = (int)answer.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            context.Response.StatusCode = (int)HttpStatusCode.BadGateway;
        }
        finally
        {
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
