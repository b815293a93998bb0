using Kabinet.Domain.Billing;
using Kabinet.Domain.Money;
using Kabinet.Web.Features.Billing;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Kabinet.Web.Tests.Features.Billing;

/// <summary>
/// The promised-payment and freeze rules have one home, the billing_rules row: what a fresh database
/// holds is what the product uses until the operator edits it (M9, M13).
/// </summary>
public abstract class BillingRulesDefaultsTests(PostgresFixture? postgres)
{
    [Fact]
    public async Task A_fresh_database_holds_the_product_defaults_and_the_product_reads_them()
    {
        await using var bed = await BillingBed.CreateAsync(postgres);
        var store = bed.Factory.Services.GetRequiredService<BillingRulesStore>();

        (await store.PromisedAsync(CancellationToken.None)).ShouldBe(new PromisedPaymentRules
        {
            // Up to a month's fee, for 5 days, once in 30 days, on an account 30 days old, with a debt of up to 500 RUB.
            MaxAmount = null, TermDays = 5, MinIntervalDays = 30, MaxDebt = Money.FromRoubles(500), MinAccountAgeDays = 30,
        });
        (await store.FreezeAsync(CancellationToken.None)).ShouldBe(new FreezeRules
        {
            MinDays = 7, MaxDays = 90, DaysPerYear = 90, FreeDaysPerYear = 30, DailyFee = Money.FromRoubles(10), MaxDaysAhead = 60,
        });

        // An operator's edit is what the product uses next.
        await bed.ExecuteAsync("UPDATE billing_rules SET promised_max_debt = 0, freeze_min_days = 3 WHERE id = 1");
        (await store.PromisedAsync(CancellationToken.None)).MaxDebt.ShouldBe(Money.Zero);
        (await store.FreezeAsync(CancellationToken.None)).MinDays.ShouldBe(3);
    }
}

public sealed class SqliteBillingRulesDefaultsTests() : BillingRulesDefaultsTests(null);

[Collection("postgres")]
public sealed class PostgresBillingRulesDefaultsTests(PostgresFixture postgres) : BillingRulesDefaultsTests(postgres);
