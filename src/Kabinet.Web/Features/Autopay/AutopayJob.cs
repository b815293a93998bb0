using System.Globalization;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Domain.Money;
using Kabinet.Web.Features.Billing;
using Kabinet.Web.Features.Dashboard;
using Kabinet.Web.Features.Payments;
using Kabinet.Web.Hosting;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.Autopay;

/// <summary>The autopay job's settings (<c>Kabinet:Autopay</c>).</summary>
public sealed class AutopayOptions
{
    /// <summary>Whether the background loop runs (RunOnceAsync works either way).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Minutes between passes.</summary>
    public int IntervalMinutes { get; set; } = 5;
}

/// <summary>What one pass did.</summary>
public sealed record AutopayReport(int Charged, int Succeeded, int Failed);

/// <summary>
/// Charges saved cards by the subscribers' autopay rules (M8). A pass finds the rules that are due,
/// claims each rule's period (the day, the forecast block day or the month) by inserting an
/// autopay_runs row under UNIQUE (rule, period), and only the claimant charges, through
/// <see cref="OnlinePayments"/> with the Idempotence-Key "autopay:{rule}:{period}". So a repeated
/// pass, or the same job on every instance, charges a period once. Each outcome, success or failure,
/// is written to the run and to the account_events outbox for notifications.
/// </summary>
public sealed class AutopayJob(
    Database database, OnlinePayments payments, PaymentStarter starter, DashboardQuery dashboard, OperatorClock clock,
    IOptions<PaymentOptions> limits, IOptions<AutopayOptions> options, ILogger<AutopayJob> logger) : BackgroundService
{
    // A claimed run with no payment after this long was interrupted (a crash); the next pass finishes it.
    private static readonly TimeSpan Interrupted = TimeSpan.FromMinutes(5);

    // A claimed run with no payment after this long is not charged late for its period: it is failed.
    private static readonly TimeSpan Abandoned = TimeSpan.FromDays(3);

    // How long a run left pending is followed until its payment is decided: a payment is decided well
    // within it (an unanswered charge within OnlinePayments.ResendUntil), so even after days of
    // downtime every run gets its outcome recorded, and notified, once.
    private static readonly TimeSpan Followed = TimeSpan.FromDays(30);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(Math.Max(1, options.Value.IntervalMinutes)));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Autopay pass failed; retrying on the next tick");
            }
        }
    }

    /// <summary>One pass: charges the rules due now and finishes runs left pending.</summary>
    public async Task<AutopayReport> RunOnceAsync(CancellationToken ct)
    {
        var report = new Counter();
        await FinishPendingAsync(report, ct);
        List<DueRule> rules;
        await using (var connection = await database.OpenAsync(ct))
        {
            rules = (await connection.QueryAsync<DueRule>(
                """
                SELECT r.id AS Id, r.account_id AS AccountId, a.contract_id AS ContractId, r.kind AS Kind, r.amount AS Amount,
                       r.below AS Below, r.days_before AS DaysBefore, r.day_of_month AS DayOfMonth,
                       COALESCE(r.changed_at, r.created_at) AS Since, m.gateway_method_id AS GatewayMethodId,
                       m.revoked_at AS RevokedAt, la.balance AS Balance
                FROM autopay_rules r
                JOIN payment_methods m ON m.id = r.payment_method_id
                JOIN accounts a ON a.id = r.account_id
                JOIN ledger_accounts la ON la.id = a.ledger_account_id
                WHERE r.enabled = TRUE
                  -- Not while an earlier charge of the rule is undecided (a gateway that has not answered):
                  -- a balance that its money has not reached yet would charge the card again.
                  AND NOT EXISTS (SELECT 1 FROM autopay_runs pr WHERE pr.rule_id = r.id AND pr.status = 1 AND pr.created_at > @after)
                ORDER BY r.id
                """,
                new { after = clock.UtcNow - Followed })).ToList();
        }

        foreach (var rule in rules)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                await ProcessAsync(rule, report, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One account's trouble must not stop the others' autopay.
                logger.LogError(e, "Autopay rule {RuleId} failed", rule.Id);
            }
        }

        return new AutopayReport(report.Charged, report.Succeeded, report.Failed);
    }

    private async Task ProcessAsync(DueRule rule, Counter report, CancellationToken ct)
    {
        var due = await DueAsync(rule, ct);
        if (due is null)
        {
            return;
        }

        var (period, amount) = due.Value;
        var now = clock.UtcNow;
        long runId;
        await using (var connection = await database.OpenAsync(ct))
        {
            runId = await connection.ExecuteScalarAsync<long?>(
                """
                INSERT INTO autopay_runs (rule_id, account_id, period, amount, status, created_at)
                VALUES (@Id, @AccountId, @period, @amount, 1, @now)
                ON CONFLICT (rule_id, period) DO NOTHING
                RETURNING id
                """,
                new { rule.Id, rule.AccountId, period, amount = amount.Kopecks, now }) ?? 0;
        }

        if (runId == 0)
        {
            // This period is charged already, or another instance is charging it right now.
            return;
        }

        report.Charged++;
        var run = new PendingRun { Id = runId, RuleId = rule.Id, AccountId = rule.AccountId, ContractId = rule.ContractId, Period = period, Amount = amount.Kopecks, CreatedAt = now };
        if (rule.RevokedAt is not null)
        {
            await FinishAsync(run, PaymentStatus.Canceled, "method_revoked", null, report, ct);
            return;
        }

        await ChargeAsync(run, rule.GatewayMethodId, report, ct);
    }

    private async Task ChargeAsync(PendingRun run, string gatewayMethodId, Counter report, CancellationToken ct)
    {
        var contact = await starter.ContactOnFileAsync(run.ContractId, ct) ?? await LastReceiptContactAsync(run.AccountId, ct);
        if (contact is null)
        {
            await FinishAsync(run, PaymentStatus.Canceled, "contact_missing", null, report, ct);
            return;
        }

        var started = await payments.StartAsync(
            new PaymentRequest(
                run.AccountId, new Money(run.Amount).ToString(), PaymentMethod.SavedCard, PaymentSource.Autopay, contact, "",
                SavedMethodId: gatewayMethodId, AutopayRuleId: run.RuleId, IdempotenceKey: Key(run)),
            ct);
        if (!started.IsSuccess)
        {
            var code = started.Error!.Code.StartsWith("payment.", StringComparison.Ordinal) ? started.Error.Code["payment.".Length..] : started.Error.Code;
            await FinishAsync(run, PaymentStatus.Canceled, code, await PaymentIdAsync(run, ct), report, ct);
            return;
        }

        await SettleAsync(run, report, ct);
    }

    // Reads the payment behind a run and, once it is decided, records the outcome.
    private async Task SettleAsync(PendingRun run, Counter report, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var payment = await connection.QuerySingleOrDefaultAsync<RunPayment>(
            "SELECT id AS Id, status AS Status, failure_code AS FailureCode FROM payments WHERE idempotence_key = @key", new { key = Key(run) });
        if (payment is null || payment.Status == (int)PaymentStatus.Pending)
        {
            return;
        }

        await FinishAsync(run, (PaymentStatus)payment.Status, payment.FailureCode, payment.Id, report, ct);
    }

    // Runs a pass left pending: a recurring charge the gateway had not decided, one whose create got no
    // answer (a timeout or a gateway 5xx: the card may be charged), or a crash mid-charge.
    private async Task FinishPendingAsync(Counter report, CancellationToken ct)
    {
        var now = clock.UtcNow;
        List<PendingRun> pending;
        await using (var connection = await database.OpenAsync(ct))
        {
            pending = (await connection.QueryAsync<PendingRun>(
                """
                SELECT r.id AS Id, r.rule_id AS RuleId, r.account_id AS AccountId, a.contract_id AS ContractId, r.period AS Period,
                       r.amount AS Amount, r.created_at AS CreatedAt, p.status AS PaymentStatus, p.public_id AS PaymentPublicId,
                       ru.enabled AS RuleEnabled, m.gateway_method_id AS GatewayMethodId, m.revoked_at AS RevokedAt
                FROM autopay_runs r
                JOIN accounts a ON a.id = r.account_id
                JOIN autopay_rules ru ON ru.id = r.rule_id
                JOIN payment_methods m ON m.id = ru.payment_method_id
                LEFT JOIN payments p ON p.idempotence_key = 'autopay:' || CAST(r.rule_id AS TEXT) || ':' || r.period
                WHERE r.status = 1 AND r.created_at > @after
                ORDER BY r.id
                LIMIT 500
                """,
                new { after = now - Followed })).ToList();
        }

        foreach (var run in pending)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                await FinishPendingAsync(run, now, report, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One run's trouble must not stop the others, nor this pass's new charges.
                logger.LogError(e, "Autopay run {RunId} of rule {RuleId} could not be finished; retrying on the next pass", run.Id, run.RuleId);
            }
        }
    }

    private async Task FinishPendingAsync(PendingRun run, DateTimeOffset now, Counter report, CancellationToken ct)
    {
        if (run.PaymentStatus is { } status)
        {
            if (status == (int)PaymentStatus.Pending)
            {
                // Asks the gateway by the payment's id or, when the create was never answered, sends it
                // again with the run's Idempotence-Key (the reconciliation job does the same; both are idempotent).
                await payments.ReconcileAsync(run.PaymentPublicId!, ct);
            }

            // Recorded once the payment is decided, however long that takes (a charge never answered
            // is decided within OnlinePayments.ResendUntil), and after a restart as well.
            await SettleAsync(run, report, ct);
        }
        else if (run.CreatedAt < now - Abandoned)
        {
            // Claimed and never charged, and too long ago to charge for that period now.
            await FinishAsync(run, PaymentStatus.Canceled, "interrupted", null, report, ct);
        }
        else if (run.CreatedAt < now - Interrupted)
        {
            if (!run.RuleEnabled || run.RevokedAt is not null)
            {
                await FinishAsync(run, PaymentStatus.Canceled, run.RuleEnabled ? "method_revoked" : "rule_disabled", null, report, ct);
            }
            else
            {
                await ChargeAsync(run, run.GatewayMethodId!, report, ct);
            }
        }
    }

    private async Task FinishAsync(PendingRun run, PaymentStatus outcome, string? reason, long? paymentId, Counter report, CancellationToken ct)
    {
        var now = clock.UtcNow;
        var succeeded = outcome == PaymentStatus.Succeeded;
        reason = succeeded ? null : reason ?? "general_decline";
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await Database.BeginWriteAsync(connection, ct);
        // The status flip is the gate: the outcome is recorded (and notified) once.
        var won = await connection.ExecuteAsync(
            "UPDATE autopay_runs SET status = @status, reason = @reason, payment_id = @paymentId, finished_at = @now WHERE id = @Id AND status = 1",
            new { status = succeeded ? 2 : 3, reason, paymentId, now, run.Id }, tx);
        if (won == 1)
        {
            var details = string.Create(
                CultureInfo.InvariantCulture, $"rule={run.RuleId};amount={new Money(run.Amount)};period={run.Period}{(reason is null ? "" : ";reason=" + reason)}");
            await AccountStatusWriter.RecordAsync(connection, tx, run.AccountId, succeeded ? "autopay_succeeded" : "autopay_failed", now, details);
            if (reason is "permission_revoked" or "method_revoked")
            {
                // The bank no longer honours the card: it is gone for Kabinet too, and so is the rule.
                var methodId = await connection.ExecuteScalarAsync<long>(
                    "SELECT payment_method_id FROM autopay_rules WHERE id = @RuleId", new { run.RuleId }, tx);
                await connection.ExecuteAsync(
                    "UPDATE payment_methods SET revoked_at = @now WHERE id = @methodId AND revoked_at IS NULL", new { now, methodId }, tx);
                await AutopayRules.DisableRulesOfMethodAsync(connection, tx, methodId, now, "method_revoked");
            }
        }

        await tx.CommitAsync(ct);
        if (won == 1)
        {
            if (succeeded)
            {
                report.Succeeded++;
            }
            else
            {
                report.Failed++;
                logger.LogWarning("Autopay rule {RuleId} for {Period} failed: {Reason}", run.RuleId, run.Period, reason);
            }
        }
    }

    private async Task<(string Period, Money Amount)?> DueAsync(DueRule rule, CancellationToken ct)
    {
        var today = clock.Today;
        switch ((AutopayKind)rule.Kind)
        {
            case AutopayKind.BalanceBelow:
                return rule.Balance < rule.Below && rule.Amount is { } x
                    ? ("k1:" + Iso(today), Limit(new Money(x)))
                    : null;
            case AutopayKind.BeforeBlock:
            {
                var forecast = await ForecastAsync(rule, ct);
                if (forecast?.BlockOn is not { } blockOn || today < blockOn.AddDays(-(rule.DaysBefore ?? 0)))
                {
                    return null;
                }

                var amount = rule.Amount is { } fixedAmount ? new Money(fixedAmount) : forecast.RecommendedPayment;
                return amount.IsPositive ? ("k2:" + Iso(blockOn), Limit(amount)) : null;
            }

            case AutopayKind.Monthly:
            {
                var day = new DateOnly(today.Year, today.Month, Math.Min(rule.DayOfMonth ?? 1, DateTime.DaysInMonth(today.Year, today.Month)));
                // A rule set after this month's day starts next month; a pass that missed the day catches up.
                var since = DateOnly.FromDateTime(clock.ToLocal(rule.Since).DateTime);
                if (today < day || since > day)
                {
                    return null;
                }

                var amount = rule.Amount is { } fixedAmount ? new Money(fixedAmount) : (await ForecastAsync(rule, ct))?.RecommendedPayment ?? Money.Zero;
                return amount.IsPositive ? ("k3:" + today.ToString("yyyy-MM", CultureInfo.InvariantCulture), Limit(amount)) : null;
            }

            default:
                return null;
        }
    }

    private async Task<Kabinet.Domain.Billing.Forecast?> ForecastAsync(DueRule rule, CancellationToken ct)
    {
        var data = await dashboard.LoadAsync(rule.ContractId, rule.AccountId, 0, ct);
        return data?.Selected is { } account && account.Id == rule.AccountId ? account.Forecast : null;
    }

    // The recommended payment can be outside the limits of one payment; the charge stays within them.
    private Money Limit(Money amount)
    {
        var (min, max) = (limits.Value.Min, limits.Value.Max);
        return amount < min ? min : amount > max ? max : amount;
    }

    private async Task<string?> LastReceiptContactAsync(long accountId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(
            "SELECT receipt_contact FROM payments WHERE account_id = @accountId ORDER BY id DESC LIMIT 1", new { accountId });
    }

    private async Task<long?> PaymentIdAsync(PendingRun run, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long?>("SELECT id FROM payments WHERE idempotence_key = @key", new { key = Key(run) });
    }

    private static string Key(PendingRun run) => string.Create(CultureInfo.InvariantCulture, $"autopay:{run.RuleId}:{run.Period}");

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed class Counter
    {
        public int Charged { get; set; }

        public int Succeeded { get; set; }

        public int Failed { get; set; }
    }
}

/// <summary>The payment an autopay run made.</summary>
public sealed class RunPayment
{
    public long Id { get; init; }

    public int Status { get; init; }

    public string? FailureCode { get; init; }
}

/// <summary>An enabled rule with what deciding it needs.</summary>
public sealed class DueRule
{
    public long Id { get; init; }

    public long AccountId { get; init; }

    public long ContractId { get; init; }

    public int Kind { get; init; }

    public long? Amount { get; init; }

    public long? Below { get; init; }

    public int? DaysBefore { get; init; }

    public int? DayOfMonth { get; init; }

    public DateTimeOffset Since { get; init; }

    public string GatewayMethodId { get; init; } = "";

    public DateTimeOffset? RevokedAt { get; init; }

    public long Balance { get; init; }
}

/// <summary>A claimed autopay period whose outcome is not recorded yet.</summary>
public sealed class PendingRun
{
    public long Id { get; init; }

    public long RuleId { get; init; }

    public long AccountId { get; init; }

    public long ContractId { get; init; }

    public string Period { get; init; } = "";

    public long Amount { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public int? PaymentStatus { get; init; }

    public string? PaymentPublicId { get; init; }

    public bool RuleEnabled { get; init; }

    public string? GatewayMethodId { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }
}
