using System.Diagnostics;
using System.Globalization;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Data.Ledger;
using Kabinet.Domain.Catalog;
using Kabinet.Domain.Ledger;
using Kabinet.Domain.Money;
using Kabinet.Domain.Subscribers;
using Kabinet.Web.Features.Billing;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Kabinet.Web.Tests.Features.Billing;

/// <summary>An account made by a test: its journal side and its tariff.</summary>
public sealed record TestAccount(long Id, long LedgerAccountId, long TariffId);

/// <summary>One charge in the journal, split out of its idempotency key "charge:{day}:{account}:{item}".</summary>
public sealed record JournalCharge(long AccountId, string Item, DateOnly Day, long Amount);

/// <summary>
/// A Kabinet on a database of its own (no demo data unless asked) where a test builds its accounts
/// in SQL and bills the days it wants: the billing calendar is global to a database, so a test
/// that moves it gets a fresh one.
/// </summary>
public sealed class BillingBed : IAsyncDisposable
{
    private static int _serial;
    private readonly Database _database;

    private BillingBed(KabinetFactory factory)
    {
        Factory = factory;
        _database = factory.OpenDatabase();
        // Starts the host: migrations (and the demo seed when on) run here.
        _ = factory.Services;
    }

    /// <summary>The app.</summary>
    public KabinetFactory Factory { get; }

    /// <summary>The app's billing run.</summary>
    public BillingRun Run => Factory.Services.GetRequiredService<BillingRun>();

    /// <summary>The database, for direct SQL.</summary>
    public Database Database => _database;

    /// <summary>A bed on SQLite or, when <paramref name="postgres"/> is given, on PostgreSQL.</summary>
    public static async Task<BillingBed> CreateAsync(PostgresFixture? postgres, bool demo = false)
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal) { ["Kabinet:Demo"] = demo ? "true" : "false" };
        var factory = postgres is null ? KabinetFactory.Sqlite(settings) : await KabinetFactory.PostgresAsync(postgres, settings);
        return new BillingBed(factory);
    }

    /// <summary>Bills up to <paramref name="day"/> (the first run of a fresh database bills that day only).</summary>
    public Task<BillingReport> BillAsync(DateOnly day) => Run.RunUpToAsync(day, CancellationToken.None);

    /// <summary>Bills every day from <paramref name="from"/> to <paramref name="to"/> on a never-billed database.</summary>
    public async Task BillRangeAsync(DateOnly from, DateOnly to)
    {
        (await BillAsync(from)).Busy.ShouldBeFalse();
        (await BillAsync(to)).Busy.ShouldBeFalse();
    }

    /// <summary>A tariff with its own code.</summary>
    public async Task<long> TariffAsync(long fee, ChargeMode mode)
    {
        await using var connection = await _database.OpenAsync();
        var code = Code("t");
        return await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO tariffs (code, name_ru, name_en, category, audience, monthly_fee, charge_mode)
            VALUES (@code, @code, @code, 1, 1, @fee, @mode) RETURNING id
            """,
            new { code, fee, mode = (int)mode });
    }

    /// <summary>A monthly extra service with its own code.</summary>
    public async Task<long> ServiceAsync(long price, ChargeMode mode, bool chargedWhileFrozen)
    {
        await using var connection = await _database.OpenAsync();
        var code = Code("s");
        return await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO extra_services (code, name_ru, name_en, kind, price, charged_while_frozen, charge_mode)
            VALUES (@code, @code, @code, 1, @price, @chargedWhileFrozen, @mode) RETURNING id
            """,
            new { code, price, chargedWhileFrozen, mode = (int)mode });
    }

    /// <summary>
    /// A subscriber, contract, ledger account and account on <paramref name="tariffId"/> since
    /// <paramref name="since"/>, with <paramref name="balance"/> brought in by an opening transaction.
    /// </summary>
    public async Task<TestAccount> AccountAsync(
        long tariffId, DateOnly since, long balance, AccountStatus status = AccountStatus.Active, long threshold = 0)
    {
        var now = Factory.Clock.GetUtcNow();
        var code = Code("a");
        TestAccount account;
        await using (var connection = await _database.OpenAsync())
        await using (var tx = await Database.BeginWriteAsync(connection))
        {
            var subscriberId = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO subscribers (kind, full_name, created_at) VALUES (1, @code, @now) RETURNING id", new { code, now }, tx);
            var contractId = await connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO contracts (number, subscriber_id, password_hash, security_stamp, signed_on, created_at)
                VALUES (@code, @subscriberId, 'x', 'x', @since, @now) RETURNING id
                """,
                new { code, subscriberId, since, now }, tx);
            var ledgerId = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO ledger_accounts (kind, name, balance, updated_at) VALUES (1, @code, 0, @now) RETURNING id", new { code, now }, tx);
            var id = await connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO accounts (contract_id, number, title, ledger_account_id, tariff_id, tariff_since, status, threshold, created_at)
                VALUES (@contractId, @code, @code, @ledgerId, @tariffId, @since, @status, @threshold, @now) RETURNING id
                """,
                new { contractId, code, ledgerId, tariffId, since, status = (int)status, threshold, now }, tx);
            if (balance != 0)
            {
                var (from, to) = balance > 0 ? (SystemLedgerAccounts.OpeningBalances, ledgerId) : (ledgerId, SystemLedgerAccounts.OpeningBalances);
                await LedgerWriter.PostAsync(connection, tx, LedgerTransaction.Transfer(
                    "opening:" + code, TransactionKind.OpeningBalance, id, now, "opening", from, to, new Money(Math.Abs(balance))).Value);
            }

            await tx.CommitAsync();
            account = new TestAccount(id, ledgerId, tariffId);
        }

        return account;
    }

    /// <summary>Switches a service on for an account from <paramref name="from"/> (to <paramref name="to"/>, exclusive).</summary>
    public Task AddServiceAsync(long accountId, long serviceId, DateOnly from, DateOnly? to = null) =>
        ExecuteAsync(
            "INSERT INTO account_services (account_id, service_id, active_from, active_to) VALUES (@accountId, @serviceId, @from, @to)",
            new { accountId, serviceId, from, to });

    /// <summary>A booked freeze; the days from <paramref name="paidFrom"/> carry <paramref name="dailyFee"/>.</summary>
    public Task<long> FreezeAsync(long accountId, DateOnly start, DateOnly end, DateOnly paidFrom, long dailyFee) =>
        ScalarAsync(
            """
            INSERT INTO freezes (account_id, starts_on, ends_on, paid_from, daily_fee, status, created_at)
            VALUES (@accountId, @start, @end, @paidFrom, @dailyFee, 1, @now) RETURNING id
            """,
            new { accountId, start, end, paidFrom, dailyFee, now = Factory.Clock.GetUtcNow() });

    /// <summary>A pending tariff change (mode 1 = from tomorrow, 2 = from the 1st of next month).</summary>
    public Task<long> TariffChangeAsync(long accountId, long fromTariffId, long toTariffId, DateOnly effectiveOn, int mode) =>
        ScalarAsync(
            """
            INSERT INTO tariff_changes (account_id, from_tariff_id, to_tariff_id, effective_on, mode, status, created_at)
            VALUES (@accountId, @fromTariffId, @toTariffId, @effectiveOn, @mode, 1, @now) RETURNING id
            """,
            new { accountId, fromTariffId, toTariffId, effectiveOn, mode, now = Factory.Clock.GetUtcNow() });

    /// <summary>An open promised payment: the row and its credit to the account, as the cabinet writes them.</summary>
    public async Task<long> PromisedAsync(TestAccount account, long amount, DateOnly takenOn, DateOnly dueOn)
    {
        var now = Factory.Clock.GetUtcNow();
        await using var connection = await _database.OpenAsync();
        await using var tx = await Database.BeginWriteAsync(connection);
        var id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO promised_payments (account_id, amount, outstanding, taken_on, due_on, taken_at, status)
            VALUES (@accountId, @amount, @amount, @takenOn, @dueOn, @now, 1) RETURNING id
            """,
            new { accountId = account.Id, amount, takenOn, dueOn, now }, tx);
        await LedgerWriter.PostAsync(connection, tx, LedgerTransaction.Transfer(
            "promised:" + id.ToString(CultureInfo.InvariantCulture), TransactionKind.PromisedPayment, account.Id, now, "promised",
            SystemLedgerAccounts.PromisedCredit, account.LedgerAccountId, new Money(amount)).Value);
        await tx.CommitAsync();
        return id;
    }

    /// <summary>Posts a payment from the cash desk and re-evaluates the status in the same transaction, as payment posting does.</summary>
    public async Task<AccountStatus> PayAsync(TestAccount account, long amount, string key)
    {
        var now = Factory.Clock.GetUtcNow();
        await using var connection = await _database.OpenAsync();
        await using var tx = await Database.BeginWriteAsync(connection);
        await LedgerWriter.PostAsync(connection, tx, LedgerTransaction.Transfer(
            key, TransactionKind.Payment, account.Id, now, "payment", SystemLedgerAccounts.CashDesk, account.LedgerAccountId, new Money(amount)).Value);
        var status = await AccountStatusWriter.ReevaluateAsync(connection, tx, account.Id, now);
        await tx.CommitAsync();
        return status;
    }

    /// <summary>Every charge in the journal.</summary>
    public async Task<List<JournalCharge>> ChargesAsync()
    {
        await using var connection = await _database.OpenAsync();
        var rows = await connection.QueryAsync<(string Key, long Amount)>(
            """
            SELECT t.idempotency_key, e.amount FROM ledger_transactions t
            JOIN ledger_entries e ON e.transaction_id = t.id
            JOIN accounts a ON a.id = t.account_id AND a.ledger_account_id = e.ledger_account_id
            WHERE t.kind = 2
            """);
        return rows.Select(r => Parse(r.Key, -r.Amount)).ToList();
    }

    /// <summary>The kinds of an account's outbox events, oldest first.</summary>
    public async Task<List<string>> EventsAsync(long accountId)
    {
        await using var connection = await _database.OpenAsync();
        return (await connection.QueryAsync<string>("SELECT kind FROM account_events WHERE account_id = @accountId ORDER BY id", new { accountId })).ToList();
    }

    /// <summary>The account's status now.</summary>
    public Task<AccountStatus> StatusAsync(long accountId) =>
        ScalarAsync("SELECT status FROM accounts WHERE id = @accountId", new { accountId }).ContinueWith(t => (AccountStatus)t.Result, TaskScheduler.Default);

    /// <summary>The cached balance of a ledger account.</summary>
    public Task<long> BalanceAsync(long ledgerAccountId) =>
        ScalarAsync("SELECT balance FROM ledger_accounts WHERE id = @ledgerAccountId", new { ledgerAccountId });

    /// <summary>Runs a statement.</summary>
    public async Task<int> ExecuteAsync(string sql, object? args = null)
    {
        await using var connection = await _database.OpenAsync();
        return await connection.ExecuteAsync(sql, args);
    }

    /// <summary>Runs a query for one number.</summary>
    public async Task<long> ScalarAsync(string sql, object? args = null)
    {
        await using var connection = await _database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql, args);
    }

    /// <summary>
    /// Runs the real executable with a verb against this bed's database, as an operator would
    /// (<c>dotnet Kabinet.Web.dll bill --date ...</c>).
    /// </summary>
    public async Task<(int ExitCode, string Output)> RunExecutableAsync(params string[] args)
    {
        var dll = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Kabinet__Database"] = Factory.Kind == DatabaseKind.Sqlite ? "sqlite" : "postgres";
        start.Environment["ConnectionStrings__Kabinet"] = Factory.ConnectionString;
        start.Environment["Kabinet__Demo"] = "false";
        start.Environment["Kabinet__DataProtection__CertificatePath"] = Factory.CertificatePath;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _database.Dispose();
        await Factory.DisposeAsync();
    }

    private static JournalCharge Parse(string key, long amount)
    {
        // charge:{yyyy-MM-dd}:{account}:{item}
        var day = DateOnly.ParseExact(key["charge:".Length..][..10], "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var rest = key["charge:yyyy-MM-dd:".Length..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        var account = long.Parse(rest[..colon], CultureInfo.InvariantCulture);
        return new JournalCharge(account, rest[(colon + 1)..], day, amount);
    }

    private static string Code(string prefix) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}{Interlocked.Increment(ref _serial)}-{Guid.NewGuid():N}")[..30];
}
