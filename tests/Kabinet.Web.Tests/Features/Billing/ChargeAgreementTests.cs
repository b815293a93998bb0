using Kabinet.Domain.Billing;
using Kabinet.Domain.Catalog;
using Kabinet.Domain.Money;
using Kabinet.Web.Features.Ledger;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Kabinet.Web.Tests.Features.Billing;

/// <summary>
/// The set-based SQL of the billing run charges exactly what the domain's ChargeSchedule says, for
/// random accounts over a random range of 2–3 months that crosses month ends and 29 February 2028.
/// </summary>
public abstract class ChargeAgreementTests(PostgresFixture? postgres)
{
    private sealed record Expectation(TestAccount Account, ChargeSchedule Schedule, string Story);

    [Theory]
    [InlineData(20280229)]
    [InlineData(7)]
    public async Task Billing_run_charges_what_the_schedule_says_on_every_day(int seed)
    {
        var random = new Random(seed);
        var from = new DateOnly(2027, 12, 5).AddDays(random.Next(60));
        var to = from.AddDays(59 + random.Next(31));
        await using var bed = await BillingBed.CreateAsync(postgres);
        // Several batches, side by side on PostgreSQL.
        bed.Run.BatchSize = 7;

        var expectations = new List<Expectation>();
        for (var n = 0; n < 40; n++)
        {
            expectations.Add(await RandomAccountAsync(bed, random, from, to));
        }

        await bed.BillAsync(from);
        // Catch-up in two runs: the second continues from the day after the last finished one.
        await bed.BillAsync(from.AddDays((to.DayNumber - from.DayNumber) / 2));
        await bed.BillAsync(to);

        var actual = (await bed.ChargesAsync()).ToLookup(c => c.AccountId);
        var mismatches = new List<string>();
        foreach (var e in expectations)
        {
            var got = actual[e.Account.Id].ToDictionary(c => (c.Day, c.Item), c => c.Amount);
            var want = new Dictionary<(DateOnly, string), long>();
            for (var day = from; day <= to; day = day.AddDays(1))
            {
                foreach (var charge in e.Schedule.ChargesOn(day))
                {
                    want[(day, charge.Key)] = charge.Amount.Kopecks;
                }
            }

            foreach (var key in want.Keys.Union(got.Keys).Order())
            {
                var w = want.GetValueOrDefault(key);
                var g = got.GetValueOrDefault(key);
                if (w != g)
                {
                    mismatches.Add($"account {e.Account.Id} ({e.Story}) {key.Item1:yyyy-MM-dd} {key.Item2}: schedule {w}, journal {g}");
                }
            }
        }

        mismatches.ShouldBeEmpty($"range {from:yyyy-MM-dd}..{to:yyyy-MM-dd}, seed {seed}");
        (await bed.Factory.Services.GetRequiredService<LedgerVerifier>().VerifyAsync(CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Tariff_charges_of_every_full_month_add_up_to_the_fee()
    {
        var random = new Random(31);
        var from = new DateOnly(2027, 12, 31);
        var to = new DateOnly(2028, 3, 1);
        await using var bed = await BillingBed.CreateAsync(postgres);
        var fees = new Dictionary<long, long>();
        for (var n = 0; n < 12; n++)
        {
            var fee = 1 + random.NextInt64(500_000);
            var account = await bed.AccountAsync(await bed.TariffAsync(fee, n % 2 == 0 ? ChargeMode.Daily : ChargeMode.MonthlyInAdvance), from.AddDays(-40), 100_000_000);
            fees[account.Id] = fee;
        }

        await bed.BillRangeAsync(from, to);

        var charges = await bed.ChargesAsync();
        foreach (var (accountId, fee) in fees)
        {
            foreach (var month in new[] { new DateOnly(2028, 1, 1), new DateOnly(2028, 2, 1) })
            {
                charges.Where(c => c.AccountId == accountId && c.Item == ChargeSchedule.TariffKey && c.Day.Year == month.Year && c.Day.Month == month.Month)
                    .Sum(c => c.Amount).ShouldBe(fee, $"account {accountId}, {month:yyyy-MM}");
            }
        }
    }

    private static async Task<Expectation> RandomAccountAsync(BillingBed bed, Random random, DateOnly from, DateOnly to)
    {
        var span = to.DayNumber - from.DayNumber;
        var mode = random.Next(2) == 0 ? ChargeMode.Daily : ChargeMode.MonthlyInAdvance;
        // Odd kopecks, so the daily remainder rule matters; now and then a fee under a kopeck a day.
        var fee = random.Next(8) == 0 ? random.NextInt64(1, 40) : random.NextInt64(10_000, 300_000);
        // Most accounts are older than the range; some start inside it (catch-up must not charge before).
        var since = random.Next(4) == 0 ? from.AddDays(random.Next(span / 2)) : from.AddDays(-random.Next(1, 90));
        var tariffId = await bed.TariffAsync(fee, mode);
        var account = await bed.AccountAsync(tariffId, since, 100_000_000);
        var story = $"{mode} {fee} since {since:yyyy-MM-dd}";

        PendingTariffChange? change = null;
        if (random.Next(3) == 0)
        {
            var toMode = random.Next(2) == 0 ? ChargeMode.Daily : ChargeMode.MonthlyInAdvance;
            var toFee = random.NextInt64(10_000, 300_000);
            var pick = since > from ? since : from;
            var effective = pick.AddDays(1 + random.Next(Math.Max(1, to.DayNumber - pick.DayNumber - 1)));
            if (random.Next(2) == 0)
            {
                effective = BillingCalendar.FirstOfNextMonth(effective.AddDays(-1));
            }

            if (effective <= to)
            {
                await bed.TariffChangeAsync(account.Id, tariffId, await bed.TariffAsync(toFee, toMode), effective, effective.Day == 1 ? 2 : 1);
                change = new PendingTariffChange(new Money(toFee), toMode, effective);
                story += $"; change to {toMode} {toFee} on {effective:yyyy-MM-dd}";
            }
        }

        var services = new List<ScheduledService>();
        for (var s = random.Next(3); s > 0; s--)
        {
            var serviceMode = random.Next(2) == 0 ? ChargeMode.Daily : ChargeMode.MonthlyInAdvance;
            var price = random.NextInt64(1_000, 80_000);
            var frozenToo = random.Next(2) == 0;
            var serviceId = await bed.ServiceAsync(price, serviceMode, frozenToo);
            var activeFrom = random.Next(2) == 0 ? since : from.AddDays(random.Next(span));
            DateOnly? activeTo = random.Next(4) == 0 ? activeFrom.AddDays(1 + random.Next(40)) : null;
            await bed.AddServiceAsync(account.Id, serviceId, activeFrom, activeTo);
            services.Add(new ScheduledService(serviceId, new Money(price), serviceMode, activeFrom, activeTo, frozenToo));
            story += $"; service {serviceId} {serviceMode} {price} {activeFrom:yyyy-MM-dd}..{activeTo:yyyy-MM-dd} frozen-too {frozenToo}";
        }

        var freezes = new List<ScheduledFreeze>();
        if (random.Next(2) == 0)
        {
            var start = (since > from ? since : from).AddDays(1 + random.Next(span / 2));
            var end = start.AddDays(random.Next(3, 30));
            var freeDays = random.Next(0, 10);
            var dailyFee = random.Next(3) == 0 ? 0 : random.NextInt64(100, 5_000);
            if (end < to)
            {
                await bed.FreezeAsync(account.Id, start, end, start.AddDays(freeDays), dailyFee);
                freezes.Add(new ScheduledFreeze(start, end, freeDays, new Money(dailyFee)));
                story += $"; freeze {start:yyyy-MM-dd}..{end:yyyy-MM-dd} free {freeDays} fee {dailyFee}";
            }
        }

        var schedule = new ChargeSchedule(new ScheduledTariff(new Money(fee), mode, since), change, services, freezes);
        return new Expectation(account, schedule, story);
    }
}

public sealed class SqliteChargeAgreementTests() : ChargeAgreementTests(null);

[Collection("postgres")]
public sealed class PostgresChargeAgreementTests(PostgresFixture postgres) : ChargeAgreementTests(postgres);
