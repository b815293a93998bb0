using System.Globalization;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Data.Ledger;
using Kabinet.Domain.Billing;
using Kabinet.Domain.Catalog;
using Kabinet.Domain.Ledger;
using Kabinet.Domain.Money;
using Kabinet.Web.Features.Billing;
using Kabinet.Web.Features.Ledger;
using Kabinet.Web.Hosting;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Kabinet.Web.Tests.Features.Billing;

/// <summary>verify-ledger finds what is wrong with the journal, and the journal stays right under any operations (M29).</summary>
public abstract class LedgerVerificationTests(PostgresFixture? postgres, BillingBed demo)
{
    [Fact]
    public async Task Verify_ledger_is_clean_on_demo_data_before_and_after_billing_today()
    {
        var bed = demo;

        var (code, output) = await bed.RunExecutableAsync("verify-ledger");
        code.ShouldBe(0, output);
        output.ShouldContain("The ledger is consistent.");

        var today = bed.Factory.Services.GetRequiredService<OperatorClock>().Today;
        var report = await bed.BillAsync(today);
        // The demo seed marked its history as billed: the run bills today only (once, the class shares the database).
        report.Days.Select(d => d.Day).ShouldBeSubsetOf([today]);
        (await bed.ScalarAsync("SELECT COUNT(*) FROM ledger_transactions WHERE kind = 2 AND idempotency_key LIKE @today", new { today = $"charge:{today:yyyy-MM-dd}:%" })).ShouldBeGreaterThan(0);
        (await Verifier(bed).VerifyAsync(CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Verify_ledger_names_a_cached_balance_that_differs_from_the_journal()
    {
        var bed = demo;
        var id = await bed.ScalarAsync("SELECT MIN(ledger_account_id) FROM accounts");
        var balance = await bed.BalanceAsync(id);
        await bed.ExecuteAsync("UPDATE ledger_accounts SET balance = balance + 1 WHERE id = @id", new { id });
        try
        {
            var (code, output) = await bed.RunExecutableAsync("verify-ledger");

            code.ShouldBe(1, output);
            output.ShouldContain(string.Create(CultureInfo.InvariantCulture, $"ledger account {id}: cached balance {balance + 1} but the journal sums to {balance}"));
            output.ShouldContain("1 problem(s) found.");
        }
        finally
        {
            // The class shares the demo database: put the cache back.
            await bed.ExecuteAsync("UPDATE ledger_accounts SET balance = balance - 1 WHERE id = @id", new { id });
        }
    }

    [Fact]
    public async Task Verify_ledger_names_an_unbalanced_transaction()
    {
        // The lone entry cannot be taken back (append-only), so this one gets a database of its own.
        await using var bed = await BillingBed.CreateAsync(postgres);
        var ledgerAccount = (await bed.AccountAsync(await bed.TariffAsync(100_000, ChargeMode.Daily), new DateOnly(2028, 1, 1), 50_000)).LedgerAccountId;
        long transaction;
        await using (var connection = await bed.Database.OpenAsync())
        {
            // Written past the app, as a careless script would: one entry, and the cached balance kept in step.
            transaction = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO ledger_transactions (idempotency_key, kind, account_id, occurred_at, description) VALUES ('lone', 3, NULL, @now, 'lone') RETURNING id",
                new { now = bed.Factory.Clock.GetUtcNow() });
            await connection.ExecuteAsync(
                "INSERT INTO ledger_entries (transaction_id, ledger_account_id, amount) VALUES (@transaction, @ledgerAccount, 500)",
                new { transaction, ledgerAccount });
            await connection.ExecuteAsync("UPDATE ledger_accounts SET balance = balance + 500 WHERE id = @ledgerAccount", new { ledgerAccount });
        }

        var problems = await Verifier(bed).VerifyAsync(CancellationToken.None);
        problems.ShouldBe([$"transaction {transaction} does not sum to zero: 500 kopecks", $"transaction {transaction} has 1 entries"], ignoreOrder: true);

        var (code, output) = await bed.RunExecutableAsync("verify-ledger");
        code.ShouldBe(1, output);
        output.ShouldContain($"transaction {transaction} does not sum to zero: 500 kopecks");
    }

    [Fact]
    public async Task Verify_ledger_names_a_day_charged_twice_under_two_key_forms_until_one_is_reversed()
    {
        // The planted charge stays in the journal (append-only), so this one gets a database of its own.
        await using var bed = await BillingBed.CreateAsync(postgres);
        var account = await bed.AccountAsync(await bed.TariffAsync(31_000, ChargeMode.Daily), new DateOnly(2028, 1, 1), 50_000);
        var day = new DateOnly(2028, 1, 27);
        await bed.BillAsync(day);
        (await Verifier(bed).VerifyAsync(CancellationToken.None)).ShouldBeEmpty();
        var billed = string.Create(CultureInfo.InvariantCulture, $"charge:2028-01-27:{account.Id}:tariff");
        var planted = string.Create(CultureInfo.InvariantCulture, $"charge:{account.Id}:tariff:2028-01-27");
        var now = bed.Factory.Clock.GetUtcNow();
        // The same day charged again under the key form of before migration 0012, as an instance
        // still on the old code would write it: balanced, cached balances in step, the key unique.
        var copy = LedgerTransaction.Transfer(planted, TransactionKind.Charge, account.Id, now, "за 27.01.2028",
            account.LedgerAccountId, SystemLedgerAccounts.Revenue, new Money(1_000)).Value;
        long copyId;
        await using (var connection = await bed.Database.OpenAsync())
        await using (var tx = await Database.BeginWriteAsync(connection))
        {
            copyId = (await LedgerWriter.PostAsync(connection, tx, copy)).TransactionId;
            await tx.CommitAsync();
        }

        var expected = $"account {account.Id}, tariff: billing day 2028-01-27 is charged 2 times ({billed}, {planted})";
        (await Verifier(bed).VerifyAsync(CancellationToken.None)).ShouldBe([expected]);
        var (code, output) = await bed.RunExecutableAsync("verify-ledger");
        code.ShouldBe(1, output);
        output.ShouldContain(expected);
        output.ShouldContain("1 problem(s) found.");

        // Reversing the copy takes it back: the day is charged once again.
        var reversal = copy.Reverse(copyId, "reverse:planted", now, "Сторно").Value;
        await using (var connection = await bed.Database.OpenAsync())
        await using (var tx = await Database.BeginWriteAsync(connection))
        {
            await LedgerWriter.PostAsync(connection, tx, reversal);
            await tx.CommitAsync();
        }

        (await Verifier(bed).VerifyAsync(CancellationToken.None)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Journal_sums_to_zero_after_any_sequence_of_bills_payments_replays_reversals_services_freezes_tariff_changes_and_promised_payments(int seed)
    {
        var random = new Random(seed);
        await using var bed = await BillingBed.CreateAsync(postgres);
        var accounts = new List<TestAccount>();
        for (var n = 0; n < 6; n++)
        {
            var mode = n % 2 == 0 ? ChargeMode.Daily : ChargeMode.MonthlyInAdvance;
            accounts.Add(await bed.AccountAsync(await bed.TariffAsync(random.NextInt64(1, 900_000), mode), new DateOnly(2028, 1, 1), random.NextInt64(-50_000, 200_000)));
        }

        var day = new DateOnly(2028, 1, 27);
        await bed.BillAsync(day);
        var payments = 0;
        var log = new List<string>();
        // What each account has booked: one freeze, one pending tariff change and one open promised
        // payment at a time, as the cabinet allows.
        var frozenUntil = new Dictionary<long, DateOnly>();
        var changeOn = new Dictionary<long, DateOnly>();
        var promisedDue = new Dictionary<long, DateOnly>();
        for (var step = 0; step < 60; step++)
        {
            var account = accounts[random.Next(accounts.Count)];
            switch (random.Next(9))
            {
                case 3:
                    var mode = random.Next(2) == 0 ? ChargeMode.Daily : ChargeMode.MonthlyInAdvance;
                    var service = await bed.ServiceAsync(random.NextInt64(1, 90_000), mode, chargedWhileFrozen: random.Next(2) == 0);
                    await bed.AddServiceAsync(account.Id, service, day.AddDays(1), random.Next(2) == 0 ? null : day.AddDays(random.Next(2, 40)));
                    log.Add($"service {account.Id} {mode}");
                    break;
                case 4 when !frozenUntil.TryGetValue(account.Id, out var until) || until < day:
                    var start = day.AddDays(random.Next(1, 5));
                    var end = start.AddDays(random.Next(2, 20));
                    await bed.FreezeAsync(account.Id, start, end, start.AddDays(random.Next(0, 4)), random.NextInt64(0, 2_000));
                    frozenUntil[account.Id] = end;
                    log.Add($"freeze {account.Id} {start:MM-dd}..{end:MM-dd}");
                    break;
                case 5 when !changeOn.TryGetValue(account.Id, out var on) || on <= day:
                    var next = await bed.TariffAsync(random.NextInt64(1, 900_000), random.Next(2) == 0 ? ChargeMode.Daily : ChargeMode.MonthlyInAdvance);
                    var (effective, changeMode) = random.Next(2) == 0 ? (day.AddDays(1), 1) : (BillingCalendar.FirstOfNextMonth(day), 2);
                    await bed.TariffChangeAsync(account.Id, account.TariffId, next, effective, changeMode);
                    changeOn[account.Id] = effective;
                    log.Add($"tariff change {account.Id} {effective:MM-dd}");
                    break;
                case 6 when !promisedDue.TryGetValue(account.Id, out var due) || due < day:
                    await bed.PromisedAsync(account, random.NextInt64(1, 100_000), day, day.AddDays(5));
                    promisedDue[account.Id] = day.AddDays(5);
                    log.Add($"promised {account.Id}");
                    break;
                case 0:
                    day = day.AddDays(random.Next(1, 4));
                    await bed.BillAsync(day);
                    log.Add($"bill {day:yyyy-MM-dd}");
                    break;
                case 1:
                    await bed.PayAsync(account, random.NextInt64(1, 300_000), string.Create(CultureInfo.InvariantCulture, $"pay:{++payments}"));
                    log.Add($"pay {account.Id}");
                    break;
                case 2 when payments > 0:
                    // A webhook delivered again: same key, nothing new.
                    await bed.PayAsync(account, 1, string.Create(CultureInfo.InvariantCulture, $"pay:{random.Next(1, payments + 1)}"));
                    log.Add("replay");
                    break;
                default:
                    var reversed = await ReverseRandomAsync(bed, random);
                    log.Add($"reverse {reversed}");
                    break;
            }

            await AssertJournalBalancedAsync(bed, string.Join(", ", log));
        }

        (await Verifier(bed).VerifyAsync(CancellationToken.None)).ShouldBeEmpty();
    }

    private static async Task AssertJournalBalancedAsync(BillingBed bed, string story)
    {
        (await bed.ScalarAsync("SELECT COALESCE(SUM(amount), 0) FROM ledger_entries")).ShouldBe(0, story);
        (await bed.ScalarAsync("SELECT COALESCE(SUM(balance), 0) FROM ledger_accounts")).ShouldBe(0, story);
        (await bed.ScalarAsync("SELECT COUNT(*) FROM (SELECT transaction_id FROM ledger_entries GROUP BY transaction_id HAVING SUM(amount) <> 0) x")).ShouldBe(0, story);
    }

    // Reverses a random payment or charge (sometimes one already reversed: the key refuses the copy).
    private static async Task<long?> ReverseRandomAsync(BillingBed bed, Random random)
    {
        await using var connection = await bed.Database.OpenAsync();
        var candidates = (await connection.QueryAsync<long>("SELECT id FROM ledger_transactions WHERE kind IN (1, 2) ORDER BY id")).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        var id = candidates[random.Next(candidates.Count)];
        var accountId = await connection.ExecuteScalarAsync<long?>("SELECT account_id FROM ledger_transactions WHERE id = @id", new { id });
        var entries = (await connection.QueryAsync<(long LedgerAccountId, long Amount)>(
            "SELECT ledger_account_id, amount FROM ledger_entries WHERE transaction_id = @id ORDER BY id", new { id }))
            .Select(e => new LedgerEntry(e.LedgerAccountId, new Money(e.Amount))).ToArray();
        var now = bed.Factory.Clock.GetUtcNow();
        var original = LedgerTransaction.Create("original", TransactionKind.Adjustment, accountId, now, "original", entries).Value;
        var reversal = original.Reverse(id, string.Create(CultureInfo.InvariantCulture, $"reverse:{id}"), now, "Сторно").Value;
        await using var tx = await Database.BeginWriteAsync(connection);
        await LedgerWriter.PostAsync(connection, tx, reversal);
        if (accountId is { } account)
        {
            await AccountStatusWriter.ReevaluateAsync(connection, tx, account, now);
        }

        await tx.CommitAsync();
        return id;
    }

    private static LedgerVerifier Verifier(BillingBed bed) => bed.Factory.Services.GetRequiredService<LedgerVerifier>();
}

public sealed class SqliteLedgerVerificationTests(SqliteDemoBed demo) : LedgerVerificationTests(null, demo.Bed), IClassFixture<SqliteDemoBed>;

[Collection("postgres")]
public sealed class PostgresLedgerVerificationTests(PostgresFixture postgres, PostgresDemoBed demo)
    : LedgerVerificationTests(postgres, demo.Bed), IClassFixture<PostgresDemoBed>;

/// <summary>One demo database on SQLite for a test class.</summary>
public sealed class SqliteDemoBed : IAsyncLifetime
{
    private BillingBed? _bed;

    /// <summary>The bed.</summary>
    public BillingBed Bed => _bed ?? throw new InvalidOperationException("Not started.");

    /// <inheritdoc />
    public async Task InitializeAsync() => _bed = await BillingBed.CreateAsync(null, demo: true);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_bed is not null)
        {
            await _bed.DisposeAsync();
        }
    }
}

/// <summary>One demo database on PostgreSQL for a test class.</summary>
public sealed class PostgresDemoBed(PostgresFixture postgres) : IAsyncLifetime
{
    private BillingBed? _bed;

    /// <summary>The bed.</summary>
    public BillingBed Bed => _bed ?? throw new InvalidOperationException("Not started.");

    /// <inheritdoc />
    public async Task InitializeAsync() => _bed = await BillingBed.CreateAsync(postgres, demo: true);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_bed is not null)
        {
            await _bed.DisposeAsync();
        }
    }
}
