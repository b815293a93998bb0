using Kabinet.Web.Hosting;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.Billing;

/// <summary>
/// Runs the billing day after midnight in the operator's zone, and catches up after downtime: every
/// few minutes it bills up to today, which does nothing once today is done. Every instance runs
/// it; the job lease lets one charge.
/// </summary>
public sealed class BillingJob(BillingRun run, OperatorClock clock, TimeProvider time, IOptions<KabinetOptions> options, ILogger<BillingJob> logger)
    : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var billing = options.Value.Billing;
        if (!billing.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(billing.IntervalMinutes), time);
        do
        {
            try
            {
                await run.RunUpToAsync(clock.Today, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next tick retries; charges already made are kept by their keys.
                logger.LogError(e, "Billing run failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
