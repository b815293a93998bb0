using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Domain.Billing;
using Kabinet.Domain.Catalog;
using Kabinet.Domain.Ledger;
using Kabinet.Domain.Money;
using Kabinet.Domain.Subscribers;
using Kabinet.Web.Hosting;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Kabinet.Web.Tests.Features.Billing;

/// <summary>Charging across month ends, a leap year, the operator's day boundary, tariff changes, freezes and promised payments (M30, M9, M11, M13).</summary>
public abstract class BillingCalendarTests(PostgresFixture? postgres)
{
    private const long Rich = 100_000_000;

    [Fact]
    public async Task Daily_fee_adds_up_in_January_and_in_leap_February_and_monthly_fee_comes_on_each_1st()
    {
        await using var bed = await BillingBed.CreateAsync(postgres);
        const long fee = 1_234_567; // 12 345.67 ₽: neither 31 nor 29 divides it
        var daily = await bed.AccountAsync(await bed.TariffAsync(fee, ChargeMode.Daily), new DateOnly(2027, 11, 1), Rich);
        var monthly = await bed.AccountAsync(await bed.TariffAsync(fee, ChargeMode.MonthlyInAdvance), new DateOnly(2027, 11, 1), Rich);

        await bed.BillRangeAsync(new DateOnly(2027, 12, 31), new DateOnly(2028, 3, 1));

        var charges = await bed.ChargesAsync();
        var days = charges.Where(c => c.AccountId == daily.Id).ToDictionary(c => c.Day, c => c.Amount);
        days.Keys.Order().ShouldBe(Enumerable.Range(0, 62).Select(i => new DateOnly(2027, 12, 31).AddDays(i)));
        days.Where(d => d.Key.Month == 1).Sum(d => d.Value).ShouldBe(fee);
        days.Where(d => d.Key.Month == 2).Sum(d => d.Value).ShouldBe(fee);
        days[new DateOnly(2028, 2, 29)].ShouldBe(DailyCharge.ForDay(new Money(fee), new DateOnly(2028, 2, 29)).Kopecks);
        days[new DateOnly(2028, 2, 29)].ShouldBe(fee / 29);
        days[new DateOnly(2028, 1, 1)].ShouldBe((fee / 31) + 1);
        days[new DateOnly(2027, 12, 31)].ShouldBe(fee / 31);
        charges.Where(c => c.AccountId == monthly.Id).Select(c => (c.Day, c.Amount)).Order().ShouldBe(
            [(new DateOnly(2028, 1, 1), fee), (new DateOnly(2028, 2, 1), fee), (new DateOnly(2028, 3, 1), fee)]);
    }

    [Fact]
    public async Task Billing_day_turns_at_local_midnight_and_charges_are_dated_then()
    {
        await using var bed = await BillingBed.CreateAsync(postgres);
        var clock = bed.Factory.Services.GetRequiredService<OperatorClock>();
        clock.Zone.Id.ShouldBe("Asia/Novosibirsk");

        bed.Factory.Clock.Set(new DateTimeOffset(2028, 2, 28, 16, 59, 59, TimeSpan.Zero));
        clock.Today.ShouldBe(new DateOnly(2028, 2, 28));
        bed.Factory.Clock.Set(new DateTimeOffset(2028, 2, 28, 17, 30, 0, TimeSpan.Zero));
        clock.Today.ShouldBe(new DateOnly(2028, 2, 29));
        bed.Factory.Clock.Set(new DateTimeOffset(2028, 2, 29, 17, 0, 0, TimeSpan.Zero));
        clock.Today.ShouldBe(new DateOnly(2028, 3, 1));

        var account = await bed.AccountAsync(await bed.TariffAsync(290_000, ChargeMode.Daily), new DateOnly(2028, 1, 1), Rich);
        bed.Factory.Clock.Set(new DateTimeOffset(2028, 2, 28, 17, 30, 0, TimeSpan.Zero));
        await bed.BillAsync(clock.Today);

        var charge = (await bed.ChargesAsync()).ShouldHaveSingleItem();
        charge.ShouldBe(new JournalCharge(account.Id, "tariff", new DateOnly(2028, 2, 29), 10_000));
        await using var connection = await bed.Database.OpenAsync();
        var occurredAt = TypeHandlers.ReadInstant((await connection.ExecuteScalarAsync<object>(
            "SELECT occurred_at FROM ledger_transactions WHERE idempotency_key = @key",
            new { key = $"charge:2028-02-29:{account.Id}:tariff" }))!);
        // Midnight of 29 February in Novosibirsk (UTC+7) is 17:00 UTC on the 28th.
        occurredAt.ShouldBe(new DateTimeOffset(2028, 2, 28, 17, 0, 0, TimeSpan.Zero));
        clock.ToLocal(occurredAt).ShouldBe(new DateTimeOffset(2028, 2, 29, 0, 0, 0, TimeSpan.FromHours(7)));
    }

    [Fact]
    public async Task Tariff_change_from_tomorrow_is_applied_by_the_run_of_that_day_and_charges_the_new_fee()
    {
        await using var bed = await BillingBed.CreateAsync(postgres);
        var oldTariff = await bed.TariffAsync(310_000, ChargeMode.Daily);
        var newTariff = await bed.TariffAsync(620_000, ChargeMode.Daily);
        var account = await bed.AccountAsync(oldTariff, new DateOnly(2028, 1, 1), Rich);
        var change = await bed.TariffChangeAsync(account.Id, oldTariff, newTariff, new DateOnly(2028, 1, 16), 1);

        await bed.BillAsync(new DateOnly(2028, 1, 15));
        (await bed.ScalarAsync("SELECT status FROM tariff_changes WHERE id = @change", new { change })).ShouldBe(1);
        (await bed.EventsAsync(account.Id)).ShouldNotContain("tariff_changed");

        await bed.BillAsync(new DateOnly(2028, 1, 17));

        (await bed.ScalarAsync("SELECT status FROM tariff_changes WHERE id = @change", new { change })).ShouldBe(2);
        (await bed.ScalarAsync("SELECT tariff_id FROM accounts WHERE id = @id", new { id = account.Id })).ShouldBe(newTariff);
        (await bed.EventsAsync(account.Id)).ShouldBe(["tariff_changed"]);
        (await bed.ChargesAsync()).Select(c => (c.Day, c.Amount)).Order().ShouldBe(
            [(new DateOnly(2028, 1, 15), 10_000), (new DateOnly(2028, 1, 16), 20_000), (new DateOnly(2028, 1, 17), 20_000)]);
    }

    [Fact]
    public async Task Tariff_change_from_next_month_keeps_the_old_fee_to_the_month_end_then_charges_the_new_one()
    {
        await using var bed = await BillingBed.CreateAsync(postgres);
        var oldTariff = await bed.TariffAsync(310_000, ChargeMode.Daily);
        var newTariff = await bed.TariffAsync(750_000, ChargeMode.MonthlyInAdvance);
        var account = await bed.AccountAsync(oldTariff, new DateOnly(2027, 12, 1), Rich);
        await bed.TariffChangeAsync(account.Id, oldTariff, newTariff, new DateOnly(2028, 2, 1), 2);

        await bed.BillRangeAsync(new DateOnly(2028, 1, 30), new DateOnly(2028, 2, 2));

        (await bed.ChargesAsync()).Select(c => (c.Day, c.Amount)).Order().ShouldBe(
            [(new DateOnly(2028, 1, 30), 10_000), (new DateOnly(2028, 1, 31), 10_000), (new DateOnly(2028, 2, 1), 750_000)]);
        (await bed.ScalarAsync("SELECT tariff_id FROM accounts WHERE id = @id", new { id = account.Id })).ShouldBe(newTariff);
        (await bed.EventsAsync(account.Id)).ShouldBe(["tariff_changed"]);
    }

    [Fact]
    public async Task Change_to_a_monthly_tariff_mid_month_charges_the_prorated_rest_of_the_month_on_its_day()
    {
        await using var bed = await BillingBed.CreateAsync(postgres);
        var oldTariff = await bed.TariffAsync(290_000, ChargeMode.Daily);
        var newTariff = await bed.TariffAsync(290_029, ChargeMode.MonthlyInAdvance);
        var account = await bed.AccountAsync(oldTariff, new DateOnly(2028, 1, 1), Rich);
        await bed.TariffChangeAsync(account.Id, oldTariff, newTariff, new DateOnly(2028, 2, 20), 1);

        await bed.BillRangeAsync(new DateOnly(2028, 2, 19), new DateOnly(2028, 3, 1));

        var charges = await bed.ChargesAsync();
        charges.Single(c => c.Day == new DateOnly(2028, 2, 19)).Amount.ShouldBe(10_000);
        // 20..29 February: ten days of 10 001 kopecks (the 29 spare kopecks go to days 1..29).
        charges.Single(c => c.Day == new DateOnly(2028, 2, 20)).Amount.ShouldBe(100_010);
        charges.Where(c => c.Day > new DateOnly(2028, 2, 20) && c.Day < new DateOnly(2028, 3, 1)).ShouldBeEmpty();
        charges.Single(c => c.Day == new DateOnly(2028, 3, 1)).Amount.ShouldBe(290_029);
    }

    [Fact]
    public async Task Freeze_across_a_month_end_stops_the_tariff_keeps_the_marked_services_and_charges_the_fee_after_the_free_days()
    {
        await using var bed = await BillingBed.CreateAsync(postgres);
        const long fee = 580_000;
        var tariff = await bed.TariffAsync(fee, ChargeMode.MonthlyInAdvance);
        var account = await bed.AccountAsync(tariff, new DateOnly(2027, 12, 1), Rich);
        var tv = await bed.ServiceAsync(31_000, ChargeMode.Daily, chargedWhileFrozen: false);
        var rent = await bed.ServiceAsync(29_000, ChargeMode.Daily, chargedWhileFrozen: true);
        await bed.AddServiceAsync(account.Id, tv, new DateOnly(2027, 12, 1));
        await bed.AddServiceAsync(account.Id, rent, new DateOnly(2027, 12, 1));
        var start = new DateOnly(2028, 1, 28);
        var end = new DateOnly(2028, 2, 5);
        await bed.FreezeAsync(account.Id, start, end, new DateOnly(2028, 2, 3), 1_000);

        await bed.BillAsync(new DateOnly(2028, 1, 27));
        await bed.BillAsync(new DateOnly(2028, 1, 30));
        (await bed.StatusAsync(account.Id)).ShouldBe(AccountStatus.Frozen);
        await bed.BillAsync(new DateOnly(2028, 2, 7));
        (await bed.StatusAsync(account.Id)).ShouldBe(AccountStatus.Active);

        var charges = (await bed.ChargesAsync()).ToLookup(c => c.Item);
        charges["tariff"].Select(c => (c.Day, c.Amount)).ShouldBe(
            [(new DateOnly(2028, 2, 6), DailyCharge.ForDays(new Money(fee), new DateOnly(2028, 2, 6), new DateOnly(2028, 2, 29)).Kopecks)]);
        charges["tariff"].Single().Amount.ShouldBe(24 * 20_000);
        charges["service:" + tv].Select(c => c.Day).Order().ShouldBe([new DateOnly(2028, 1, 27), new DateOnly(2028, 2, 6), new DateOnly(2028, 2, 7)]);
        charges["service:" + rent].Count().ShouldBe(12);
        charges["service:" + rent].Where(c => c.Day.Month == 2).ShouldAllBe(c => c.Amount == 1_000);
        charges["freeze"].Select(c => (c.Day, c.Amount)).Order().ShouldBe(
            [(new DateOnly(2028, 2, 3), 1_000), (new DateOnly(2028, 2, 4), 1_000), (new DateOnly(2028, 2, 5), 1_000)]);
        (await bed.EventsAsync(account.Id)).ShouldBe(["frozen", "unfrozen"]);
    }

    [Fact]
    public async Task Freeze_over_the_1st_ended_early_makes_up_the_monthly_tariff_on_the_first_unfrozen_day()
    {
        await using var bed = await BillingBed.CreateAsync(postgres);
        const long fee = 580_000;
        var account = await bed.AccountAsync(await bed.TariffAsync(fee, ChargeMode.MonthlyInAdvance), new DateOnly(2027, 12, 1), Rich);
        var freeze = await bed.FreezeAsync(account.Id, new DateOnly(2028, 1, 25), new DateOnly(2028, 2, 10), new DateOnly(2028, 2, 10), 0);
        await bed.BillRangeAsync(new DateOnly(2028, 1, 24), new DateOnly(2028, 2, 5));

        // On 5 February, after that day's run, the subscriber ends the freeze as Freezes.EndAsync does:
        // the last frozen day becomes the 4th and the account is active again.
        await bed.ExecuteAsync("UPDATE freezes SET ends_on = @end, status = 2 WHERE id = @freeze", new { end = new DateOnly(2028, 2, 4), freeze });
        await bed.ExecuteAsync("UPDATE accounts SET status = 1 WHERE id = @id", new { id = account.Id });
        await bed.BillAsync(new DateOnly(2028, 2, 7));

        // The schedule makes up February on the first unfrozen day; the run of that day is already
        // past, so the charge must come with the next run rather than never.
        var schedule = new ChargeSchedule(
            new ScheduledTariff(new Money(fee), ChargeMode.MonthlyInAdvance, new DateOnly(2027, 12, 1)),
            freezes: [new ScheduledFreeze(new DateOnly(2028, 1, 25), new DateOnly(2028, 2, 4), 16, Money.Zero)]);
        schedule.ChargesOn(new DateOnly(2028, 2, 5)).ShouldHaveSingleItem().Amount.Kopecks.ShouldBe(25 * 20_000);
        // The run of the 6th makes up the month from the 5th, the first unfrozen day, and only once.
        var february = (await bed.ChargesAsync()).Where(c => c.Day.Month == 2).ToList();
        february.Select(c => (c.Day, c.Amount)).ShouldBe([(new DateOnly(2028, 2, 6), 25 * 20_000L)]);
        await bed.BillAsync(new DateOnly(2028, 2, 20));
        (await bed.ChargesAsync()).Where(c => c.Day.Month == 2).Sum(c => c.Amount).ShouldBe(25 * 20_000L);
    }

    [Fact]
    public async Task Promised_payment_not_repaid_by_its_due_day_is_withdrawn_the_next_day_and_the_account_blocks()
    {
        await using var bed = await BillingBed.CreateAsync(postgres);
        var account = await bed.AccountAsync(await bed.TariffAsync(290_000, ChargeMode.Daily), new DateOnly(2028, 2, 1), 20_000);
        var dueOn = new DateOnly(2028, 3, 2);
        var promised = await bed.PromisedAsync(account, 30_000, new DateOnly(2028, 2, 26), dueOn);

        await bed.BillAsync(new DateOnly(2028, 2, 28));
        await bed.BillAsync(dueOn);
        (await bed.ScalarAsync("SELECT status FROM promised_payments WHERE id = @promised", new { promised })).ShouldBe(1);
        (await bed.StatusAsync(account.Id)).ShouldBe(AccountStatus.Active);
        (await bed.BalanceAsync(account.LedgerAccountId)).ShouldBe(20_000 + 30_000 - 10_000 - 10_000 - 9_355 - 9_355);

        await bed.BillAsync(dueOn.AddDays(1));

        (await bed.ScalarAsync("SELECT status FROM promised_payments WHERE id = @promised", new { promised })).ShouldBe(3);
        (await bed.ScalarAsync("SELECT outstanding FROM promised_payments WHERE id = @promised", new { promised })).ShouldBe(0);
        var key = $"promised-expire:{promised}";
        (await bed.ScalarAsync(
            "SELECT e.amount FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id WHERE t.idempotency_key = @key AND e.ledger_account_id = @la",
            new { key, la = account.LedgerAccountId })).ShouldBe(-30_000);
        (await bed.ScalarAsync(
            "SELECT e.amount FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id WHERE t.idempotency_key = @key AND e.ledger_account_id = @la",
            new { key, la = SystemLedgerAccounts.PromisedCredit })).ShouldBe(30_000);
        (await bed.StatusAsync(account.Id)).ShouldBe(AccountStatus.Blocked);
        (await bed.EventsAsync(account.Id)).ShouldBe(["promised_expired", "blocked"]);
        // Blocked: the daily tariff stops, so the run of that day charged nothing more.
        (await bed.ChargesAsync()).ShouldNotContain(c => c.Day == dueOn.AddDays(1));
        (await bed.BalanceAsync(SystemLedgerAccounts.PromisedCredit)).ShouldBe(0);
    }

    [Fact]
    public async Task Blocked_account_pays_its_monthly_tariff_and_services_on_the_1st_but_not_daily_ones()
    {
        await using var bed = await BillingBed.CreateAsync(postgres);
        var monthly = await bed.AccountAsync(await bed.TariffAsync(50_000, ChargeMode.MonthlyInAdvance), new DateOnly(2028, 1, 1), -100, AccountStatus.Blocked);
        var daily = await bed.AccountAsync(await bed.TariffAsync(31_000, ChargeMode.Daily), new DateOnly(2028, 1, 1), -100, AccountStatus.Blocked);
        var rent = await bed.ServiceAsync(31_000, ChargeMode.MonthlyInAdvance, chargedWhileFrozen: true);
        var tv = await bed.ServiceAsync(29_000, ChargeMode.MonthlyInAdvance, chargedWhileFrozen: false);
        var ip = await bed.ServiceAsync(15_500, ChargeMode.Daily, chargedWhileFrozen: true);
        await bed.AddServiceAsync(monthly.Id, rent, new DateOnly(2028, 1, 1));
        await bed.AddServiceAsync(monthly.Id, tv, new DateOnly(2028, 1, 1));
        await bed.AddServiceAsync(daily.Id, ip, new DateOnly(2028, 1, 1));

        await bed.BillRangeAsync(new DateOnly(2028, 1, 31), new DateOnly(2028, 2, 2));

        // What the forecast's schedule says too: the month paid in advance is owed while blocked.
        (await bed.ChargesAsync()).OrderBy(c => c.Item).ShouldBe(
        [
            new JournalCharge(monthly.Id, "service:" + rent, new DateOnly(2028, 2, 1), 31_000),
            new JournalCharge(monthly.Id, "service:" + tv, new DateOnly(2028, 2, 1), 29_000),
            new JournalCharge(monthly.Id, "tariff", new DateOnly(2028, 2, 1), 50_000),
        ]);
        (await bed.StatusAsync(daily.Id)).ShouldBe(AccountStatus.Blocked);
        (await bed.StatusAsync(monthly.Id)).ShouldBe(AccountStatus.Blocked);
    }
}

public sealed class SqliteBillingCalendarTests() : BillingCalendarTests(null);

[Collection("postgres")]
public sealed class PostgresBillingCalendarTests(PostgresFixture postgres) : BillingCalendarTests(postgres);
