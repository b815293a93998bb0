using System.Text.Json;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Domain.Money;
using Kabinet.Web.Integrations.YooKassa;

namespace Kabinet.Web.Integrations.Sandbox;

/// <summary>A payment as the sandbox acquirer keeps it.</summary>
public sealed class SandboxPayment
{
    public string Id { get; init; } = "";

    public string ShopId { get; init; } = "";

    public long Amount { get; init; }

    public string Status { get; set; } = YkPayment.Pending;

    public bool Paid { get; set; }

    public string Description { get; init; } = "";

    public string Metadata { get; init; } = "{}";

    public string? ReturnUrl { get; init; }

    public string MethodType { get; init; } = "bank_card";

    public bool SaveMethod { get; init; }

    public string? MethodId { get; set; }

    public string? CardLast4 { get; set; }

    public string? CancelReason { get; set; }

    public long Refunded { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>False for a two-stage payment: the payer's confirmation only authorises it, the shop captures.</summary>
    public bool Capture { get; init; } = true;

    /// <summary>True once a 3-D Secure card was typed: only then does the page take a code.</summary>
    public bool Awaiting3ds { get; init; }

    /// <summary>The Idempotence-Key of the capture, so its replay gets the same answer.</summary>
    public string? CaptureKey { get; init; }

    /// <summary>Why recurring charges of the card saved from this payment are declined (a test card's later decline).</summary>
    public string? RecurringDecline { get; init; }

    /// <summary>The protocol's view of the payment.</summary>
    public YkPayment ToProtocol(string confirmationUrl) => new(
        Id,
        Status,
        Paid,
        new YkAmount(new Money(Amount)),
        CreatedAt,
        Description,
        JsonSerializer.Deserialize<Dictionary<string, string>>(Metadata),
        Status == YkPayment.Pending && MethodId is null ? new YkConfirmation("redirect", ReturnUrl, confirmationUrl) : null,
        MethodId is null ? null : new YkPaymentMethod(MethodType, MethodId, SaveMethod && Status == YkPayment.Succeeded, CardLast4 is null ? "SBP" : "Bank card *" + CardLast4, CardLast4 is null ? null : new YkCard(CardLast4, "MasterCard")),
        CancelReason is null ? null : new YkCancellation(CancelReason == "canceled_by_merchant" ? "merchant" : "payment_network", CancelReason),
        true,
        Refunded > 0 ? new YkAmount(new Money(Refunded)) : null);
}

/// <summary>The sandbox acquirer's storage, in its own file apart from Kabinet's database (<see cref="SandboxDatabase"/>).</summary>
public sealed class SandboxStore(SandboxDatabase sandbox)
{
    private const string Columns = """
        id AS Id, shop_id AS ShopId, amount AS Amount, status AS Status, paid AS Paid, description AS Description,
        metadata AS Metadata, return_url AS ReturnUrl, method_type AS MethodType, save_method AS SaveMethod,
        method_id AS MethodId, card_last4 AS CardLast4, cancel_reason AS CancelReason, refunded AS Refunded, created_at AS CreatedAt,
        capture AS Capture, awaiting_3ds AS Awaiting3ds, capture_key AS CaptureKey, recurring_decline AS RecurringDecline
        """;

    private const string FindSql = $"SELECT {Columns} FROM sandbox_payments WHERE id = @id";

    /// <summary>Creates a payment, or returns the one created before with the same Idempotence-Key.</summary>
    public async Task<SandboxPayment> CreateAsync(string shopId, string idempotenceKey, YkCreatePayment request, string? methodId, string? last4, string status, string? cancel, DateTimeOffset now)
    {
        var id = "sbx_" + Guid.NewGuid().ToString("N");
        var database = await sandbox.GetAsync();
        return await database.WriteAsync(async connection =>
        {
            var created = await connection.QuerySingleOrDefaultAsync<SandboxPayment>(
                $"""
                INSERT INTO sandbox_payments (id, shop_id, idempotence_key, amount, status, paid, capture, description, metadata, receipt, return_url,
                                              method_type, save_method, method_id, card_last4, cancel_reason, refunded, created_at)
                VALUES (@id, @shopId, @idempotenceKey, @amount, @status, @paid, @capture, @description, @metadata, @receipt, @returnUrl,
                        @methodType, @save, @methodId, @last4, @cancel, 0, @now)
                ON CONFLICT (shop_id, idempotence_key) DO NOTHING
                RETURNING {Columns}
                """,
                new
                {
                    id,
                    shopId,
                    idempotenceKey,
                    amount = request.Amount.Value.Kopecks,
                    status,
                    paid = status is YkPayment.Succeeded or YkPayment.WaitingForCapture,
                    capture = request.Capture,
                    description = request.Description,
                    metadata = JsonSerializer.Serialize(request.Metadata),
                    receipt = request.Receipt is null ? null : JsonSerializer.Serialize(request.Receipt, YooKassaClient.Json),
                    returnUrl = request.Confirmation?.ReturnUrl,
                    methodType = request.PaymentMethodData?.Type ?? "bank_card",
                    save = request.SavePaymentMethod,
                    methodId,
                    last4,
                    cancel,
                    now,
                });
            // The one created now, or the first with this Idempotence-Key.
            return created ?? await connection.QuerySingleAsync<SandboxPayment>(
                $"SELECT {Columns} FROM sandbox_payments WHERE shop_id = @shopId AND idempotence_key = @idempotenceKey",
                new { shopId, idempotenceKey });
        });
    }

    /// <summary>A payment by id.</summary>
    public async Task<SandboxPayment?> FindAsync(string id)
    {
        // Asked for twice per payment (the hosted page, the shop's check): on a kept read session,
        // whose prepared statement is reused instead of compiled each time.
        await using var session = await (await sandbox.GetAsync()).OpenReadSessionAsync();
        var command = session.Command(FindSql);
        ReadSession.Set(command, "@id", id);
        await using var reader = await command.ExecuteReaderAsync();
        return reader.Parse<SandboxPayment>().FirstOrDefault();
    }

    /// <summary>A saved method by id, with the card it belongs to.</summary>
    public async Task<SandboxPayment?> FindSavedMethodAsync(string shopId, string methodId)
    {
        await using var connection = await (await sandbox.GetAsync()).OpenAsync();
        return await connection.QueryFirstOrDefaultAsync<SandboxPayment>(
            $"SELECT {Columns} FROM sandbox_payments WHERE shop_id = @shopId AND method_id = @methodId AND save_method = TRUE AND status = 'succeeded' ORDER BY created_at",
            new { shopId, methodId });
    }

    /// <summary>
    /// Moves a pending payment to its outcome and returns it; null when it was not pending any more.
    /// A success of a two-stage payment (capture: false) only authorises it: waiting_for_capture.
    /// </summary>
    public async Task<SandboxPayment?> FinishAsync(string id, string status, string? last4, string? cancelReason, string? recurringDecline = null)
    {
        var database = await sandbox.GetAsync();
        return await database.WriteAsync(connection => connection.QuerySingleOrDefaultAsync<SandboxPayment>(
            $"""
            UPDATE sandbox_payments SET status = CASE WHEN @status = 'succeeded' AND capture = FALSE THEN 'waiting_for_capture' ELSE @status END,
                   paid = @paid, card_last4 = COALESCE(@last4, card_last4),
                   method_id = CASE WHEN @status = 'succeeded' THEN 'pm_' || id ELSE method_id END, cancel_reason = @cancelReason,
                   recurring_decline = @recurringDecline, awaiting_3ds = FALSE
            WHERE id = @id AND status = 'pending'
            RETURNING {Columns}
            """,
            new { id, status, paid = status == YkPayment.Succeeded, last4, cancelReason, recurringDecline }));
    }

    /// <summary>Marks a pending payment as waiting for the 3-D Secure code of the card typed (its last four digits kept).</summary>
    public async Task<bool> AwaitThreeDsAsync(string id, string last4)
    {
        var database = await sandbox.GetAsync();
        return await database.WriteAsync(connection => connection.ExecuteAsync(
            "UPDATE sandbox_payments SET awaiting_3ds = TRUE, card_last4 = @last4 WHERE id = @id AND status = 'pending'", new { id, last4 })) == 1;
    }

    /// <summary>
    /// Captures an authorised payment, all of it or the smaller <paramref name="amount"/> (the rest is
    /// released, as the real service does); null when it is not waiting for capture or the amount is larger.
    /// </summary>
    public async Task<SandboxPayment?> CaptureAsync(string id, string idempotenceKey, long? amount)
    {
        var database = await sandbox.GetAsync();
        return await database.WriteAsync(connection => connection.QuerySingleOrDefaultAsync<SandboxPayment>(
            $"""
            UPDATE sandbox_payments SET status = 'succeeded', paid = TRUE, amount = COALESCE(@amount, amount), capture_key = @idempotenceKey
            WHERE id = @id AND status = 'waiting_for_capture' AND COALESCE(@amount, amount) <= amount
            RETURNING {Columns}
            """,
            new { id, idempotenceKey, amount }));
    }

    /// <summary>Cancels an authorised payment (the hold is released); null when it is not waiting for capture.</summary>
    public async Task<SandboxPayment?> CancelAsync(string id)
    {
        var database = await sandbox.GetAsync();
        return await database.WriteAsync(connection => connection.QuerySingleOrDefaultAsync<SandboxPayment>(
            $"""
            UPDATE sandbox_payments SET status = 'canceled', paid = FALSE, cancel_reason = 'canceled_by_merchant'
            WHERE id = @id AND status = 'waiting_for_capture'
            RETURNING {Columns}
            """,
            new { id }));
    }

    /// <summary>Records a refund once per Idempotence-Key; false when it exceeds what is left.</summary>
    public async Task<(bool Ok, string RefundId, DateTimeOffset At)> RefundAsync(string paymentId, string idempotenceKey, Money amount, DateTimeOffset now)
    {
        try
        {
            return await RefundOnceAsync(paymentId, idempotenceKey, amount, now);
        }
        catch (Exception e) when (Database.IsUniqueViolation(e))
        {
            // The same Idempotence-Key twice at the same moment: the first request's refund is the answer.
            await using var connection = await (await sandbox.GetAsync()).OpenAsync();
            var first = await connection.QuerySingleAsync<(string Id, DateTimeOffset At)>(
                "SELECT id, created_at FROM sandbox_refunds WHERE idempotence_key = @idempotenceKey", new { idempotenceKey });
            return (true, first.Id, first.At);
        }
    }

    private async Task<(bool Ok, string RefundId, DateTimeOffset At)> RefundOnceAsync(string paymentId, string idempotenceKey, Money amount, DateTimeOffset now)
    {
        await using var write = await (await sandbox.GetAsync()).OpenWriteSessionAsync();
        var (connection, tx) = (write.Connection, write.Transaction);
        var existing = (await connection.QueryAsync<(string Id, DateTimeOffset At)>(
            "SELECT id, created_at FROM sandbox_refunds WHERE idempotence_key = @idempotenceKey", new { idempotenceKey }, tx)).ToList();
        if (existing.Count > 0)
        {
            return (true, existing[0].Id, existing[0].At);
        }

        var left = await connection.ExecuteAsync(
            "UPDATE sandbox_payments SET refunded = refunded + @amount WHERE id = @paymentId AND status = 'succeeded' AND amount - refunded >= @amount",
            new { paymentId, amount = amount.Kopecks }, tx);
        if (left != 1)
        {
            return (false, "", now);
        }

        var id = "rfd_" + Guid.NewGuid().ToString("N");
        await connection.ExecuteAsync(
            "INSERT INTO sandbox_refunds (id, payment_id, idempotence_key, amount, created_at) VALUES (@id, @paymentId, @idempotenceKey, @amount, @now)",
            new { id, paymentId, idempotenceKey, amount = amount.Kopecks, now }, tx);
        await write.CommitAsync();
        return (true, id, now);
    }
}
