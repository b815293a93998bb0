namespace Kabinet.Web.Features.Payments;

/// <summary>
/// Asks the gateway about payments that stay pending, so a lost notification, or a crash between
/// the gateway's success and the credit, still ends credited (once: the credit is idempotent); and
/// sends a saved card's charge whose create got no answer again, with its Idempotence-Key, so a card
/// charged behind a timeout is credited too.
/// Every instance may run it; the credit's database gate makes concurrent runs harmless.
/// </summary>
public sealed class PaymentReconciliationJob(OnlinePayments payments, TimeProvider time, ILogger<PaymentReconciliationJob> logger) : BackgroundService
{
    /// <summary>How often pending payments are checked.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Payment reconciliation failed; retrying on the next tick");
            }
        }
    }

    /// <summary>One pass over the pending payments of the last two days.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var stale = await payments.StalePendingAsync(TimeSpan.FromSeconds(10), TimeSpan.FromDays(2), 500, ct);
        foreach (var payment in stale)
        {
            // Asked by its gateway id, or (a saved card's charge never answered) sent again with its key.
            await payments.ReconcileAsync(payment, ct);
        }

        return stale.Count;
    }
}
