using System.Globalization;
using Dapper;
using Kabinet.Domain.Ledger;
using Kabinet.Web.Features.Payments;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Kabinet.Web.Tests.Features.Payments;

/// <summary>"Payments in transit" is a ledger account per gateway (M29): each acquirer's money is reconciled on its own.</summary>
public abstract class GatewayTransitTests
{
    private const string Password = "transit-test-1";

    protected abstract Task<KabinetFactory> CreateAsync(IDictionary<string, string?> settings);

    [Fact]
    public async Task A_card_payment_and_its_refund_move_money_through_the_transit_account_of_the_gateway_that_took_it()
    {
        using var app = await CreateAsync(new Dictionary<string, string?>(StringComparer.Ordinal) { ["Kabinet:Gateway:Name"] = "acquirer-b" });
        app.StartRealServer();
        var contract = (100_000_000_000 + 5).ToString(CultureInfo.InvariantCulture);
        var (api, account) = await PaymentFlow.SubscriberAsync(app, contract, Password);
        var sandboxTransit = await BalanceAsync(app, SystemLedgerAccounts.SandboxGatewayTransit);

        var (id, page) = await PaymentFlow.StartAsync(api, account, "500.00");
        await PaymentFlow.PayAsync(app, page, "5555555555554477");
        (await PaymentFlow.GetAsync(api, id)).GetProperty("status").GetString().ShouldBe("succeeded");
        var refunded = await app.Services.GetRequiredService<PaymentRefunds>().RefundAsync(id, "100.00", "Часть", "test:transit", CancellationToken.None);
        refunded.IsSuccess.ShouldBeTrue();

        using var database = app.OpenDatabase();
        await using var connection = await database.OpenAsync();
        var transit = await connection.QuerySingleAsync<(long Id, long Balance)>(
            "SELECT id, balance FROM ledger_accounts WHERE kind = @kind AND name = 'gateway transit: acquirer-b'", new { kind = (int)LedgerAccountKind.GatewayTransit });
        transit.Id.ShouldBeLessThan(SystemLedgerAccounts.FirstSubscriberLedgerAccount);
        transit.Id.ShouldNotBe(SystemLedgerAccounts.SandboxGatewayTransit);
        transit.Balance.ShouldBe(-400_00);
        (await BalanceAsync(app, SystemLedgerAccounts.SandboxGatewayTransit)).ShouldBe(sandboxTransit);
        // Both journal transactions name it on their provider side.
        (await connection.ExecuteScalarAsync<long>(
            """
            SELECT COUNT(*) FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
            WHERE e.ledger_account_id = @id AND (t.idempotency_key LIKE 'payment:acquirer-b:%' OR t.idempotency_key LIKE 'refund:acquirer-b:%')
            """,
            new { id = transit.Id })).ShouldBe(2);
    }

    [Fact]
    public async Task The_first_transit_account_belongs_to_the_sandbox_and_a_second_instance_finds_the_same_account_for_a_gateway()
    {
        using var app = await CreateAsync(new Dictionary<string, string?>(StringComparer.Ordinal));
        _ = app.Services;
        using var database = app.OpenDatabase();
        await using var connection = await database.OpenAsync();
        (await connection.ExecuteScalarAsync<string>("SELECT name FROM ledger_accounts WHERE id = @id", new { id = SystemLedgerAccounts.SandboxGatewayTransit }))
            .ShouldBe("gateway transit: sandbox");

        var first = await new Kabinet.Data.Ledger.GatewayTransitAccounts(database, app.Clock).IdOfAsync("acquirer-c", CancellationToken.None);
        var second = await new Kabinet.Data.Ledger.GatewayTransitAccounts(database, app.Clock).IdOfAsync("acquirer-c", CancellationToken.None);
        var sandbox = await new Kabinet.Data.Ledger.GatewayTransitAccounts(database, app.Clock).IdOfAsync("sandbox", CancellationToken.None);

        second.ShouldBe(first);
        sandbox.ShouldBe(SystemLedgerAccounts.SandboxGatewayTransit);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ledger_accounts WHERE kind = @kind", new { kind = (int)LedgerAccountKind.GatewayTransit })).ShouldBe(2);
    }

    private static async Task<long> BalanceAsync(KabinetFactory app, long ledgerAccount)
    {
        using var database = app.OpenDatabase();
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT balance FROM ledger_accounts WHERE id = @ledgerAccount", new { ledgerAccount });
    }
}

public sealed class SqliteGatewayTransitTests : GatewayTransitTests
{
    protected override Task<KabinetFactory> CreateAsync(IDictionary<string, string?> settings) => Task.FromResult(KabinetFactory.Sqlite(settings));
}

[Collection("postgres")]
public sealed class PostgresGatewayTransitTests(PostgresFixture postgres) : GatewayTransitTests
{
    protected override Task<KabinetFactory> CreateAsync(IDictionary<string, string?> settings) => KabinetFactory.PostgresAsync(postgres, settings);
}
