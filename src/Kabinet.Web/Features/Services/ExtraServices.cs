using System.Data.Common;
using System.Globalization;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Data.Ledger;
using Kabinet.Domain.Billing;
using Kabinet.Domain.Catalog;
using Kabinet.Domain.Common;
using Kabinet.Domain.Ledger;
using Kabinet.Domain.Money;
using Kabinet.Domain.Subscribers;
using Kabinet.Web.Features.Billing;
using Kabinet.Web.Hosting;

namespace Kabinet.Web.Features.Services;

/// <summary>An account of the logged-in contract with what the services page needs of it.</summary>
public sealed record ServiceAccount(long Id, string Number, string Title, AccountStatus Status, Money Balance, Money Threshold);

/// <summary>
/// An extra service as offered to one account today: whether it is on, and what switching it on
/// costs now (<paramref name="ChargeNow"/>) and over the rest of the month after today.
/// </summary>
public sealed record ServiceOffer(
    ExtraService Service, ChargeMode ChargeMode, bool IsOn, DateOnly? OffFrom, DateTimeOffset? ExpiresAt, Money ChargeNow, Money RestOfMonth);

/// <summary>The services page: the contract's accounts, the selected one and the catalogue for it.</summary>
public sealed record ServiceList(IReadOnlyList<ServiceAccount> Accounts, ServiceAccount? Selected, IReadOnlyList<ServiceOffer> Services, DateOnly Today);

/// <summary>What switching on, off or buying did.</summary>
public sealed record ServiceOutcome(
    long AccountId, ExtraService Service, string Action, Money Charged, DateOnly? ActiveFrom, DateOnly? OffFrom,
    DateTimeOffset? ExpiresAt, Money Balance, bool Replayed);

/// <summary>The error codes of the extra-services handler.</summary>
public static class ServiceErrors
{
    /// <summary>No such service.</summary>
    public const string NotFound = "service.not_found";

    /// <summary>The service is on already.</summary>
    public const string AlreadyOn = "service.already_on";

    /// <summary>The service is not on.</summary>
    public const string NotOn = "service.not_on";

    /// <summary>A one-off service cannot be switched off.</summary>
    public const string OneOff = "service.one_off";

    /// <summary>Turbo is running already.</summary>
    public const string TurboActive = "service.turbo_active";

    /// <summary>The balance would fall below the threshold (arg "needed": the top-up needed, wire form).</summary>
    public const string NotEnoughMoney = "service.not_enough_money";

    /// <summary>The account is blocked.</summary>
    public const string Blocked = "service.account_blocked";

    /// <summary>The account is frozen.</summary>
    public const string Frozen = "service.account_frozen";

    /// <summary>The account is terminated.</summary>
    public const string Terminated = "service.account_terminated";

    /// <summary>The Idempotency-Key header is not 1 to 100 letters, digits, '-', '_', ':' or '.'.</summary>
    public const string KeyInvalid = "service.idempotency_key_invalid";
}

/// <summary>
/// Extra services (M12): switch monthly services on and off, buy one-off ones (Turbo). Switching on
/// takes effect today and charges today's part at once under the billing run's own key, so the run
/// never charges that day twice; switching off takes effect tomorrow (today is paid). Money moves
/// through the ledger in the same database transaction as the service row and the outbox event.
/// </summary>
public sealed class ExtraServices(Database database, OperatorClock clock)
{
    /// <summary>How long a one-off timed service (Turbo) lasts.</summary>
    public static readonly TimeSpan OneOffDuration = TimeSpan.FromHours(24);

    private const string ServiceColumns = """
        e.id AS Id, e.code AS Code, e.name_ru AS NameRu, e.name_en AS NameEn, e.kind AS Kind, e.price AS Price,
        CASE WHEN e.charged_while_frozen THEN 1 ELSE 0 END AS ChargedWhileFrozen, e.charge_mode AS ChargeMode
        """;

    /// <summary>The services for the selected account (the one asked for if it is the contract's, else the first).</summary>
    public async Task<ServiceList> ListAsync(long contractId, long? accountId, CancellationToken ct)
    {
        var today = clock.Today;
        await using var connection = await database.OpenAsync(ct);
        var accounts = (await connection.QueryAsync<AccountRow>(new CommandDefinition(
            AccountSql(false), new { contractId, accountId = (long?)null }, cancellationToken: ct))).ToList();
        var selected = accounts.FirstOrDefault(a => a.Id == accountId) ?? accounts.FirstOrDefault();
        var services = (await connection.QueryAsync<ServiceRow>(new CommandDefinition(
            $"SELECT {ServiceColumns} FROM extra_services e ORDER BY e.kind, e.id", cancellationToken: ct))).ToList();
        var active = selected is null ? [] : (await connection.QueryAsync<ActiveRow>(new CommandDefinition(
            """
            SELECT service_id AS ServiceId, active_to AS ActiveTo, expires_at AS ExpiresAt FROM account_services
            WHERE account_id = @accountId AND active_from <= @today AND (active_to IS NULL OR active_to > @today)
            """,
            new { accountId = selected.Id, today }, cancellationToken: ct))).ToList();
        var offers = services.Select(s => Offer(s, active.Where(a => a.ServiceId == s.Id).ToList(), today)).ToList();
        return new ServiceList(accounts.Select(a => a.ToAccount()).ToList(), selected?.ToAccount(), offers, today);
    }

    /// <summary>
    /// Switches a monthly service on (today) or buys a one-off one. Null when the account is not the
    /// contract's. <paramref name="idempotencyKey"/> makes a repeated purchase a replay of the first.
    /// </summary>
    public async Task<Result<ServiceOutcome>?> SwitchOnAsync(long contractId, long accountId, long serviceId, string? idempotencyKey, CancellationToken ct)
    {
        if (idempotencyKey is not null && !IsValidKey(idempotencyKey))
        {
            return Result<ServiceOutcome>.Fail(new Error(ServiceErrors.KeyInvalid, "idempotency_key"));
        }

        await using var connection = await database.OpenAsync(ct);
        await using var tx = await Database.BeginWriteAsync(connection, ct);
        var account = await LockAccountAsync(connection, tx, contractId, accountId, ct);
        if (account is null)
        {
            return null;
        }

        var service = await ServiceAsync(connection, tx, serviceId, ct);
        if (service is null)
        {
            return Result<ServiceOutcome>.Fail(new Error(ServiceErrors.NotFound));
        }

        var result = service.Kind == (int)ExtraServiceKind.OneOff
            ? await BuyAsync(connection, tx, account, service, idempotencyKey ?? Guid.NewGuid().ToString("N"), ct)
            : await SwitchOnMonthlyAsync(connection, tx, account, service, ct);
        if (result.IsSuccess)
        {
            await tx.CommitAsync(ct);
        }

        return result;
    }

    /// <summary>Switches a monthly service off from tomorrow. Null when the account is not the contract's.</summary>
    public async Task<Result<ServiceOutcome>?> SwitchOffAsync(long contractId, long accountId, long serviceId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await Database.BeginWriteAsync(connection, ct);
        var account = await LockAccountAsync(connection, tx, contractId, accountId, ct);
        if (account is null)
        {
            return null;
        }

        var service = await ServiceAsync(connection, tx, serviceId, ct);
        if (service is null)
        {
            return Result<ServiceOutcome>.Fail(new Error(ServiceErrors.NotFound));
        }

        if (service.Kind == (int)ExtraServiceKind.OneOff)
        {
            return Result<ServiceOutcome>.Fail(new Error(ServiceErrors.OneOff));
        }

        var today = clock.Today;
        var tomorrow = today.AddDays(1);
        var rows = await ActiveTodayAsync(connection, tx, account.Id, service.Id, ct);
        if (rows.Count == 0)
        {
            return Result<ServiceOutcome>.Fail(new Error(ServiceErrors.NotOn));
        }

        var open = rows.FirstOrDefault(r => r.ActiveTo is null);
        if (open is null)
        {
            // Already switched off from a later day: repeating the request changes nothing.
            return new ServiceOutcome(account.Id, service.ToService(), "off", Money.Zero, null, rows[0].ActiveTo, null, new Money(account.Balance), true);
        }

        var now = clock.UtcNow;
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE account_services SET active_to = @tomorrow WHERE id = @id", new { tomorrow, id = open.Id }, tx, cancellationToken: ct));
        await AccountStatusWriter.RecordAsync(connection, tx, account.Id, "service_off", now, $"service={service.Id};from={tomorrow:yyyy-MM-dd}");
        await tx.CommitAsync(ct);
        return new ServiceOutcome(account.Id, service.ToService(), "off", Money.Zero, null, tomorrow, null, new Money(account.Balance), false);
    }

    /// <summary>The ledger key of a one-off purchase.</summary>
    public static string OneOffKey(long accountId, string code, string idempotencyKey) => $"oneoff:{accountId}:{code}:{idempotencyKey}";

    private static bool IsValidKey(string key) =>
        key.Length is > 0 and <= 100 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ':' or '.');

    private async Task<Result<ServiceOutcome>> SwitchOnMonthlyAsync(
        DbConnection connection, DbTransaction tx, AccountRow account, ServiceRow service, CancellationToken ct)
    {
        if (StatusRefusal(account) is { } refusal)
        {
            return refusal;
        }

        var today = clock.Today;
        var now = clock.UtcNow;
        var rows = await ActiveTodayAsync(connection, tx, account.Id, service.Id, ct);
        if (rows.Any(r => r.ActiveTo is null))
        {
            return new Error(ServiceErrors.AlreadyOn);
        }

        if (rows.Count > 0)
        {
            // On today and switched off from a later day: keep it on; today is paid already.
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE account_services SET active_to = NULL WHERE id = @id", new { id = rows[0].Id }, tx, cancellationToken: ct));
            await AccountStatusWriter.RecordAsync(connection, tx, account.Id, "service_on", now, $"service={service.Id}");
            return new ServiceOutcome(account.Id, service.ToService(), "on", Money.Zero, today, null, null, new Money(account.Balance), false);
        }

        var charge = Charging.ChargeOn((ChargeMode)service.ChargeMode, new Money(service.Price), today, null, today);
        if (MoneyRefusal(account, charge) is { } poor)
        {
            return poor;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO account_services (account_id, service_id, active_from) VALUES (@accountId, @serviceId, @today)",
            new { accountId = account.Id, serviceId = service.Id, today }, tx, cancellationToken: ct));
        var charged = Money.Zero;
        if (charge.IsPositive)
        {
            var posted = await LedgerWriter.PostAsync(connection, tx, LedgerTransaction.Transfer(
                // The billing run's key for today's charge of this service, so the day is charged once.
                ChargeKey.For(today, account.Id, ChargeKey.Service(service.Id)), TransactionKind.Charge, account.Id, now,
                $"«{service.NameRu}» за {today.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)}",
                account.LedgerAccountId, SystemLedgerAccounts.Revenue, charge).Value);
            charged = posted.Outcome == PostOutcome.Posted ? charge : Money.Zero;
        }

        await AccountStatusWriter.RecordAsync(connection, tx, account.Id, "service_on", now, $"service={service.Id}");
        await AccountStatusWriter.ReevaluateAsync(connection, tx, account.Id, now);
        return new ServiceOutcome(account.Id, service.ToService(), "on", charged, today, null, null, new Money(account.Balance) - charged, false);
    }

    private async Task<Result<ServiceOutcome>> BuyAsync(
        DbConnection connection, DbTransaction tx, AccountRow account, ServiceRow service, string idempotencyKey, CancellationToken ct)
    {
        var key = OneOffKey(account.Id, service.Code, idempotencyKey);
        var earlier = await connection.ExecuteScalarAsync<DateTimeOffset?>(new CommandDefinition(
            "SELECT occurred_at FROM ledger_transactions WHERE idempotency_key = @key", new { key }, tx, cancellationToken: ct));
        if (earlier is { } at)
        {
            return Replay(account, service, at);
        }

        if (StatusRefusal(account) is { } refusal)
        {
            return refusal;
        }

        var now = clock.UtcNow;
        var running = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM account_services WHERE account_id = @accountId AND service_id = @serviceId AND expires_at > @now",
            new { accountId = account.Id, serviceId = service.Id, now }, tx, cancellationToken: ct));
        if (running > 0)
        {
            return new Error(ServiceErrors.TurboActive);
        }

        var price = new Money(service.Price);
        if (MoneyRefusal(account, price) is { } poor)
        {
            return poor;
        }

        if (price.IsPositive)
        {
            var posted = await LedgerWriter.PostAsync(connection, tx, LedgerTransaction.Transfer(
                key, TransactionKind.Charge, account.Id, now, $"«{service.NameRu}»",
                account.LedgerAccountId, SystemLedgerAccounts.Revenue, price).Value);
            if (posted.Outcome == PostOutcome.AlreadyPosted)
            {
                // Another request with the same key committed first (PostgreSQL waits for it): its purchase stands.
                return Replay(account, service, now);
            }
        }

        var expires = now + OneOffDuration;
        var today = clock.Today;
        // The row stays listed (active_to) until the day after the instant it expires.
        var offFrom = DateOnly.FromDateTime(clock.ToLocal(expires).DateTime).AddDays(1);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO account_services (account_id, service_id, active_from, active_to, expires_at) VALUES (@accountId, @serviceId, @today, @offFrom, @expires)",
            new { accountId = account.Id, serviceId = service.Id, today, offFrom, expires }, tx, cancellationToken: ct));
        await AccountStatusWriter.RecordAsync(connection, tx, account.Id, service.Code, now,
            $"service={service.Id};until={expires.ToString("O", CultureInfo.InvariantCulture)}");
        await AccountStatusWriter.ReevaluateAsync(connection, tx, account.Id, now);
        return new ServiceOutcome(account.Id, service.ToService(), "bought", price, today, offFrom, expires, new Money(account.Balance) - price, false);
    }

    private static ServiceOutcome Replay(AccountRow account, ServiceRow service, DateTimeOffset boughtAt) =>
        new(account.Id, service.ToService(), "bought", new Money(service.Price), null, null, boughtAt + OneOffDuration, new Money(account.Balance), true);

    private static Error? StatusRefusal(AccountRow account) => (AccountStatus)account.Status switch
    {
        AccountStatus.Blocked => new Error(ServiceErrors.Blocked),
        AccountStatus.Frozen => new Error(ServiceErrors.Frozen),
        AccountStatus.Terminated => new Error(ServiceErrors.Terminated),
        _ => null,
    };

    // A purchase never takes the account below its threshold (and so never blocks it).
    private static Error? MoneyRefusal(AccountRow account, Money charge)
    {
        var after = new Money(account.Balance) - charge;
        var threshold = new Money(account.Threshold);
        if (after >= threshold)
        {
            return null;
        }

        var needed = threshold - after;
        return new Error(ServiceErrors.NotEnoughMoney, null,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["needed"] = needed.ToString() });
    }

    private static ServiceOffer Offer(ServiceRow s, List<ActiveRow> active, DateOnly today)
    {
        var mode = (ChargeMode)s.ChargeMode;
        var price = new Money(s.Price);
        if (s.Kind == (int)ExtraServiceKind.OneOff)
        {
            var running = active.Where(a => a.ExpiresAt is not null).Max(a => a.ExpiresAt);
            return new ServiceOffer(s.ToService(), mode, running is not null, null, running, price, Money.Zero);
        }

        var on = active.Count > 0;
        var offFrom = on && active.All(a => a.ActiveTo is not null) ? active.Max(a => a.ActiveTo) : null;
        var now = Charging.ChargeOn(mode, price, today, null, today);
        var rest = mode == ChargeMode.Daily ? DailyCharge.ForDays(price, today.AddDays(1), BillingCalendar.EndOfMonth(today)) : Money.Zero;
        return new ServiceOffer(s.ToService(), mode, on, offFrom, null, now, rest);
    }

    private static string AccountSql(bool one) => $"""
        SELECT a.id AS Id, a.number AS Number, a.title AS Title, a.status AS Status, a.ledger_account_id AS LedgerAccountId,
               la.balance AS Balance, a.threshold AS Threshold
        FROM accounts a JOIN ledger_accounts la ON la.id = a.ledger_account_id
        WHERE a.contract_id = @contractId{(one ? " AND a.id = @accountId" : "")}
        ORDER BY a.id
        """;

    private static Task<AccountRow?> LockAccountAsync(DbConnection connection, DbTransaction tx, long contractId, long accountId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<AccountRow>(new CommandDefinition(
            AccountSql(true) + (connection is Npgsql.NpgsqlConnection ? " FOR UPDATE OF a" : ""),
            new { contractId, accountId }, tx, cancellationToken: ct));

    private static Task<ServiceRow?> ServiceAsync(DbConnection connection, DbTransaction tx, long id, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<ServiceRow>(new CommandDefinition(
            $"SELECT {ServiceColumns} FROM extra_services e WHERE e.id = @id", new { id }, tx, cancellationToken: ct));

    private async Task<List<ActiveRow>> ActiveTodayAsync(DbConnection connection, DbTransaction tx, long accountId, long serviceId, CancellationToken ct) =>
        (await connection.QueryAsync<ActiveRow>(new CommandDefinition(
            """
            SELECT id AS Id, service_id AS ServiceId, active_to AS ActiveTo, expires_at AS ExpiresAt FROM account_services
            WHERE account_id = @accountId AND service_id = @serviceId AND active_from <= @today AND (active_to IS NULL OR active_to > @today)
            ORDER BY id
            """,
            new { accountId, serviceId, today = clock.Today }, tx, cancellationToken: ct))).ToList();

    private sealed class AccountRow
    {
        public long Id { get; set; }

        public string Number { get; set; } = "";

        public string Title { get; set; } = "";

        public int Status { get; set; }

        public long LedgerAccountId { get; set; }

        public long Balance { get; set; }

        public long Threshold { get; set; }

        public ServiceAccount ToAccount() => new(Id, Number, Title, (AccountStatus)Status, new Money(Balance), new Money(Threshold));
    }

    private sealed class ActiveRow
    {
        public long Id { get; set; }

        public long ServiceId { get; set; }

        public DateOnly? ActiveTo { get; set; }

        public DateTimeOffset? ExpiresAt { get; set; }
    }

    private sealed class ServiceRow
    {
        public long Id { get; set; }

        public string Code { get; set; } = "";

        public string NameRu { get; set; } = "";

        public string NameEn { get; set; } = "";

        public int Kind { get; set; }

        public long Price { get; set; }

        public int ChargedWhileFrozen { get; set; }

        public int ChargeMode { get; set; }

        public ExtraService ToService() => new(Id, Code, NameRu, NameEn, (ExtraServiceKind)Kind, new Money(Price), ChargedWhileFrozen != 0);
    }
}
