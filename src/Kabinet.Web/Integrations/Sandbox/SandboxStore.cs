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
        method_id AS MethodId, card_last4 AS CardLast4, cancel_reason AS CancelReason, refunded AS Refunded, created_at AS CreatedAt
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
                    paid = status == YkPayment.Succeeded,
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

    /// <summary>Moves a pending payment to its outcome and returns it; null when it was not pending any more.</summary>
    public async Task<SandboxPayment?> FinishAsync(string id, string status, string? last4, string? cancelReason)
    {
        var database = await sandbox.GetAsync();
        return await database.WriteAsync(connection => connection.QuerySingleOrDefaultAsync<SandboxPayment>(
            $"""
            UPDATE sandbox_payments SET status = @status, paid = @paid, card_last4 = COALESCE(@last4, card_last4),
                   method_id = CASE WHEN @status = 'succeeded' THEN 'pm_' || id ELSE method_id END, cancel_reason = @cancelReason
            WHERE id = @id AND status = 'pending'
            RETURNING {Columns}
            """,
            new { id, status, paid = status == YkPayment.Succeeded, last4, cancelReason }));
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
