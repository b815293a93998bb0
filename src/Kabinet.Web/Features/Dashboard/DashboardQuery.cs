using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Domain.Catalog;
using Kabinet.Domain.Ledger;
using Kabinet.Domain.Money;
using Kabinet.Domain.Subscribers;
using Kabinet.Web.Hosting;

namespace Kabinet.Web.Features.Dashboard;

/// <summary>
/// Reads what the dashboard and <c>/api/v1/me</c> show. Every query is scoped by the logged-in
/// contract: an account id from the URL is only ever looked up together with it.
/// </summary>
public sealed class DashboardQuery(Database database, OperatorClock clock)
{
    private const string Sql = """
        SELECT c.id AS ContractId, c.number AS Number, s.full_name AS HolderName
        FROM contracts c JOIN subscribers s ON s.id = c.subscriber_id
        WHERE c.id = @contractId;

        SELECT a.id AS Id, a.number AS Number, a.title AS Title, la.balance AS Balance, la.updated_at AS BalanceAt,
               a.status AS Status, a.threshold AS Threshold,
               t.id AS TariffId, t.name_ru AS TariffNameRu, t.name_en AS TariffNameEn, t.monthly_fee AS TariffFee,
               t.down_kbps AS DownKbps, t.up_kbps AS UpKbps
        FROM accounts a
        JOIN ledger_accounts la ON la.id = a.ledger_account_id
        LEFT JOIN tariffs t ON t.id = a.tariff_id
        WHERE a.contract_id = @contractId
        ORDER BY a.id;

        SELECT s.account_id AS AccountId, e.id AS Id, e.name_ru AS NameRu, e.name_en AS NameEn, e.kind AS Kind, e.price AS Price
        FROM account_services s
        JOIN accounts a ON a.id = s.account_id
        JOIN extra_services e ON e.id = s.service_id
        WHERE a.contract_id = @contractId AND s.active_from <= @today AND (s.active_to IS NULL OR s.active_to > @today)
        ORDER BY s.account_id, e.id;
        """;

    /// <summary>The contract with all its accounts, or null when the contract is gone.</summary>
    public async Task<ContractView?> LoadAsync(long contractId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        using var grid = await connection.QueryMultipleAsync(Sql, new { contractId, today = clock.Today });
        var contract = await grid.ReadSingleOrDefaultAsync<ContractRow>();
        var accounts = (await grid.ReadAsync<AccountRow>()).ToList();
        var services = (await grid.ReadAsync<ServiceRow>()).ToLookup(s => s.AccountId);
        if (contract is null)
        {
            return null;
        }

        return new ContractView(
            contract.ContractId,
            contract.Number,
            contract.HolderName,
            accounts.Select(a => a.ToView(services[a.Id])).ToList());
    }

    /// <summary>The latest operations of one account of the contract; empty when it is not theirs.</summary>
    public async Task<IReadOnlyList<OperationView>> LastOperationsAsync(long contractId, long accountId, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<OperationRow>(
            """
            SELECT t.id AS Id, t.kind AS Kind, t.occurred_at AS At, t.description AS Description, e.amount AS Amount
            FROM accounts a
            JOIN ledger_entries e ON e.ledger_account_id = a.ledger_account_id
            JOIN ledger_transactions t ON t.id = e.transaction_id
            WHERE a.id = @accountId AND a.contract_id = @contractId
            ORDER BY e.transaction_id DESC
            LIMIT @limit
            """,
            new { contractId, accountId, limit });
        return rows.Select(r => new OperationView(r.Id, (TransactionKind)r.Kind, r.At, r.Description, new Money(r.Amount))).ToList();
    }

    private sealed class ContractRow
    {
        public long ContractId { get; init; }

        public string Number { get; init; } = "";

        public string HolderName { get; init; } = "";
    }

    private sealed class AccountRow
    {
        public long Id { get; init; }

        public string Number { get; init; } = "";

        public string Title { get; init; } = "";

        public long Balance { get; init; }

        public DateTimeOffset BalanceAt { get; init; }

        public int Status { get; init; }

        public long Threshold { get; init; }

        public long? TariffId { get; init; }

        public string? TariffNameRu { get; init; }

        public string? TariffNameEn { get; init; }

        public long? TariffFee { get; init; }

        public int? DownKbps { get; init; }

        public int? UpKbps { get; init; }

        public AccountView ToView(IEnumerable<ServiceRow> services) => new(
            Id,
            Number,
            Title,
            new Money(Balance),
            BalanceAt,
            (AccountStatus)Status,
            new Money(Threshold),
            TariffId is { } id ? new TariffView(id, TariffNameRu!, TariffNameEn!, new Money(TariffFee ?? 0), DownKbps, UpKbps) : null,
            services.Select(s => new ServiceView(s.Id, s.NameRu, s.NameEn, (ExtraServiceKind)s.Kind, new Money(s.Price))).ToList());
    }

    private sealed class ServiceRow
    {
        public long AccountId { get; init; }

        public long Id { get; init; }

        public string NameRu { get; init; } = "";

        public string NameEn { get; init; } = "";

        public int Kind { get; init; }

        public long Price { get; init; }
    }

    private sealed class OperationRow
    {
        public long Id { get; init; }

        public int Kind { get; init; }

        public DateTimeOffset At { get; init; }

        public string Description { get; init; } = "";

        public long Amount { get; init; }
    }
}
