using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Kabinet.Web.Tests.Features.Sandbox;

/// <summary>
/// A shop's notification endpoint on a real loopback port: it answers 200 and keeps every
/// notification the sandbox acquirer sends, so tests see what a real shop would receive.
/// </summary>
public sealed class NotificationInbox : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(string Event, string PaymentId, string Status)> _received = new();
    private readonly Task _loop;

    public NotificationInbox()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/notifications/";
            probe.Stop();
        }

        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>Where the sandbox is told to send notifications.</summary>
    public string Url { get; }

    /// <summary>The notifications of a payment received so far: event and the status it carried.</summary>
    public IReadOnlyList<(string Event, string Status)> Of(string paymentId) =>
        _received.Where(n => n.PaymentId == paymentId).Select(n => (n.Event, n.Status)).ToList();

    /// <summary>Waits (up to 10 s) until a payment has a notification of the event.</summary>
    public async Task<(string Event, string Status)> WaitForAsync(string paymentId, string eventName)
    {
        for (var waited = 0; waited < 10_000; waited += 20)
        {
            if (Of(paymentId).FirstOrDefault(n => n.Event == eventName) is { Event: not null } found)
            {
                return found;
            }

            await Task.Delay(20);
        }

        throw new ShouldAssertException($"no {eventName} notification for {paymentId}; got: {string.Join(", ", Of(paymentId))}");
    }

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was closed under a pending accept.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
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

            using (var body = await JsonDocument.ParseAsync(context.Request.InputStream))
            {
                var root = body.RootElement;
                var payment = root.GetProperty("object");
                _received.Enqueue((root.GetProperty("event").GetString()!, payment.GetProperty("id").GetString()!, payment.GetProperty("status").GetString()!));
            }

            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }
}
