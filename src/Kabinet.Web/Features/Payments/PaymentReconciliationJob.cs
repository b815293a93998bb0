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

    /// <summary>
    /// How far back pending payments are checked. YooKassa keeps a payment and answers for it long
    /// after it was made, and a success must be credited whenever Kabinet learns of it: after days of
    /// downtime, or of a gateway that did not answer, its notifications have long stopped, and only
    /// this job is left to find it (two days, as before, silently dropped such payments). A month
    /// covers any outage worth surviving; a payment pending longer is a case for a person.
    /// </summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(30);

    /// <summary>At most this many payments are asked about in one pass.</summary>
    public const int BatchSize = 500;

    // Where the next pass goes on (a payment id): a pass takes the next BatchSize payments after the
    // last one it saw and starts over from the first once it reaches the end, so payments that stay
    // pending for long (up to the Window) cannot keep the ones after them from being checked.
    private long _cursor;

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

    /// <summary>One pass over (the next batch of) the pending payments of the last <see cref="Window"/>.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var stale = await payments.StalePendingAsync(TimeSpan.FromSeconds(10), Window, Interlocked.Read(ref _cursor), BatchSize, ct);
        Interlocked.Exchange(ref _cursor, stale.Count < BatchSize ? 0 : stale[^1].Id);
        foreach (var payment in stale)
        {
            try
            {
                // Asked by its gateway id, or (a saved card's charge never answered) sent again with its key.
                await payments.ReconcileAsync(payment, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // One payment the gateway cannot answer for (a 5xx, a garbled answer, a timeout), or
                // whose credit fails, must not keep the others from being credited: it is tried again
                // on the next pass.
                logger.LogError(e, "Reconciliation of payment {PublicId} (gateway payment {GatewayPaymentId}) failed; trying again on the next pass",
                    payment.PublicId, payment.GatewayPaymentId);
            }
        }

        return stale.Count;
    }
}
