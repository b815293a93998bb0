using System.Net.Http.Json;
using System.Threading.Channels;
using Kabinet.Web.Integrations.YooKassa;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Integrations.Sandbox;

/// <summary>
/// Sends the sandbox's HTTP notifications the way a real acquirer does: after the status changes,
/// possibly late, possibly several times, possibly followed by a stale one, or not at all.
/// </summary>
public sealed class SandboxNotifier(
    IHttpClientFactory clients, IOptionsMonitor<SandboxOptions> options, SelfAddress self, ILogger<SandboxNotifier> logger) : BackgroundService
{
    private readonly Channel<YkPayment> _queue = Channel.CreateUnbounded<YkPayment>();

    /// <summary>Queues the notifications for a payment's new status.</summary>
    public void Notify(YkPayment payment) => _queue.Writer.TryWrite(payment);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var payment in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            var settings = options.CurrentValue;
            if (settings.FailNotifications)
            {
                continue;
            }

            _ = SendLaterAsync(payment, settings, stoppingToken);
        }
    }

    private async Task SendLaterAsync(YkPayment payment, SandboxOptions settings, CancellationToken ct)
    {
        try
        {
            if (settings.NotificationDelayMs > 0)
            {
                await Task.Delay(settings.NotificationDelayMs, ct);
            }

            var url = string.IsNullOrEmpty(settings.NotificationUrl) ? new Uri(self.Base, "/payments/notifications/yookassa") : new Uri(settings.NotificationUrl);
            var client = clients.CreateClient(nameof(SandboxNotifier));
            var name = payment.Status switch
            {
                YkPayment.Succeeded => "payment.succeeded",
                YkPayment.Canceled => "payment.canceled",
                _ => "payment.waiting_for_capture",
            };
            var copies = Math.Max(1, settings.NotificationCopies);
            await Task.WhenAll(Enumerable.Range(0, copies).Select(_ => PostAsync(client, url, name, payment, ct)));
            if (settings.OutOfOrder)
            {
                await PostAsync(client, url, "payment.waiting_for_capture", payment with { Status = YkPayment.Pending, Paid = false }, ct);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // A real acquirer retries for a day; the reconciliation job covers a lost notification.
            logger.LogWarning(e, "Sandbox notification for {Payment} was not delivered", payment.Id);
        }
    }

    private static async Task PostAsync(HttpClient client, Uri url, string name, YkPayment payment, CancellationToken ct)
    {
        using var response = await client.PostAsJsonAsync(url, new { type = "notification", @event = name, @object = payment }, YooKassaClient.Json, ct);
    }
}
