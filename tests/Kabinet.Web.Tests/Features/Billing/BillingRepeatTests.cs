using System.Diagnostics;
using System.Globalization;
using Kabinet.Domain.Catalog;
using Kabinet.Web.Features.Billing;
using Kabinet.Web.Features.Ledger;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Kabinet.Web.Tests.Features.Billing;

/// <summary>A billing day is charged once, whatever repeats, crashes or runs alongside it (M30).</summary>
public abstract class BillingRepeatTests(PostgresFixture? postgres)
{
    private static readonly DateOnly Day = new(2024, 2, 27);

    [Fact]
    public async Task Billing_the_same_day_twice_adds_nothing_the_second_time_and_is_quick()
    {
        await using var bed = await BillingBed.CreateAsync(postgres);
        await AccountsAsync(bed, 20);

        var first = await bed.BillAsync(Day);
        first.Days.ShouldHaveSingleItem().Charges.ShouldBe(40);
        var watch = Stopwatch.StartNew();
        var second = await bed.BillAsync(Day);
        watch.Stop();

        second.Busy.ShouldBeFalse();
        second.Days.ShouldBeEmpty();
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2));
        (await bed.ChargesAsync()).Count.ShouldBe(40);

        // And through the executable, as an operator would run it again.
        var (code, output) = await bed.RunExecutableAsync("bill", "--date", "2024-02-27");
        code.ShouldBe(0, output);
        output.ShouldContain("Everything up to 2024-02-27 is billed already.");
        (await bed.ChargesAsync()).Count.ShouldBe(40);
        (await bed.ScalarAsync("SELECT COUNT(*) FROM billing_days")).ShouldBe(1);
    }

    [Fact]
    public async Task Every_row_a_billing_day_writes_refers_to_a_row_that_exists()
    {
        // On SQLite the day's batches skip the per-row foreign key checks; what they write must pass them all the same.
        await using var bed = await BillingBed.CreateAsync(postgres);
        var accounts = await AccountsAsync(bed, 6);
        var frozen = accounts[0];
        await bed.FreezeAsync(frozen.Id, Day.AddDays(-1), Day.AddDays(5), Day.AddDays(-1), 500);
        await bed.ExecuteAsync("UPDATE accounts SET status = 3 WHERE id = @Id", new { frozen.Id });

        await bed.BillRangeAsync(Day.AddDays(-1), Day);

        (await bed.ChargesAsync()).Count.ShouldBe(22);
        (await bed.ScalarAsync(
            """
            SELECT COUNT(*) FROM ledger_entries e
            LEFT JOIN ledger_transactions t ON t.id = e.transaction_id LEFT JOIN ledger_accounts l ON l.id = e.ledger_account_id
            WHERE t.id IS NULL OR l.id IS NULL
            """)).ShouldBe(0);
        (await bed.ScalarAsync(
            "SELECT COUNT(*) FROM ledger_transactions t LEFT JOIN accounts a ON a.id = t.account_id WHERE t.account_id IS NOT NULL AND a.id IS NULL"))
            .ShouldBe(0);
        if (postgres is null)
        {
            (await bed.ScalarAsync("SELECT COUNT(*) FROM pragma_foreign_key_check")).ShouldBe(0);
        }
    }

    [Fact]
    public async Task Crashed_day_is_completed_by_the_next_run_without_double_charges()
    {
        await using var bed = await BillingBed.CreateAsync(postgres);
        var before = await AccountsAsync(bed, 5);
        await bed.BillRangeAsync(Day.AddDays(-1), Day);
        // The run of Day died after the first accounts' batch: unfinished, the later accounts not charged.
        await bed.ExecuteAsync("UPDATE billing_days SET finished_at = NULL WHERE day = @Day", new { Day });
        var after = await AccountsAsync(bed, 3);

        var report = await bed.BillAsync(Day.AddDays(1));

        report.Days.Select(d => (d.Day, d.Charges)).ShouldBe([(Day, 6), (Day.AddDays(1), 16)]);
        var charges = await bed.ChargesAsync();
        charges.GroupBy(c => (c.AccountId, c.Item, c.Day)).ShouldAllBe(g => g.Count() == 1);
        foreach (var account in before)
        {
            charges.Count(c => c.AccountId == account.Id).ShouldBe(6);
        }

        foreach (var account in after)
        {
            charges.Where(c => c.AccountId == account.Id).Select(c => c.Day).Distinct().Order().ShouldBe([Day, Day.AddDays(1)]);
        }

        (await bed.ScalarAsync("SELECT COUNT(*) FROM billing_days WHERE finished_at IS NULL")).ShouldBe(0);
        (await Verifier(bed).VerifyAsync(CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Crash_on_the_very_first_day_is_completed_and_the_days_after_it_are_not_skipped()
    {
        await using var bed = await BillingBed.CreateAsync(postgres);
        await AccountsAsync(bed, 2);
        await bed.ExecuteAsync("INSERT INTO billing_days (day, started_at, charges) VALUES (@Day, @now, 0)", new { Day, now = bed.Factory.Clock.GetUtcNow() });

        var report = await bed.BillAsync(Day.AddDays(2));

        report.Days.Select(d => d.Day).ShouldBe([Day, Day.AddDays(1), Day.AddDays(2)]);
        (await bed.ChargesAsync()).Count.ShouldBe(12);
    }

    [Fact]
    public async Task Two_bill_processes_at_once_charge_each_day_once()
    {
        await using var bed = await BillingBed.CreateAsync(postgres);
        await AccountsAsync(bed, 10);
        await bed.BillAsync(Day);

        var runs = await Task.WhenAll(
            bed.RunExecutableAsync("bill", "--date", "2024-03-03"),
            bed.RunExecutableAsync("bill", "--date", "2024-03-03"));

        runs.ShouldAllBe(r => r.ExitCode == 0 || r.ExitCode == 3, string.Join("\n---\n", runs.Select(r => r.Output)));
        runs.ShouldContain(r => r.ExitCode == 0);
        runs.Where(r => r.ExitCode == 3).ShouldAllBe(r => r.Output.Contains("Another instance is billing", StringComparison.Ordinal));
        // 27 February .. 3 March 2024: six days, two charges (tariff and service) per account a day.
        (await bed.ScalarAsync("SELECT COUNT(*) FROM ledger_transactions WHERE kind = 2")).ShouldBe(6 * 10 * 2);
        (await bed.ScalarAsync("SELECT COUNT(*) FROM billing_days WHERE finished_at IS NOT NULL")).ShouldBe(6);
        var verify = await bed.RunExecutableAsync("verify-ledger");
        verify.ExitCode.ShouldBe(0, verify.Output);
    }

    [Fact]
    public async Task Bill_refuses_a_date_after_today_in_the_operators_zone_and_charges_nothing()
    {
        await using var bed = await BillingBed.CreateAsync(postgres);
        await AccountsAsync(bed, 3);
        // The executable runs on the real clock, in the default zone (Asia/Novosibirsk).
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Novosibirsk");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime);
        var tomorrow = today.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        foreach (var date in new[] { "2030-01-01", tomorrow })
        {
            var (code, output) = await bed.RunExecutableAsync("bill", "--date", date);

            code.ShouldBe(2, output);
            output.ShouldContain($"--date {date} is after today (");
            output.ShouldContain("in Asia/Novosibirsk): days are billed when they come, not ahead. Nothing charged.");
        }

        (await bed.ScalarAsync("SELECT COUNT(*) FROM ledger_transactions WHERE kind = 2")).ShouldBe(0);
        (await bed.ScalarAsync("SELECT COUNT(*) FROM billing_days")).ShouldBe(0);
        (await bed.ScalarAsync("SELECT COUNT(*) FROM account_events")).ShouldBe(0);
    }

    [Fact]
    public async Task A_run_that_loses_its_lease_stops_and_leaves_the_day_to_the_new_holder()
    {
        await using var bed = await BillingBed.CreateAsync(postgres);
        await AccountsAsync(bed, 10);
        var run = ActivatorUtilities.CreateInstance<BillingRun>(bed.Factory.Services);
        run.BatchSize = 1;
        var taken = 0;
        // After the first committed batch another instance takes the lease over, as it would after
        // this one stalled past the expiry.
        run.AfterBatch = async () =>
        {
            if (Interlocked.Exchange(ref taken, 1) == 0)
            {
                await bed.ExecuteAsync(
                    "UPDATE job_leases SET holder = 'other-instance', expires_at = @until WHERE name = 'billing'",
                    new { until = bed.Factory.Clock.GetUtcNow().AddHours(1) });
            }
        };

        var report = await run.RunUpToAsync(Day, CancellationToken.None);

        report.LeaseLost.ShouldBeTrue();
        report.StoppedOn.ShouldBe(Day);
        report.Days.ShouldBeEmpty();
        // Batches that renewed before the take-over may finish (at most one per worker); no batch starts after it.
        var charged = (await bed.ChargesAsync()).Select(c => c.AccountId).Distinct().Count();
        charged.ShouldBeInRange(1, BillingRun.MaxWorkers);
        (await bed.ScalarAsync("SELECT COUNT(*) FROM billing_days WHERE finished_at IS NULL")).ShouldBe(1);
        (await bed.ScalarAsync("SELECT COUNT(*) FROM job_leases WHERE holder = 'other-instance'")).ShouldBe(1);

        // The other instance's lease runs out; the next run completes the day and charges the rest once.
        await bed.ExecuteAsync("DELETE FROM job_leases");
        var rest = await bed.BillAsync(Day);

        rest.LeaseLost.ShouldBeFalse();
        rest.Days.ShouldHaveSingleItem().Charges.ShouldBe(2 * (10 - charged));
        (await bed.ChargesAsync()).Count.ShouldBe(20);
        (await Verifier(bed).VerifyAsync(CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Two_billing_runs_in_one_process_charge_each_day_once()
    {
        await using var bed = await BillingBed.CreateAsync(postgres);
        await AccountsAsync(bed, 10);
        await bed.BillAsync(Day);
        var a = ActivatorUtilities.CreateInstance<BillingRun>(bed.Factory.Services);
        var b = ActivatorUtilities.CreateInstance<BillingRun>(bed.Factory.Services);

        var reports = await Task.WhenAll(
            a.RunUpToAsync(new DateOnly(2024, 3, 3), CancellationToken.None),
            b.RunUpToAsync(new DateOnly(2024, 3, 3), CancellationToken.None));

        reports.ShouldContain(r => !r.Busy);
        reports.Sum(r => r.Days.Sum(d => d.Charges)).ShouldBe(5 * 10 * 2);
        (await bed.ScalarAsync("SELECT COUNT(*) FROM ledger_transactions WHERE kind = 2")).ShouldBe(6 * 10 * 2);
        (await Verifier(bed).VerifyAsync(CancellationToken.None)).ShouldBeEmpty();
    }

    private static LedgerVerifier Verifier(BillingBed bed) => bed.Factory.Services.GetRequiredService<LedgerVerifier>();

    // Accounts each with a daily tariff and a daily service, rich enough never to block.
    private static async Task<List<TestAccount>> AccountsAsync(BillingBed bed, int count)
    {
        var tariff = await bed.TariffAsync(290_029, ChargeMode.Daily);
        var service = await bed.ServiceAsync(15_001, ChargeMode.Daily, chargedWhileFrozen: false);
        var accounts = new List<TestAccount>();
        for (var n = 0; n < count; n++)
        {
            var account = await bed.AccountAsync(tariff, new DateOnly(2024, 1, 1), 10_000_000);
            await bed.AddServiceAsync(account.Id, service, new DateOnly(2024, 1, 1));
            accounts.Add(account);
        }

        return accounts;
    }
}

public sealed class SqliteBillingRepeatTests() : BillingRepeatTests(null);

[Collection("postgres")]
public sealed class PostgresBillingRepeatTests(PostgresFixture postgres) : BillingRepeatTests(postgres);
