using System.Data.Common;
using Kabinet.Data.Connections;
using Kabinet.Domain.Billing;
using Kabinet.Domain.Catalog;
using Kabinet.Domain.Ledger;
using Kabinet.Domain.Money;
using Kabinet.Domain.Subscribers;
using Kabinet.Web.Hosting;

namespace Kabinet.Web.Features.Dashboard;

/// <summary>
/// Reads what the dashboard and <c>/api/v1/me</c> show, with each account's forecast computed from
/// the charges actually scheduled (tariff, services, pending change, freeze). Every query is scoped
/// by the logged-in contract. This is the hottest read in Kabinet, so it runs on a
/// <see cref="ReadSession"/> (statements prepared once) and maps columns by position.
/// </summary>
public sealed class DashboardQuery(Database database, OperatorClock clock)
{
    // The contract and its accounts in one statement: a contract without accounts gives one row of NULLs after the holder.
    private const string AccountsSql = """
        SELECT c.number, s.full_name,
               a.id, a.number, a.title, la.balance, la.updated_at, a.status, a.threshold,
               t.id, t.name_ru, t.name_en, t.monthly_fee, t.down_kbps, t.up_kbps, a.ledger_account_id,
               t.charge_mode, a.tariff_since
        FROM contracts c
        JOIN subscribers s ON s.id = c.subscriber_id
        LEFT JOIN accounts a ON a.contract_id = c.id
        LEFT JOIN ledger_accounts la ON la.id = a.ledger_account_id
        LEFT JOIN tariffs t ON t.id = a.tariff_id
        WHERE c.id = @contractId
        ORDER BY a.id
        """;

    private const string ServicesSql = """
        SELECT s.account_id, e.id, e.name_ru, e.name_en, e.kind, e.price, e.charge_mode, s.active_from, s.active_to, e.charged_while_frozen
        FROM account_services s
        JOIN accounts a ON a.id = s.account_id
        JOIN extra_services e ON e.id = s.service_id
        WHERE a.contract_id = @contractId AND e.kind = 1 AND s.active_from <= @today AND (s.active_to IS NULL OR s.active_to > @today)
        ORDER BY s.account_id, e.id
        """;

    // Pending tariff changes, open freezes and open promised payments of the contract, in one pass.
    private const string PlansSql = """
        SELECT 1, c.account_id, t.name_ru, t.name_en, t.monthly_fee, t.charge_mode, c.effective_on, NULL, NULL
        FROM tariff_changes c JOIN accounts a ON a.id = c.account_id JOIN tariffs t ON t.id = c.to_tariff_id
        WHERE a.contract_id = @contractId AND c.status = 1
        UNION ALL
        SELECT 2, f.account_id, NULL, NULL, f.daily_fee, NULL, f.starts_on, f.ends_on, f.paid_from
        FROM freezes f JOIN accounts a ON a.id = f.account_id
        WHERE a.contract_id = @contractId AND f.status = 1
        UNION ALL
        SELECT 3, p.account_id, NULL, NULL, p.amount, p.outstanding, p.due_on, NULL, NULL
        FROM promised_payments p JOIN accounts a ON a.id = p.account_id
        WHERE a.contract_id = @contractId AND p.status = 1
        """;

    // Walks the (ledger_account_id, transaction_id) index backwards and stops at the limit, so a
    // subscriber with years of history costs the same as a new one.
    private const string OperationsSql = """
        SELECT t.id, t.kind, t.occurred_at, t.description, e.amount
        FROM ledger_entries e
        JOIN ledger_transactions t ON t.id = e.transaction_id
        WHERE e.ledger_account_id = @ledgerAccountId
        ORDER BY e.transaction_id DESC
        LIMIT @limit
        """;

    /// <summary>
    /// The contract with all its accounts; with <paramref name="operations"/> above zero, also the
    /// latest operations of the selected account. Null when the contract is gone.
    /// </summary>
    public async Task<DashboardData?> LoadAsync(long contractId, long? accountId, int operations, CancellationToken ct)
    {
        await using var session = await database.OpenReadSessionAsync(ct);
        var today = clock.Today;
        var services = await ReadServicesAsync(session, contractId, today, ct);
        var plans = await ReadPlansAsync(session, contractId, ct);
        var (contract, accounts, ledgerAccounts) = await ReadAccountsAsync(session, contractId, services, plans, today, ct);
        if (contract is null)
        {
            return null;
        }

        // The account asked for when it is the contract's, else the first one.
        var index = Math.Max(0, accounts.FindIndex(a => a.Id == accountId));
        var selected = accounts.Count > 0 ? accounts[index] : null;
        var lines = operations > 0 && selected is not null
            ? await ReadOperationsAsync(session, ledgerAccounts[index], operations, ct)
            : [];
        return new DashboardData(new ContractView(contractId, contract.Value.Number, contract.Value.Holder, accounts), selected, lines);
    }

    private static async Task<((string Number, string Holder)? Contract, List<AccountView> Accounts, List<long> LedgerAccounts)> ReadAccountsAsync(
        ReadSession session, long contractId, ILookup<long, ServiceView> services, Plans plans, DateOnly today, CancellationToken ct)
    {
        var command = session.Command(AccountsSql);
        ReadSession.Set(command, "@contractId", contractId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        (string Number, string Holder)? contract = null;
        var accounts = new List<AccountView>(2);
        var ledgerAccounts = new List<long>(2);
        // Account columns start at A; the contract's number and holder come first on every row.
        const int A = 2;
        while (await reader.ReadAsync(ct))
        {
            contract ??= (reader.GetString(0), reader.GetString(1));
            if (reader.IsDBNull(A))
            {
                continue;
            }

            var id = reader.GetInt64(A);
            var tariff = reader.IsDBNull(A + 7)
                ? null
                : new TariffView(
                    reader.GetInt64(A + 7), reader.GetString(A + 8), reader.GetString(A + 9), new Money(reader.GetInt64(A + 10)),
                    NullableInt(reader, A + 11), NullableInt(reader, A + 12), (ChargeMode)reader.GetInt32(A + 14),
                    reader.IsDBNull(A + 15) ? DateOnly.MinValue : TypeHandlers.ReadDay(reader.GetValue(A + 15)));
            var balance = new Money(reader.GetInt64(A + 3));
            var threshold = new Money(reader.GetInt64(A + 6));
            var accountServices = services[id].ToList();
            plans.Pending.TryGetValue(id, out var pending);
            plans.Freezes.TryGetValue(id, out var freeze);
            plans.Promised.TryGetValue(id, out var promised);
            accounts.Add(new AccountView(
                id,
                reader.GetString(A + 1),
                reader.GetString(A + 2),
                balance,
                TypeHandlers.ReadInstant(reader.GetValue(A + 4)),
                (AccountStatus)reader.GetInt32(A + 5),
                threshold,
                tariff,
                accountServices,
                pending,
                freeze,
                promised,
                ForecastCalculator.Compute(balance, threshold, today, Schedule(tariff, accountServices, pending, freeze, promised))));
            ledgerAccounts.Add(reader.GetInt64(A + 13));
        }

        return (contract, accounts, ledgerAccounts);
    }

    private static ChargeSchedule Schedule(TariffView? tariff, List<ServiceView> services, PendingChangeView? pending, FreezeView? freeze, PromisedView? promised) => new(
        tariff is null ? null : new ScheduledTariff(tariff.MonthlyFee, tariff.Mode, tariff.Since),
        pending is null ? null : new PendingTariffChange(pending.MonthlyFee, pending.Mode, pending.EffectiveOn),
        services.Select(s => new ScheduledService(s.Id, s.Price, s.Mode, s.ActiveFrom, s.ActiveTo, s.ChargedWhileFrozen)),
        freeze is null ? null : [new ScheduledFreeze(freeze.Start, freeze.End, freeze.PaidFrom.DayNumber - freeze.Start.DayNumber, freeze.DailyFee)],
        // What is still owed on a promised payment is withdrawn the day after it is due.
        promised is null ? null : [new ScheduledOneOff("promised", promised.DueOn.AddDays(1), promised.Outstanding)]);

    private async Task<ILookup<long, ServiceView>> ReadServicesAsync(ReadSession session, long contractId, DateOnly today, CancellationToken ct)
    {
        var command = session.Command(ServicesSql);
        ReadSession.Set(command, "@contractId", contractId);
        ReadSession.Set(command, "@today", TypeHandlers.Day(database.Kind, today));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<(long AccountId, ServiceView Service)>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add((reader.GetInt64(0), new ServiceView(
                reader.GetInt64(1), reader.GetString(2), reader.GetString(3), (ExtraServiceKind)reader.GetInt32(4), new Money(reader.GetInt64(5)),
                (ChargeMode)reader.GetInt32(6), TypeHandlers.ReadDay(reader.GetValue(7)),
                reader.IsDBNull(8) ? null : TypeHandlers.ReadDay(reader.GetValue(8)), reader.GetBoolean(9))));
        }

        return rows.ToLookup(r => r.AccountId, r => r.Service);
    }

    private static async Task<Plans> ReadPlansAsync(ReadSession session, long contractId, CancellationToken ct)
    {
        var command = session.Command(PlansSql);
        ReadSession.Set(command, "@contractId", contractId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var plans = new Plans();
        while (await reader.ReadAsync(ct))
        {
            var account = reader.GetInt64(1);
            // UNION columns widen to bigint on PostgreSQL; read them as such on both engines.
            switch (Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture))
            {
                case 1:
                    plans.Pending[account] = new PendingChangeView(
                        reader.GetString(2), reader.GetString(3), new Money(reader.GetInt64(4)), (ChargeMode)reader.GetInt64(5), TypeHandlers.ReadDay(reader.GetValue(6)));
                    break;
                case 2:
                    plans.Freezes[account] = new FreezeView(
                        TypeHandlers.ReadDay(reader.GetValue(6)), TypeHandlers.ReadDay(reader.GetValue(7)), TypeHandlers.ReadDay(reader.GetValue(8)), new Money(reader.GetInt64(4)));
                    break;
                default:
                    plans.Promised[account] = new PromisedView(new Money(reader.GetInt64(4)), new Money(reader.GetInt64(5)), TypeHandlers.ReadDay(reader.GetValue(6)));
                    break;
            }
        }

        return plans;
    }

    private static async Task<List<OperationView>> ReadOperationsAsync(
        ReadSession session, long ledgerAccountId, int limit, CancellationToken ct)
    {
        var command = session.Command(OperationsSql);
        ReadSession.Set(command, "@ledgerAccountId", ledgerAccountId);
        ReadSession.Set(command, "@limit", limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var lines = new List<OperationView>(limit);
        while (await reader.ReadAsync(ct))
        {
            lines.Add(new OperationView(
                reader.GetInt64(0), (TransactionKind)reader.GetInt32(1), TypeHandlers.ReadInstant(reader.GetValue(2)), reader.GetString(3), new Money(reader.GetInt64(4))));
        }

        return lines;
    }

    private static int? NullableInt(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);

    private sealed class Plans
    {
        public Dictionary<long, PendingChangeView> Pending { get; } = [];

        public Dictionary<long, FreezeView> Freezes { get; } = [];

        public Dictionary<long, PromisedView> Promised { get; } = [];
    }
}
