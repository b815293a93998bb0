using Kabinet.Domain.Catalog;
using Kabinet.Domain.Subscribers;
using Kabinet.Web.Tests.Infrastructure;

namespace Kabinet.Web.Tests.Features.Billing;

/// <summary>Blocking and unblocking follow balance and threshold, with an outbox event each time (M31).</summary>
public abstract class BlockingTests(PostgresFixture? postgres)
{
    [Fact]
    public async Task Account_charged_below_its_threshold_blocks_and_a_payment_unblocks_it_at_once()
    {
        await using var bed = await BillingBed.CreateAsync(postgres);
        var account = await bed.AccountAsync(await bed.TariffAsync(310_000, ChargeMode.Daily), new DateOnly(2028, 1, 1), 15_000);
        var bystander = await bed.AccountAsync(await bed.TariffAsync(310_000, ChargeMode.Daily), new DateOnly(2028, 1, 1), 1_000_000);

        await bed.BillAsync(new DateOnly(2028, 1, 10));
        (await bed.StatusAsync(account.Id)).ShouldBe(AccountStatus.Active);
        await bed.BillAsync(new DateOnly(2028, 1, 11));

        (await bed.BalanceAsync(account.LedgerAccountId)).ShouldBe(-5_000);
        (await bed.StatusAsync(account.Id)).ShouldBe(AccountStatus.Blocked);
        (await bed.EventsAsync(account.Id)).ShouldBe(["blocked"]);
        (await bed.StatusAsync(bystander.Id)).ShouldBe(AccountStatus.Active);
        (await bed.EventsAsync(bystander.Id)).ShouldBeEmpty();

        // Blocked: no daily charge while it stays so.
        await bed.BillAsync(new DateOnly(2028, 1, 12));
        (await bed.ChargesAsync()).Count(c => c.AccountId == account.Id).ShouldBe(2);

        (await bed.PayAsync(account, 4_000, "pay:short")).ShouldBe(AccountStatus.Blocked);
        (await bed.EventsAsync(account.Id)).ShouldBe(["blocked"]);
        (await bed.PayAsync(account, 1_000, "pay:enough")).ShouldBe(AccountStatus.Active);
        (await bed.StatusAsync(account.Id)).ShouldBe(AccountStatus.Active);
        (await bed.EventsAsync(account.Id)).ShouldBe(["blocked", "unblocked"]);

        // Active again with a zero balance: the next day's charge blocks it once more.
        await bed.BillAsync(new DateOnly(2028, 1, 13));
        (await bed.StatusAsync(account.Id)).ShouldBe(AccountStatus.Blocked);
        (await bed.EventsAsync(account.Id)).ShouldBe(["blocked", "unblocked", "blocked"]);
    }

    [Fact]
    public async Task Account_with_a_credit_limit_stays_active_until_it_is_used_up()
    {
        await using var bed = await BillingBed.CreateAsync(postgres);
        var account = await bed.AccountAsync(await bed.TariffAsync(310_000, ChargeMode.Daily), new DateOnly(2028, 1, 1), 0, threshold: -25_000);

        await bed.BillRangeAsync(new DateOnly(2028, 1, 1), new DateOnly(2028, 1, 2));
        (await bed.StatusAsync(account.Id)).ShouldBe(AccountStatus.Active);
        await bed.BillAsync(new DateOnly(2028, 1, 3));

        (await bed.BalanceAsync(account.LedgerAccountId)).ShouldBe(-30_000);
        (await bed.StatusAsync(account.Id)).ShouldBe(AccountStatus.Blocked);
        (await bed.PayAsync(account, 5_000, "pay:limit")).ShouldBe(AccountStatus.Active);
        (await bed.EventsAsync(account.Id)).ShouldBe(["blocked", "unblocked"]);
    }

    [Fact]
    public async Task Frozen_account_below_its_threshold_is_left_frozen_and_blocks_when_the_freeze_ends()
    {
        await using var bed = await BillingBed.CreateAsync(postgres);
        var account = await bed.AccountAsync(await bed.TariffAsync(310_000, ChargeMode.Daily), new DateOnly(2028, 1, 1), 1_000);
        await bed.FreezeAsync(account.Id, new DateOnly(2028, 1, 2), new DateOnly(2028, 1, 4), new DateOnly(2028, 1, 2), 2_000);

        await bed.BillRangeAsync(new DateOnly(2028, 1, 1), new DateOnly(2028, 1, 4));
        (await bed.BalanceAsync(account.LedgerAccountId)).ShouldBe(1_000 - 10_000 - (3 * 2_000));
        (await bed.StatusAsync(account.Id)).ShouldBe(AccountStatus.Frozen);

        await bed.BillAsync(new DateOnly(2028, 1, 5));
        (await bed.StatusAsync(account.Id)).ShouldBe(AccountStatus.Blocked);
        (await bed.EventsAsync(account.Id)).ShouldBe(["blocked", "frozen", "unfrozen", "blocked"]);
    }
}

public sealed class SqliteBlockingTests() : BlockingTests(null);

[Collection("postgres")]
public sealed class PostgresBlockingTests(PostgresFixture postgres) : BlockingTests(postgres);
