using System.Globalization;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Domain.Common;
using Kabinet.Domain.Money;
using Kabinet.Web.Features.Billing;
using Kabinet.Web.Features.Payments;

namespace Kabinet.Web.Features.Autopay;

/// <summary>What an autopay rule waits for (M8).</summary>
public enum AutopayKind
{
    /// <summary>Top up X when the balance falls below Y (at most once a day).</summary>
    BalanceBelow = 1,

    /// <summary>N days before the forecast block, top up X or the recommended payment.</summary>
    BeforeBlock = 2,

    /// <summary>On day D of each month, a fixed amount or the recommended payment.</summary>
    Monthly = 3,
}

/// <summary>A saved card as the subscriber sees it: only the last four digits.</summary>
public sealed class SavedCard
{
    public long Id { get; init; }

    public string Kind { get; init; } = "";

    public string Title { get; init; } = "";

    public string ConsentText { get; init; } = "";

    public DateTimeOffset ConsentAt { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The last four digits, from the title the gateway gave ("•••• 4477").</summary>
    public string Last4 => Title.Length >= 4 && Title[^4..].All(char.IsAsciiDigit) ? Title[^4..] : "";

    /// <summary>"•••• 4477".</summary>
    public string Masked => Last4.Length == 4 ? "•••• " + Last4 : Title;
}

/// <summary>An enabled autopay rule.</summary>
public sealed class AutopayRule
{
    public long Id { get; init; }

    public long AccountId { get; init; }

    public long PaymentMethodId { get; init; }

    public int Kind { get; init; }

    /// <summary>The top-up in kopecks; null means the recommended payment.</summary>
    public long? Amount { get; init; }

    public long? Below { get; init; }

    public int? DaysBefore { get; init; }

    public int? DayOfMonth { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>One autopayment, done or not.</summary>
public sealed class AutopayRunView
{
    public long Id { get; init; }

    public long RuleId { get; init; }

    public string Period { get; init; } = "";

    public long Amount { get; init; }

    public int Status { get; init; }

    public string? Reason { get; init; }

    public string? PaymentId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>The autopay page and API of one account.</summary>
public sealed record AutopayView(long AccountId, IReadOnlyList<SavedCard> Cards, AutopayRule? Rule, IReadOnlyList<AutopayRunView> Runs)
{
    /// <summary>The card a rule charges.</summary>
    public SavedCard? CardOf(AutopayRule rule) => Cards.FirstOrDefault(c => c.Id == rule?.PaymentMethodId);
}

/// <summary>A rule as typed by the subscriber (the page's fields or the API's body).</summary>
public sealed record AutopayInput(int? Kind, long? PaymentMethodId, string? Amount, bool Recommended, string? Below, string? DaysBefore, string? DayOfMonth);

/// <summary>
/// The subscriber's autopay: saved cards, the one enabled rule (a partial UNIQUE index keeps it
/// one), switching it off and unlinking a card. Every query is scoped by the contract.
/// </summary>
public sealed class AutopayRules(Database database, OnlinePayments payments, TimeProvider time)
{
    /// <summary>The largest threshold a "below" rule takes, in kopecks.</summary>
    public const long MaxBelow = 1_000_000_00;

    private const string RuleColumns = """
        id AS Id, account_id AS AccountId, payment_method_id AS PaymentMethodId, kind AS Kind, amount AS Amount, below AS Below,
        days_before AS DaysBefore, day_of_month AS DayOfMonth, created_at AS CreatedAt
        """;

    /// <summary>The account's cards, rule and recent autopayments; null when the account is not the contract's.</summary>
    public async Task<AutopayView?> LoadAsync(long contractId, long accountId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        if (!await OwnsAsync(connection, contractId, accountId))
        {
            return null;
        }

        var cards = (await connection.QueryAsync<SavedCard>(
            """
            SELECT id AS Id, kind AS Kind, title AS Title, consent_text AS ConsentText, consent_at AS ConsentAt, created_at AS CreatedAt
            FROM payment_methods WHERE account_id = @accountId AND revoked_at IS NULL ORDER BY id DESC
            """,
            new { accountId })).ToList();
        var rule = await connection.QuerySingleOrDefaultAsync<AutopayRule>(
            $"SELECT {RuleColumns} FROM autopay_rules WHERE account_id = @accountId AND enabled = TRUE", new { accountId });
        var runs = (await connection.QueryAsync<AutopayRunView>(
            """
            SELECT r.id AS Id, r.rule_id AS RuleId, r.period AS Period, r.amount AS Amount, r.status AS Status, r.reason AS Reason,
                   p.public_id AS PaymentId, r.created_at AS CreatedAt
            FROM autopay_runs r LEFT JOIN payments p ON p.id = r.payment_id
            WHERE r.account_id = @accountId ORDER BY r.id DESC LIMIT 10
            """,
            new { accountId })).ToList();
        return new AutopayView(accountId, cards, rule, runs);
    }

    /// <summary>
    /// Sets the account's rule: changes the enabled one in place (so a period already charged stays
    /// charged) or creates it. "account.not_found" and "autopay.method_not_found" mean 404.
    /// </summary>
    public async Task<Result<AutopayRule>> SaveAsync(long contractId, long accountId, AutopayInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        await using var connection = await database.OpenAsync(ct);
        if (!await OwnsAsync(connection, contractId, accountId))
        {
            return new Error("account.not_found");
        }

        var spec = Validate(input);
        if (!spec.IsSuccess)
        {
            return spec.Error!;
        }

        long? methodId = await connection.ExecuteScalarAsync<long?>(
            input.PaymentMethodId is null
                ? "SELECT MAX(id) FROM payment_methods WHERE account_id = @accountId AND revoked_at IS NULL"
                : "SELECT id FROM payment_methods WHERE id = @methodId AND account_id = @accountId AND revoked_at IS NULL",
            new { accountId, methodId = input.PaymentMethodId });
        if (methodId is null)
        {
            return input.PaymentMethodId is null ? new Error("autopay.no_card") : new Error("autopay.method_not_found", "payment_method_id");
        }

        var rule = spec.Value;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await WriteAsync(connection, accountId, methodId.Value, rule, ct);
            }
            catch (Exception e) when (Database.IsUniqueViolation(e) && attempt < 3)
            {
                // Two saves at once both found no rule and both inserted: the second now changes the first's.
            }
        }
    }

    /// <summary>Switches the account's autopay off; false when the account is not the contract's.</summary>
    public async Task<bool> DisableAsync(long contractId, long accountId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        if (!await OwnsAsync(connection, contractId, accountId))
        {
            return false;
        }

        var now = time.GetUtcNow();
        await using var tx = await Database.BeginWriteAsync(connection, ct);
        var ids = (await connection.QueryAsync<long>(
            "SELECT id FROM autopay_rules WHERE account_id = @accountId AND enabled = TRUE", new { accountId }, tx)).ToList();
        foreach (var id in ids)
        {
            await connection.ExecuteAsync(
                "UPDATE autopay_rules SET enabled = FALSE, disabled_at = @now WHERE id = @id", new { now, id }, tx);
            await AccountStatusWriter.RecordAsync(connection, tx, accountId, "autopay_disabled", now, $"rule={id};by=subscriber");
        }

        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// Unlinks a saved card: it is never charged again, and a rule that used it is switched off.
    /// Returns the card, or null when it is not this account's (a 404).
    /// </summary>
    public async Task<SavedCard?> UnlinkAsync(long contractId, long accountId, long methodId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        if (!await OwnsAsync(connection, contractId, accountId))
        {
            return null;
        }

        var card = await connection.QuerySingleOrDefaultAsync<SavedCard>(
            """
            SELECT id AS Id, kind AS Kind, title AS Title, consent_text AS ConsentText, consent_at AS ConsentAt, created_at AS CreatedAt
            FROM payment_methods WHERE id = @methodId AND account_id = @accountId
            """,
            new { methodId, accountId });
        if (card is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        await using var tx = await Database.BeginWriteAsync(connection, ct);
        if (await connection.ExecuteAsync(
            "UPDATE payment_methods SET revoked_at = @now WHERE id = @methodId AND revoked_at IS NULL", new { now, methodId }, tx) == 1)
        {
            await DisableRulesOfMethodAsync(connection, tx, methodId, now, "method_unlinked");
            await AccountStatusWriter.RecordAsync(connection, tx, accountId, "payment_method_unlinked", now, $"method={methodId}");
        }

        await tx.CommitAsync(ct);
        return card;
    }

    /// <summary>Switches off the rules that charge a card that is gone; in the caller's transaction.</summary>
    internal static async Task DisableRulesOfMethodAsync(
        System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, long methodId, DateTimeOffset now, string why)
    {
        var rules = (await connection.QueryAsync<(long Id, long AccountId)>(
            "SELECT id, account_id FROM autopay_rules WHERE payment_method_id = @methodId AND enabled = TRUE", new { methodId }, tx)).ToList();
        foreach (var (id, accountId) in rules)
        {
            await connection.ExecuteAsync("UPDATE autopay_rules SET enabled = FALSE, disabled_at = @now WHERE id = @id", new { now, id }, tx);
            await AccountStatusWriter.RecordAsync(connection, tx, accountId, "autopay_disabled", now, $"rule={id};by={why}");
        }
    }

    private async Task<Result<AutopayRule>> WriteAsync(System.Data.Common.DbConnection connection, long accountId, long methodId, AutopayRule rule, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var tx = await Database.BeginWriteAsync(connection, ct);
        var args = new
        {
            accountId, methodId, kind = rule.Kind, amount = rule.Amount, below = rule.Below,
            daysBefore = rule.DaysBefore, dayOfMonth = rule.DayOfMonth, now,
        };
        var changed = await connection.ExecuteAsync(
            """
            UPDATE autopay_rules SET payment_method_id = @methodId, kind = @kind, amount = @amount, below = @below,
                   days_before = @daysBefore, day_of_month = @dayOfMonth, changed_at = @now
            WHERE account_id = @accountId AND enabled = TRUE
            """,
            args, tx);
        if (changed == 0)
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO autopay_rules (account_id, payment_method_id, kind, amount, below, days_before, day_of_month, enabled, created_at, changed_at)
                VALUES (@accountId, @methodId, @kind, @amount, @below, @daysBefore, @dayOfMonth, TRUE, @now, @now)
                """,
                args, tx);
        }

        var saved = await connection.QuerySingleAsync<AutopayRule>(
            $"SELECT {RuleColumns} FROM autopay_rules WHERE account_id = @accountId AND enabled = TRUE", new { accountId }, tx);
        var amountText = rule.Amount is { } a ? new Money(a).ToString() : "recommended";
        await AccountStatusWriter.RecordAsync(
            connection, tx, accountId, changed == 0 ? "autopay_enabled" : "autopay_changed", now,
            string.Create(CultureInfo.InvariantCulture, $"rule={saved.Id};kind={rule.Kind};amount={amountText};method={methodId}"));
        await tx.CommitAsync(ct);
        return saved;
    }

    private Result<AutopayRule> Validate(AutopayInput input)
    {
        if (input.Kind is not (1 or 2 or 3))
        {
            return new Error("autopay.kind_invalid", "kind");
        }

        var kind = (AutopayKind)input.Kind.Value;
        long? amount = null;
        if (kind == AutopayKind.BalanceBelow || !input.Recommended)
        {
            if (string.IsNullOrWhiteSpace(input.Amount))
            {
                return new Error("autopay.amount_required", "amount");
            }

            var parsed = payments.ParseAmount(input.Amount);
            if (!parsed.IsSuccess)
            {
                return parsed.Error!;
            }

            amount = parsed.Value.Kopecks;
        }

        long? below = null;
        int? daysBefore = null;
        int? dayOfMonth = null;
        switch (kind)
        {
            case AutopayKind.BalanceBelow:
                if (!Money.TryParseTyped(input.Below, out var threshold) || threshold.IsNegative || threshold.Kopecks > MaxBelow)
                {
                    return new Error("autopay.below_invalid", "below");
                }

                below = threshold.Kopecks;
                break;
            case AutopayKind.BeforeBlock:
                if (!int.TryParse(input.DaysBefore?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var days) || days is < 1 or > 30)
                {
                    return new Error("autopay.days_before_invalid", "days_before");
                }

                daysBefore = days;
                break;
            default:
                if (!int.TryParse(input.DayOfMonth?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var day) || day is < 1 or > 31)
                {
                    return new Error("autopay.day_invalid", "day_of_month");
                }

                dayOfMonth = day;
                break;
        }

        return new AutopayRule { Kind = (int)kind, Amount = amount, Below = below, DaysBefore = daysBefore, DayOfMonth = dayOfMonth };
    }

    private static async Task<bool> OwnsAsync(System.Data.Common.DbConnection connection, long contractId, long accountId) =>
        await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM accounts WHERE id = @accountId AND contract_id = @contractId", new { accountId, contractId }) > 0;
}
