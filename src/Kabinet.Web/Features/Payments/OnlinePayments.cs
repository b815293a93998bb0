using System.Globalization;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Data.Ledger;
using Kabinet.Domain.Common;
using Kabinet.Domain.Ledger;
using Kabinet.Domain.Money;
using Kabinet.Web.Integrations;
using Kabinet.Web.Integrations.YooKassa;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.Payments;

/// <summary>Local state of an online payment.</summary>
public enum PaymentStatus
{
    Pending = 1,
    Succeeded = 2,
    Canceled = 3,
}

/// <summary>How the payer pays.</summary>
public enum PaymentMethod
{
    BankCard = 1,
    Sbp = 2,
    SavedCard = 3,
}

/// <summary>Where the payment was started.</summary>
public enum PaymentSource
{
    Cabinet = 1,
    Api = 2,
    Public = 3,
    Autopay = 4,
}

/// <summary>Limits on one online payment (<c>Kabinet:Payments</c>).</summary>
public sealed class PaymentOptions
{
    /// <summary>The smallest payment, in roubles.</summary>
    public decimal MinAmount { get; set; } = 10m;

    /// <summary>The largest payment, in roubles.</summary>
    public decimal MaxAmount { get; set; } = 15_000m;

    /// <summary>The smallest payment as money.</summary>
    public Money Min => new((long)(MinAmount * 100));

    /// <summary>The largest payment as money.</summary>
    public Money Max => new((long)(MaxAmount * 100));

    /// <summary>
    /// The offer the payer accepts, linked from the consent checkbox and named in the stored consent:
    /// the operator's own document (a local path or an http(s) address), or the built-in page "/offer".
    /// </summary>
    public string OfferUrl { get; set; } = "/offer";
}

/// <summary>A payment as Kabinet keeps it.</summary>
public sealed class PaymentRecord
{
    public long Id { get; init; }

    public string PublicId { get; init; } = "";

    public long AccountId { get; init; }

    public long ContractId { get; init; }

    public long Amount { get; init; }

    public int Method { get; init; }

    public int Source { get; init; }

    public string Gateway { get; init; } = "";

    public string? GatewayPaymentId { get; init; }

    public string IdempotenceKey { get; init; } = "";

    public int Status { get; init; }

    public string? FailureCode { get; init; }

    public string? ConfirmationUrl { get; init; }

    public bool SaveMethod { get; init; }

    public string? ConsentText { get; init; }

    public DateTimeOffset? ConsentAt { get; init; }

    public long? LedgerTransactionId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? SucceededAt { get; init; }

    /// <summary>The account's ledger account.</summary>
    public long LedgerAccountId { get; init; }
}

/// <summary>A payment to record before the gateway is asked for it.</summary>
internal sealed record NewPayment(
    string PublicId, long AccountId, long Amount, int Method, int Source, string Gateway, string IdempotenceKey, string ReceiptContact,
    bool SaveMethod, string? ConsentText, DateTimeOffset? ConsentAt, long? AutopayRuleId, DateTimeOffset At, string? GatewayRequest);

/// <summary>What the gateway gave a started payment: its id there and where the payer confirms it.</summary>
internal sealed record GatewayReference(string PublicId, string GatewayPaymentId, string? ConfirmationUrl, DateTimeOffset At);

/// <summary>What starting a payment gives back: where to send the payer.</summary>
public sealed record StartedPayment(string PublicId, string? ConfirmationUrl, PaymentStatus Status);

/// <summary>What the payer asks for.</summary>
public sealed record PaymentRequest(
    long AccountId, string? AmountText, PaymentMethod Method, PaymentSource Source, string ReceiptContact,
    string ReturnUrl, bool SaveMethod = false, string? ConsentText = null, string? SavedMethodId = null, long? AutopayRuleId = null,
    string? IdempotenceKey = null, string? AccountNumber = null);

/// <summary>
/// Online payments through the gateway (M6): starts them, and credits them exactly once when the
/// gateway — never a notification's body, never the browser — says they succeeded. The ledger
/// credit, the payment's status and the unblock commit in one database transaction; a UNIQUE
/// (gateway, gateway payment id) and the journal key "payment:{gateway}:{id}" make a repeat a no-op.
/// </summary>
public sealed class OnlinePayments(
    Database database, YooKassaClient gateway, PaymentCreditWriter credits, IOptions<GatewayOptions> gatewayOptions, IOptions<PaymentOptions> limits,
    TimeProvider time, ILogger<OnlinePayments> logger)
{
    // Started payments are recorded in groups, and so are the gateway's ids for them: one statement
    // for all the payments started meanwhile instead of one each. A start goes on once its own row
    // is written, so the gateway is asked only for a recorded payment, and a notification or the
    // reconciliation job always finds its gateway id. A caller that gives up (the client went away)
    // leaves its queued row to be written: a pending payment the gateway never saw, as when the
    // process stops between the insert and the gateway's answer.
    private readonly GroupCommit<NewPayment, bool> _inserts = new(
        database.Kind == DatabaseKind.Postgres ? 2 : 1, 128, group => InsertAsync(database, group),
        p => $"Payment {p.PublicId}", logger);

    private readonly GroupCommit<GatewayReference, bool> _gatewayIds = new(
        database.Kind == DatabaseKind.Postgres ? 2 : 1, 128, group => RecordGatewayIdsAsync(database, group),
        g => $"The gateway id {g.GatewayPaymentId} of payment {g.PublicId}", logger);

    /// <summary>
    /// The failure code a pending payment carries while the gateway has not answered its create (a
    /// saved card's charge after a timeout, a dropped connection or a gateway 5xx): not a failure,
    /// a question still open. Cleared when the answer is recorded.
    /// </summary>
    public const string NoAnswer = "gateway_no_answer";

    /// <summary>
    /// How long after its creation an unanswered saved-card charge is first sent again: longer than
    /// the gateway client's timeout, so a create still on its way (here or on another instance) is not raced.
    /// </summary>
    public static readonly TimeSpan ResendAfter = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Until when after its creation an unanswered saved-card charge is sent again. YooKassa keeps an
    /// Idempotence-Key for 24 hours from the first request with it; a re-send after that would be a
    /// new charge of the card, not a question about the first. An hour short of it (the first request
    /// left a moment after created_at, and clocks differ), reconciliation gives up: the payment is
    /// failed and an error logged for a person to look it up at the gateway.
    /// </summary>
    public static readonly TimeSpan ResendUntil = TimeSpan.FromHours(23);

    private const string LocalStatusSql = "SELECT status FROM payments WHERE gateway = @gateway AND gateway_payment_id = @id";

    /// <summary>The columns of a <see cref="PaymentRecord"/>, from payments p joined to accounts a.</summary>
    internal const string Columns = """
        p.id AS Id, p.public_id AS PublicId, p.account_id AS AccountId, a.contract_id AS ContractId, p.amount AS Amount,
        p.method AS Method, p.source AS Source, p.gateway AS Gateway, p.gateway_payment_id AS GatewayPaymentId,
        p.idempotence_key AS IdempotenceKey, p.status AS Status, p.failure_code AS FailureCode, p.confirmation_url AS ConfirmationUrl,
        p.save_method AS SaveMethod, p.consent_text AS ConsentText, p.consent_at AS ConsentAt,
        p.ledger_transaction_id AS LedgerTransactionId, p.created_at AS CreatedAt, p.succeeded_at AS SucceededAt,
        a.ledger_account_id AS LedgerAccountId
        """;

    /// <summary>Checks an amount typed by the payer against the limits.</summary>
    public Result<Money> ParseAmount(string? text)
    {
        if (!Money.TryParseTyped(text, out var amount) || !amount.IsPositive)
        {
            return new Error("payment.amount_invalid", "amount");
        }

        var (min, max) = (limits.Value.Min, limits.Value.Max);
        if (amount < min || amount > max)
        {
            return new Error("payment.amount_out_of_range", "amount", new Dictionary<string, string> { ["min"] = min.ToString(), ["max"] = max.ToString() });
        }

        return amount;
    }

    /// <summary>Starts a payment: records it, then asks the gateway (with the record's Idempotence-Key).</summary>
    public async Task<Result<StartedPayment>> StartAsync(PaymentRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!gatewayOptions.Value.Configured)
        {
            // A production start without Kabinet:Gateway: nothing is recorded, the payer is told.
            return new Error("payment.gateway_not_configured");
        }

        var amount = ParseAmount(request.AmountText);
        if (!amount.IsSuccess)
        {
            return amount.Error!;
        }

        var now = time.GetUtcNow();
        var publicId = Guid.NewGuid().ToString("N");
        var key = request.IdempotenceKey ?? Guid.NewGuid().ToString("N");
        var accountNumber = request.AccountNumber;
        if (accountNumber is null)
        {
            await using var connection = await database.OpenAsync(ct);
            accountNumber = await connection.ExecuteScalarAsync<string>("SELECT number FROM accounts WHERE id = @AccountId", new { request.AccountId }) ?? "";
        }

        // A saved card's charge keeps its create body: if the gateway's answer is lost, the same bytes
        // go again with the same Idempotence-Key (ResendAsync).
        var body = Build(request, amount.Value, publicId, accountNumber);
        var savedCardBody = request.SavedMethodId is null ? null : YooKassaClient.Serialize(body);
        var inserted = await _inserts.WriteAsync(
            new NewPayment(
                publicId, request.AccountId, amount.Value.Kopecks, (int)request.Method, (int)request.Source, gatewayOptions.Value.Name, key,
                request.ReceiptContact, request.SaveMethod, request.ConsentText, request.ConsentText is null ? null : now, request.AutopayRuleId, now,
                savedCardBody),
            ct);
        if (!inserted)
        {
            // The same request again (autopay's key per rule and period): answer with the first one.
            // Unless the first one is this very payment: its group committed but reported a failure
            // (a connection lost after the commit), and the retry found its own row; it goes on to the gateway.
            var first = await FindByKeyAsync(key, ct);
            if (first!.PublicId != publicId)
            {
                return new StartedPayment(first.PublicId, first.ConfirmationUrl, (PaymentStatus)first.Status);
            }
        }

        YkPayment created;
        try
        {
            created = savedCardBody is null
                ? await gateway.CreatePaymentAsync(body, key, ct)
                : await gateway.CreatePaymentAsync(savedCardBody, key, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && (e is GatewayException || YooKassaClient.OutcomeUnknown(e)))
        {
            // (The caller's own cancellation is not caught: the row stays pending with no gateway id,
            // as after a crash mid-call; a saved card's charge is then re-sent by reconciliation.)
            if (savedCardBody is not null && YooKassaClient.OutcomeUnknown(e))
            {
                // A saved card's charge is decided at the gateway on create, with no payer in the loop:
                // the card may be charged already. Failing it here would lose that money (and autopay
                // would charge again next period), so it stays pending, marked as unanswered, and the
                // reconciliation job re-sends the same body with the same Idempotence-Key until the
                // gateway answers (ResendAsync).
                logger.LogWarning(e, "The gateway's answer to saved-card charge {PublicId} is unknown; it stays pending and is asked again", publicId);
                await MarkUnansweredAsync(publicId, ct);
                return new StartedPayment(publicId, null, PaymentStatus.Pending);
            }

            // A redirect payment fails here safely, whatever the gateway did: no money moves until the
            // payer confirms on the gateway's page, and only this answer (now lost) carried its address;
            // a payment the gateway did create expires there unpaid. A definite refusal (4xx) is a
            // failure for a saved card too.
            logger.LogError(e, "The gateway did not take payment {PublicId}", publicId);
            await FailAsync(publicId, "gateway_unavailable", ct);
            return new Error("payment.gateway_unavailable");
        }

        await _gatewayIds.WriteAsync(new GatewayReference(publicId, created.Id, created.Confirmation?.ConfirmationUrl, time.GetUtcNow()), ct);

        // Waiting for the payer: nothing to apply (a saved card's charge is decided at once and applied).
        var status = created.Status == YkPayment.Pending ? PaymentStatus.Pending : await ApplyAsync(created, null, ct);
        return new StartedPayment(publicId, created.Confirmation?.ConfirmationUrl, status);
    }

    /// <summary>
    /// Brings a pending payment up to date (the reconciliation job, and autopay for its own runs):
    /// asks the gateway about it by its gateway id or, for a saved card's charge whose create was never
    /// answered, sends that create again (<see cref="ResendAsync"/>). Null when nothing could be learnt.
    /// </summary>
    public async Task<PaymentStatus?> ReconcileAsync(PaymentRecord payment, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(payment);
        if (payment.Status != (int)PaymentStatus.Pending)
        {
            return (PaymentStatus)payment.Status;
        }

        return payment.GatewayPaymentId is { } gatewayId ? await ConfirmAsync(gatewayId, ct) : await ResendAsync(payment, ct);
    }

    /// <summary>The same, for a payment by its public id.</summary>
    public async Task<PaymentStatus?> ReconcileAsync(string publicId, CancellationToken ct) =>
        await FindAsync(publicId, ct) is { } payment ? await ReconcileAsync(payment, ct) : null;

    /// <summary>
    /// Asks the gateway for the truth about a payment and applies it; what notifications, the result
    /// page and the reconciliation job all call.
    /// </summary>
    public Task<PaymentStatus?> ConfirmAsync(string gatewayPaymentId, CancellationToken ct) => ConfirmAsync(gatewayPaymentId, null, ct);

    /// <summary>
    /// The same, for a notification that arrived at <paramref name="notifiedAt"/>: a credit it leads
    /// to records that moment next to the credit's own.
    /// </summary>
    public async Task<PaymentStatus?> ConfirmAsync(string gatewayPaymentId, DateTimeOffset? notifiedAt, CancellationToken ct)
    {
        YkPayment payment;
        try
        {
            payment = await gateway.GetPaymentAsync(gatewayPaymentId, ct);
        }
        catch (GatewayException e) when (e.Status == System.Net.HttpStatusCode.NotFound)
        {
            logger.LogWarning("The gateway does not know payment {GatewayPaymentId}: nothing credited", gatewayPaymentId);
            return null;
        }

        return await ApplyAsync(payment, notifiedAt, ct);
    }

    /// <summary>
    /// The local status of the payment of ours with this gateway id; null when none has it. The
    /// notification endpoint's first step: one indexed read, on a kept read session.
    /// </summary>
    public async Task<PaymentStatus?> LocalStatusAsync(string gatewayPaymentId, CancellationToken ct)
    {
        await using var session = await database.OpenReadSessionAsync(ct);
        var command = session.Command(LocalStatusSql);
        ReadSession.Set(command, "@gateway", gatewayOptions.Value.Name);
        ReadSession.Set(command, "@id", gatewayPaymentId);
        var status = await command.ExecuteScalarAsync(ct);
        return status is null or DBNull ? null : (PaymentStatus)Convert.ToInt32(status, CultureInfo.InvariantCulture);
    }

    /// <summary>A payment by its public id.</summary>
    public async Task<PaymentRecord?> FindAsync(string publicId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<PaymentRecord>(
            $"SELECT {Columns} FROM payments p JOIN accounts a ON a.id = p.account_id WHERE p.public_id = @publicId", new { publicId });
    }

    private async Task<PaymentRecord?> FindByKeyAsync(string key, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<PaymentRecord>(
            $"SELECT {Columns} FROM payments p JOIN accounts a ON a.id = p.account_id WHERE p.idempotence_key = @key", new { key });
    }

    /// <summary>
    /// Pending payments old enough to ask the gateway about (the reconciliation job): those with a
    /// gateway id, and saved cards' charges whose create was never answered (<see cref="ResendAfter"/>);
    /// in id order, after <paramref name="afterId"/>.
    /// </summary>
    public async Task<IReadOnlyList<PaymentRecord>> StalePendingAsync(TimeSpan olderThan, TimeSpan youngerThan, long afterId, int limit, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<PaymentRecord>(
            $"""
            SELECT {Columns} FROM payments p JOIN accounts a ON a.id = p.account_id
            WHERE p.status = 1 AND p.created_at > @after AND p.id > @afterId
              AND (p.gateway_payment_id IS NOT NULL AND p.created_at < @before
                   OR p.gateway_payment_id IS NULL AND p.gateway_request IS NOT NULL AND p.created_at < @unanswered)
            ORDER BY p.id LIMIT @limit
            """,
            new { before = now - olderThan, unanswered = now - ResendAfter, after = now - youngerThan, afterId, limit })).ToList();
    }

    /// <summary>
    /// Sends a saved card's charge whose create was never answered again: the body stored with it and
    /// its Idempotence-Key, so the gateway answers with the payment it made the first time (YooKassa
    /// and the sandbox return the same payment for the same key within 24 h), or makes it now if the
    /// first request never reached it. The answer is recorded (its gateway id) and applied.
    /// </summary>
    private async Task<PaymentStatus?> ResendAsync(PaymentRecord payment, CancellationToken ct)
    {
        string? body;
        await using (var connection = await database.OpenAsync(ct))
        {
            body = await connection.ExecuteScalarAsync<string?>(
                "SELECT gateway_request FROM payments WHERE id = @Id AND status = 1 AND gateway_payment_id IS NULL", new { payment.Id });
        }

        // A redirect payment never answered (a crash, or the payer leaving mid-call) has no body to
        // send: nobody was given its page, so no money can come of it. Likewise one answered meanwhile.
        var age = time.GetUtcNow() - payment.CreatedAt;
        if (body is null || age < ResendAfter)
        {
            return null;
        }

        if (age >= ResendUntil)
        {
            logger.LogError(
                "Saved-card charge {PublicId} (Idempotence-Key {Key}) has had no answer from the gateway for {Age}; the key is about to expire there, so it is failed. "
                + "If the gateway did charge the card, find the payment there by its metadata payment_id and credit it by hand",
                payment.PublicId, payment.IdempotenceKey, age);
            await FailAsync(payment.PublicId, "gateway_unavailable", ct);
            return PaymentStatus.Canceled;
        }

        YkPayment created;
        try
        {
            created = await gateway.CreatePaymentAsync(body, payment.IdempotenceKey, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && YooKassaClient.OutcomeUnknown(e))
        {
            logger.LogWarning(e, "Still no answer from the gateway for saved-card charge {PublicId}; asking again on the next pass", payment.PublicId);
            return null;
        }
        catch (GatewayException e) when ((int)e.Status is 401 or 403)
        {
            // Refused before the gateway looked at the request (the shop's credentials): says nothing
            // about the first request, which may have charged the card. Asked again until ResendUntil.
            logger.LogError(e, "The gateway refused the credentials when asked again about saved-card charge {PublicId}", payment.PublicId);
            return null;
        }
        catch (GatewayException e)
        {
            // A definite refusal of this very request (same body, same key): the gateway did not charge.
            logger.LogError(e, "The gateway refused saved-card charge {PublicId}", payment.PublicId);
            await FailAsync(payment.PublicId, "gateway_unavailable", ct);
            return PaymentStatus.Canceled;
        }

        logger.LogInformation("Saved-card charge {PublicId} answered on asking again: gateway payment {GatewayPaymentId}, {Status}", payment.PublicId, created.Id, created.Status);
        await database.WriteAsync(
            connection => connection.ExecuteAsync(
                """
                UPDATE payments SET gateway_payment_id = @gatewayId, confirmation_url = @url, failure_code = NULL, updated_at = @now
                WHERE id = @Id AND gateway_payment_id IS NULL
                """,
                new { gatewayId = created.Id, url = created.Confirmation?.ConfirmationUrl, now = time.GetUtcNow(), payment.Id }),
            ct);
        return created.Status == YkPayment.Pending ? PaymentStatus.Pending : await ApplyAsync(created, null, ct);
    }

    private async Task<PaymentStatus> ApplyAsync(YkPayment payment, DateTimeOffset? notifiedAt, CancellationToken ct)
    {
        if (payment.Status == YkPayment.Succeeded && payment.Paid)
        {
            // The credit writer finds the payment, checks the amount and credits it once (or says why not).
            var saved = payment.PaymentMethod is { Saved: true } method
                ? new SavedPaymentMethod(method.Id, method.Type, method.Card?.Last4 is { } last4 ? "•••• " + last4 : method.Title ?? method.Type)
                : null;
            return await credits.CreditAsync(new ConfirmedPayment(payment.Id, payment.Amount.Value.Kopecks, saved, notifiedAt), ct);
        }

        var gatewayName = gatewayOptions.Value.Name;
        PaymentRecord? local;
        await using (var connection = await database.OpenAsync(ct))
        {
            local = await connection.QuerySingleOrDefaultAsync<PaymentRecord>(
                $"SELECT {Columns} FROM payments p JOIN accounts a ON a.id = p.account_id WHERE p.gateway = @gatewayName AND p.gateway_payment_id = @id",
                new { gatewayName, id = payment.Id });
        }

        if (local is null)
        {
            logger.LogWarning("Gateway payment {GatewayPaymentId} is not one of ours", payment.Id);
            return PaymentStatus.Canceled;
        }

        if (payment.Status == YkPayment.Canceled)
        {
            await database.WriteAsync(
                connection => connection.ExecuteAsync(
                    "UPDATE payments SET status = 3, failure_code = @reason, updated_at = @now WHERE id = @Id AND status = 1",
                    new { reason = payment.CancellationDetails?.Reason ?? "general_decline", now = time.GetUtcNow(), local.Id }),
                ct);
            return PaymentStatus.Canceled;
        }

        return (PaymentStatus)local.Status;
    }

    /// <summary>Inserts a group of new payments; true for each whose Idempotence-Key was free.</summary>
    private static async Task<IReadOnlyList<bool>> InsertAsync(Database database, IReadOnlyList<NewPayment> group) =>
        await database.WriteAsync(async connection =>
        {
            var parameters = new DynamicParameters();
            var rows = SqlRows.Table(connection, parameters, "n",
                ("public_id", group.Select(p => p.PublicId).ToArray()),
                ("account_id", group.Select(p => p.AccountId).ToArray()),
                ("amount", group.Select(p => p.Amount).ToArray()),
                ("method", group.Select(p => p.Method).ToArray()),
                ("source", group.Select(p => p.Source).ToArray()),
                ("gateway", group.Select(p => p.Gateway).ToArray()),
                ("idempotence_key", group.Select(p => p.IdempotenceKey).ToArray()),
                ("receipt_contact", group.Select(p => p.ReceiptContact).ToArray()),
                ("save_method", group.Select(p => p.SaveMethod).ToArray()),
                ("consent_text", group.Select(p => p.ConsentText).ToArray()),
                ("consent_at", group.Select(p => p.ConsentAt).ToArray()),
                ("autopay_rule_id", group.Select(p => p.AutopayRuleId).ToArray()),
                ("at", group.Select(p => p.At).ToArray()),
                ("gateway_request", group.Select(p => p.GatewayRequest).ToArray()));
            var genericPlans = SqlRows.GenericPlans(connection);
            // WHERE TRUE: without it SQLite would read ON CONFLICT as the join's ON.
            await using var grid = await connection.QueryMultipleAsync(
                $"""
                {genericPlans}INSERT INTO payments (public_id, account_id, amount, method, source, gateway, idempotence_key, status, receipt_contact,
                                      save_method, consent_text, consent_at, autopay_rule_id, created_at, updated_at, gateway_request)
                SELECT public_id, account_id, amount, method, source, gateway, idempotence_key, 1, receipt_contact,
                       save_method, consent_text, consent_at, autopay_rule_id, at, at, gateway_request
                FROM {rows} WHERE TRUE
                ON CONFLICT (idempotence_key) DO NOTHING RETURNING public_id
                """,
                parameters);
            if (genericPlans.Length > 0)
            {
                await grid.ReadAsync<string>();
            }

            var inserted = (await grid.ReadAsync<string>()).ToHashSet(StringComparer.Ordinal);
            return group.Select(p => inserted.Contains(p.PublicId)).ToList();
        });

    private static async Task<IReadOnlyList<bool>> RecordGatewayIdsAsync(Database database, IReadOnlyList<GatewayReference> group) =>
        await database.WriteAsync(async connection =>
        {
            var parameters = new DynamicParameters();
            var rows = SqlRows.Table(connection, parameters, "g",
                ("public_id", group.Select(g => g.PublicId).ToArray()),
                ("gateway_payment_id", group.Select(g => g.GatewayPaymentId).ToArray()),
                ("url", group.Select(g => g.ConfirmationUrl).ToArray()),
                ("at", group.Select(g => g.At).ToArray()));
            await connection.ExecuteAsync(
                $"{SqlRows.GenericPlans(connection)}UPDATE payments SET gateway_payment_id = g.gateway_payment_id, confirmation_url = g.url, updated_at = g.at FROM {rows} WHERE payments.public_id = g.public_id",
                parameters);
            return group.Select(_ => true).ToList();
        });

    // A saved card's charge whose create got no answer: still pending, with the marker for whoever looks.
    private async Task MarkUnansweredAsync(string publicId, CancellationToken ct)
    {
        await database.WriteAsync(
            connection => connection.ExecuteAsync(
                "UPDATE payments SET failure_code = @NoAnswer, updated_at = @now WHERE public_id = @publicId AND status = 1 AND gateway_payment_id IS NULL",
                new { NoAnswer, now = time.GetUtcNow(), publicId }),
            ct);
    }

    private async Task FailAsync(string publicId, string reason, CancellationToken ct)
    {
        await database.WriteAsync(
            connection => connection.ExecuteAsync(
                "UPDATE payments SET status = 3, failure_code = @reason, updated_at = @now WHERE public_id = @publicId AND status = 1",
                new { reason, now = time.GetUtcNow(), publicId }),
            ct);
    }

    private YkCreatePayment Build(PaymentRequest request, Money amount, string publicId, string accountNumber)
    {
        var contact = request.ReceiptContact;
        var customer = contact.Contains('@', StringComparison.Ordinal)
            ? new YkCustomer(Email: contact)
            : new YkCustomer(Phone: new string(contact.Where(char.IsAsciiDigit).ToArray()));
        var receipt = new YkReceipt(customer, [new YkReceiptItem("Услуги связи", "1.00", new YkAmount(amount), gatewayOptions.Value.VatCode)]);
        var metadata = new Dictionary<string, string>
        {
            ["payment_id"] = publicId,
            ["account_id"] = request.AccountId.ToString(CultureInfo.InvariantCulture),
        };
        // Shown on the gateway's hosted page; for a payment from the public page the number is the
        // masked one that page shows (PaymentStarter). The receipt's item names no account.
        var description = "Пополнение лицевого счёта " + accountNumber;
        return request.SavedMethodId is { } methodId
            ? new YkCreatePayment(new YkAmount(amount), true, description, metadata, PaymentMethodId: methodId, Receipt: receipt)
            : new YkCreatePayment(
                new YkAmount(amount), true, description, metadata,
                new YkConfirmation("redirect", request.ReturnUrl.Replace("{id}", publicId, StringComparison.Ordinal)),
                new YkPaymentMethodData(request.Method == PaymentMethod.Sbp ? "sbp" : "bank_card"),
                SavePaymentMethod: request.SaveMethod && request.Method == PaymentMethod.BankCard,
                Receipt: receipt);
    }
}
