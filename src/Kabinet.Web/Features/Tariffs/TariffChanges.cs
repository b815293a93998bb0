using System.Data.Common;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Domain.Billing;
using Kabinet.Domain.Catalog;
using Kabinet.Domain.Common;
using Kabinet.Domain.Money;
using Kabinet.Domain.Subscribers;
using Kabinet.Web.Hosting;

namespace Kabinet.Web.Features.Tariffs;

/// <summary>An account of the logged-in contract, as the tariff pages list it.</summary>
public sealed record TariffAccount(long Id, string Number, string Title, AccountStatus Status, long? TariffId);

/// <summary>A tariff on offer with its description and the change modes it allows.</summary>
public sealed record TariffOffer(Tariff Tariff, string DescriptionRu, string DescriptionEn, TariffChangeModes Modes);

/// <summary>A tariff change waiting for its day.</summary>
public sealed record PendingChange(long Id, long AccountId, Tariff? From, Tariff To, DateOnly EffectiveOn, TariffChangeModes Mode, DateTimeOffset CreatedAt);

/// <summary>What the catalogue shows: the caller's audience, accounts, the selected one, and the tariffs for them.</summary>
public sealed record TariffCatalogue(
    Audience Audience,
    IReadOnlyList<TariffAccount> Accounts,
    TariffAccount? Selected,
    Tariff? Current,
    IReadOnlyList<TariffOffer> Offers,
    PendingChange? Pending);

/// <summary>The error codes of the tariff-change handler beyond <see cref="TariffChangeErrors"/>.</summary>
public static class TariffHandlerErrors
{
    /// <summary>No tariff with that id (field "tariff_id").</summary>
    public const string NotFound = "tariff.not_found";

    /// <summary>A change is already waiting for this account.</summary>
    public const string Pending = "tariff.change_pending";

    /// <summary>There is no pending change to cancel.</summary>
    public const string NoPending = "tariff.no_pending";

    /// <summary>The pending change is due today and is being applied; too late to cancel.</summary>
    public const string InEffect = "tariff.change_in_effect";

    /// <summary>The account is terminated.</summary>
    public const string AccountClosed = "tariff.account_closed";
}

/// <summary>
/// Tariff change (M11) for the cabinet and the API: catalogue, quote, confirm, pending, cancel.
/// Every read and write is scoped by the logged-in contract; a null answer means "no such account
/// of yours". The billing run applies the change on its day, not this class.
/// </summary>
public sealed class TariffChanges(Database database, OperatorClock clock)
{
    private const string TariffColumns = """
        t.id AS Id, t.code AS Code, t.name_ru AS NameRu, t.name_en AS NameEn, t.description_ru AS DescriptionRu,
        t.description_en AS DescriptionEn, t.category AS Category, t.audience AS Audience, t.monthly_fee AS MonthlyFee,
        t.down_kbps AS DownKbps, t.up_kbps AS UpKbps, t.charge_mode AS ChargeMode,
        CASE WHEN t.is_archived THEN 1 ELSE 0 END AS Archived, t.change_modes AS ChangeModes
        """;

    /// <summary>Parses the wire name of a mode; <see cref="TariffChangeModes.None"/> when it is not one.</summary>
    public static TariffChangeModes ParseMode(string? mode) => mode switch
    {
        "tomorrow" => TariffChangeModes.Tomorrow,
        "next_month" => TariffChangeModes.NextMonth,
        _ => TariffChangeModes.None,
    };

    /// <summary>The wire name of a single mode.</summary>
    public static string ModeName(TariffChangeModes mode) => mode == TariffChangeModes.NextMonth ? "next_month" : "tomorrow";

    /// <summary>The catalogue for the contract, with the selected account (the one asked for if it is theirs, else the first).</summary>
    public async Task<TariffCatalogue> CatalogueAsync(long contractId, long? accountId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var (audience, accounts) = await AccountsAsync(connection, null, contractId, ct);
        var selected = accounts.FirstOrDefault(a => a.Id == accountId) ?? accounts.FirstOrDefault();
        var offers = (await connection.QueryAsync<TariffRow>(new CommandDefinition(
            $"SELECT {TariffColumns} FROM tariffs t WHERE t.is_archived = FALSE AND t.audience = @audience ORDER BY t.category, t.monthly_fee, t.id",
            new { audience = (int)audience }, cancellationToken: ct))).Select(r => r.ToOffer()).ToList();
        var current = selected?.TariffId is { } tariffId ? await TariffAsync(connection, null, tariffId, ct) : null;
        var pending = selected is null ? null : await PendingAsync(connection, null, selected.Id, ct);
        return new TariffCatalogue(audience, accounts, selected, current?.ToTariff(), offers, pending);
    }

    /// <summary>Any tariff by id (archived and other-audience ones too, so a refusal can name it).</summary>
    public async Task<TariffOffer?> OfferAsync(long tariffId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await TariffAsync(connection, null, tariffId, ct))?.ToOffer();
    }

    /// <summary>Quotes a change; null when the account is not the contract's.</summary>
    public async Task<Result<TariffChangeQuote>?> QuoteAsync(long contractId, long accountId, long? tariffId, TariffChangeModes mode, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await QuoteAsync(connection, null, contractId, accountId, tariffId, mode, ct);
    }

    /// <summary>Books the change as pending; one pending change per account, enforced by the database.</summary>
    public async Task<Result<PendingChange>?> ConfirmAsync(long contractId, long accountId, long? tariffId, TariffChangeModes mode, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await Database.BeginWriteAsync(connection, ct);
        var quoted = await QuoteAsync(connection, tx, contractId, accountId, tariffId, mode, ct);
        if (quoted is not { } result)
        {
            return null;
        }

        if (!result.IsSuccess)
        {
            return Result<PendingChange>.Fail(result.Error!);
        }

        var quote = result.Value;
        var now = clock.UtcNow;
        long id;
        try
        {
            id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO tariff_changes (account_id, from_tariff_id, to_tariff_id, effective_on, mode, status, created_at)
                VALUES (@accountId, @from, @to, @effectiveOn, @mode, 1, @now) RETURNING id
                """,
                new { accountId, from = quote.Current?.Id, to = quote.Target.Id, effectiveOn = quote.EffectiveOn, mode = (int)quote.Mode, now },
                tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
        }
        catch (DbException e) when (Database.IsUniqueViolation(e))
        {
            return new Error(TariffHandlerErrors.Pending);
        }

        return new PendingChange(id, accountId, quote.Current, quote.Target, quote.EffectiveOn, quote.Mode, now);
    }

    /// <summary>The pending change of an account: (false, null) when the account is not the contract's.</summary>
    public async Task<(bool Found, PendingChange? Pending)> PendingAsync(long contractId, long accountId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var (_, accounts) = await AccountsAsync(connection, null, contractId, ct);
        return accounts.Any(a => a.Id == accountId) ? (true, await PendingAsync(connection, null, accountId, ct)) : (false, null);
    }

    /// <summary>Cancels the pending change while its day has not come; null when the account is not the contract's.</summary>
    public async Task<Result<PendingChange>?> CancelAsync(long contractId, long accountId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await Database.BeginWriteAsync(connection, ct);
        var (_, accounts) = await AccountsAsync(connection, tx, contractId, ct);
        if (!accounts.Any(a => a.Id == accountId))
        {
            return null;
        }

        var pending = await PendingAsync(connection, tx, accountId, ct);
        if (pending is null)
        {
            return new Error(TariffHandlerErrors.NoPending);
        }

        if (pending.EffectiveOn <= clock.Today)
        {
            return new Error(TariffHandlerErrors.InEffect);
        }

        // status = 1 in the WHERE: the billing run applying it at this moment wins, and we say so.
        var cancelled = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE tariff_changes SET status = 3, closed_at = @now WHERE id = @id AND status = 1",
            new { id = pending.Id, now = clock.UtcNow }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return cancelled == 1 ? pending : new Error(TariffHandlerErrors.NoPending);
    }

    private async Task<Result<TariffChangeQuote>?> QuoteAsync(
        DbConnection connection, DbTransaction? tx, long contractId, long accountId, long? tariffId, TariffChangeModes mode, CancellationToken ct)
    {
        var (audience, accounts) = await AccountsAsync(connection, tx, contractId, ct);
        var account = accounts.FirstOrDefault(a => a.Id == accountId);
        if (account is null)
        {
            return null;
        }

        if (account.Status == AccountStatus.Terminated)
        {
            return Result<TariffChangeQuote>.Fail(new Error(TariffHandlerErrors.AccountClosed));
        }

        var target = tariffId is { } id ? await TariffAsync(connection, tx, id, ct) : null;
        if (target is null)
        {
            return Result<TariffChangeQuote>.Fail(new Error(TariffHandlerErrors.NotFound, "tariff_id"));
        }

        var current = account.TariffId is { } currentId ? await TariffAsync(connection, tx, currentId, ct) : null;
        return TariffChangePolicy.Quote(current?.ToTariff(), target.ToTariff(), (TariffChangeModes)target.ChangeModes, audience, mode, clock.Today);
    }

    private static async Task<(Audience Audience, List<TariffAccount> Accounts)> AccountsAsync(
        DbConnection connection, DbTransaction? tx, long contractId, CancellationToken ct)
    {
        var rows = (await connection.QueryAsync<AccountRow>(new CommandDefinition(
            """
            SELECT a.id AS Id, a.number AS Number, a.title AS Title, a.status AS Status, a.tariff_id AS TariffId, s.kind AS Kind
            FROM accounts a JOIN contracts c ON c.id = a.contract_id JOIN subscribers s ON s.id = c.subscriber_id
            WHERE a.contract_id = @contractId ORDER BY a.id
            """,
            new { contractId }, tx, cancellationToken: ct))).ToList();
        var audience = rows.Count > 0 && rows[0].Kind == (int)SubscriberKind.Business ? Audience.Business : Audience.Individual;
        return (audience, rows.Select(r => new TariffAccount(r.Id, r.Number, r.Title, (AccountStatus)r.Status, r.TariffId)).ToList());
    }

    private static Task<TariffRow?> TariffAsync(DbConnection connection, DbTransaction? tx, long id, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<TariffRow>(new CommandDefinition(
            $"SELECT {TariffColumns} FROM tariffs t WHERE t.id = @id", new { id }, tx, cancellationToken: ct));

    private static async Task<PendingChange?> PendingAsync(DbConnection connection, DbTransaction? tx, long accountId, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<PendingRow>(new CommandDefinition(
            """
            SELECT id AS Id, from_tariff_id AS FromTariffId, to_tariff_id AS ToTariffId, effective_on AS EffectiveOn, mode AS Mode, created_at AS CreatedAt
            FROM tariff_changes WHERE account_id = @accountId AND status = 1
            """,
            new { accountId }, tx, cancellationToken: ct));
        if (row is null)
        {
            return null;
        }

        var from = row.FromTariffId is { } fromId ? await TariffAsync(connection, tx, fromId, ct) : null;
        var to = await TariffAsync(connection, tx, row.ToTariffId, ct);
        return new PendingChange(row.Id, accountId, from?.ToTariff(), to!.ToTariff(), row.EffectiveOn, (TariffChangeModes)row.Mode, row.CreatedAt);
    }

    private sealed class AccountRow
    {
        public long Id { get; set; }

        public string Number { get; set; } = "";

        public string Title { get; set; } = "";

        public int Status { get; set; }

        public long? TariffId { get; set; }

        public int Kind { get; set; }
    }

    private sealed class PendingRow
    {
        public long Id { get; set; }

        public long? FromTariffId { get; set; }

        public long ToTariffId { get; set; }

        public DateOnly EffectiveOn { get; set; }

        public int Mode { get; set; }

        public DateTimeOffset CreatedAt { get; set; }
    }

    private sealed class TariffRow
    {
        public long Id { get; set; }

        public string Code { get; set; } = "";

        public string NameRu { get; set; } = "";

        public string NameEn { get; set; } = "";

        public string DescriptionRu { get; set; } = "";

        public string DescriptionEn { get; set; } = "";

        public int Category { get; set; }

        public int Audience { get; set; }

        public long MonthlyFee { get; set; }

        public int? DownKbps { get; set; }

        public int? UpKbps { get; set; }

        public int ChargeMode { get; set; }

        public int Archived { get; set; }

        public int ChangeModes { get; set; }

        public Tariff ToTariff() => new(
            Id, Code, NameRu, NameEn, (ServiceCategory)Category, (Audience)Audience, new Money(MonthlyFee),
            DownKbps, UpKbps, (ChargeMode)ChargeMode, Archived != 0);

        public TariffOffer ToOffer() => new(ToTariff(), DescriptionRu, DescriptionEn, (TariffChangeModes)ChangeModes);
    }
}
