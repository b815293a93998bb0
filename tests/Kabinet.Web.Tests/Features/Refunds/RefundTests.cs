using System.Globalization;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Web.Cli;
using Kabinet.Web.Features.Ledger;
using Kabinet.Web.Features.Payments;
using Kabinet.Web.Tests.Features.Payments;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Kabinet.Web.Tests.Features.Refunds;

/// <summary>Staff refunds through the gateway with a reversing journal transaction (M25), on both engines.</summary>
public abstract class RefundTests(KabinetFactory factory)
{
    private const string Password = "refund-test-1";

    [Fact]
    public async Task A_full_refund_goes_through_the_gateway_and_reverses_the_credit_in_the_journal()
    {
        var (account, payment) = await PaidAsync(2, "500.00");
        var before = await PaymentFlow.BalanceAsync(factory, account);

        var result = await Refunds.RefundAsync(payment, null, "Ошибочный платёж", "test:refund", CancellationToken.None);

        result.IsSuccess.ShouldBeTrue(result.Error?.Code);
        result.Value.Amount.Kopecks.ShouldBe(500_00);
        result.Value.Left.Kopecks.ShouldBe(0);
        result.Value.Repeated.ShouldBeFalse();
        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before - 500_00);
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        var reversal = await connection.QuerySingleAsync<(long Kind, long AccountId)>(
            "SELECT CAST(kind AS BIGINT), CAST(account_id AS BIGINT) FROM ledger_transactions WHERE idempotency_key = @key", new { key = "refund:sandbox:" + result.Value.RefundId });
        reversal.Kind.ShouldBe(4);
        reversal.AccountId.ShouldBe(account);
        using (var sandbox = factory.OpenSandboxDatabase())
        {
            await using var bank = await sandbox.OpenAsync();
            (await bank.ExecuteScalarAsync<long>(
                "SELECT refunded FROM sandbox_payments WHERE id = @id", new { id = await PaymentFlow.GatewayIdAsync(factory, payment) })).ShouldBe(500_00);
        }

        (await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM audit_log WHERE actor = 'test:refund' AND action = 'payment.refund' AND subject = @subject", new { subject = "payment:" + payment })).ShouldBe(1);
        await JournalBalancedAsync();
    }

    [Fact]
    public async Task Partial_refunds_add_up_to_the_payment_and_no_further()
    {
        var (account, payment) = await PaidAsync(3, "500.00");
        var before = await PaymentFlow.BalanceAsync(factory, account);

        (await Refunds.RefundAsync(payment, "200.00", "Часть 1", "test:refund", CancellationToken.None)).Value.Left.Kopecks.ShouldBe(300_00);
        var over = await Refunds.RefundAsync(payment, "300.01", "Часть 2", "test:refund", CancellationToken.None);
        over.Error!.Code.ShouldBe("refund.amount_exceeds");
        over.Error.Args!["left"].ShouldBe("300.00");
        (await Refunds.RefundAsync(payment, "300.00", "Часть 2", "test:refund", CancellationToken.None)).Value.Left.Kopecks.ShouldBe(0);
        (await Refunds.RefundAsync(payment, "0.01", "Часть 3", "test:refund", CancellationToken.None)).Error!.Code.ShouldBe("refund.nothing_left");

        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before - 500_00);
        (await RefundRowsAsync(payment)).ShouldBe(2);
        await JournalBalancedAsync();
    }

    [Fact]
    public async Task More_than_the_payment_is_refused_and_nothing_moves()
    {
        var (account, payment) = await PaidAsync(4, "500.00");
        var before = await PaymentFlow.BalanceAsync(factory, account);

        var result = await Refunds.RefundAsync(payment, "500.01", "Слишком много", "test:refund", CancellationToken.None);

        result.Error!.Code.ShouldBe("refund.amount_exceeds");
        result.Error.Field.ShouldBe("amount");
        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before);
        (await RefundRowsAsync(payment)).ShouldBe(0);
    }

    [Fact]
    public async Task The_same_refund_request_repeated_and_sent_five_times_at_once_refunds_once()
    {
        var (account, payment) = await PaidAsync(5, "500.00");
        var before = await PaymentFlow.BalanceAsync(factory, account);

        var first = await Refunds.RefundAsync(payment, "150.00", "Повтор", "test:refund", CancellationToken.None);
        var again = await Refunds.RefundAsync(payment, "150.00", "Повтор", "test:refund", CancellationToken.None);
        var burst = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Refunds.RefundAsync(payment, "100.00", "Пачка", "test:refund", CancellationToken.None)));

        first.Value.Repeated.ShouldBeFalse();
        again.Value.Repeated.ShouldBeTrue();
        again.Value.RefundId.ShouldBe(first.Value.RefundId);
        burst.ShouldAllBe(r => r.IsSuccess);
        burst.Select(r => r.Value.RefundId).Distinct().Count().ShouldBe(1);
        (await RefundRowsAsync(payment)).ShouldBe(2);
        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before - 250_00);
        await JournalBalancedAsync();
    }

    [Theory]
    [InlineData("0.00", "Причина", "refund.amount_invalid")]
    [InlineData("-10.00", "Причина", "refund.amount_invalid")]
    [InlineData("10.005", "Причина", "refund.amount_invalid")]
    [InlineData("10.001", "Причина", "refund.amount_invalid")]
    [InlineData("abc", "Причина", "refund.amount_invalid")]
    [InlineData("10.00", "", "refund.reason_required")]
    [InlineData("10.00", null, "refund.reason_required")]
    public async Task Bad_input_is_refused_and_nothing_moves(string amount, string? reason, string code)
    {
        var (account, payment) = await PaidAsync(6, "100.00");
        var before = await PaymentFlow.BalanceAsync(factory, account);

        (await Refunds.RefundAsync(payment, amount, reason, "test:refund", CancellationToken.None)).Error!.Code.ShouldBe(code);

        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before);
        (await RefundRowsAsync(payment)).ShouldBe(0);
    }

    [Fact]
    public async Task A_payment_that_did_not_succeed_or_does_not_exist_is_refused()
    {
        await factory.SetPasswordAsync(Contract(7), Password);
        var account = (await factory.AccountsOfAsync(Contract(7)))[0].Id;
        var api = await factory.ApiClientAsync(Contract(7), Password);
        var (pending, _) = await PaymentFlow.StartAsync(api, account, "100.00");
        var (declined, page) = await PaymentFlow.StartAsync(api, account, "100.00");
        await PaymentFlow.PayAsync(factory, page, "4000000000000051");

        (await Refunds.RefundAsync(pending, null, "Причина", "test:refund", CancellationToken.None)).Error!.Code.ShouldBe("refund.not_succeeded");
        (await Refunds.RefundAsync(declined, null, "Причина", "test:refund", CancellationToken.None)).Error!.Code.ShouldBe("refund.not_succeeded");
        (await Refunds.RefundAsync("no-such-payment", null, "Причина", "test:refund", CancellationToken.None)).Error!.Code.ShouldBe("refund.payment_not_found");
    }

    [Fact]
    public async Task The_refund_command_refunds_and_exits_non_zero_with_a_message_on_bad_input()
    {
        var (account, payment) = await PaidAsync(8, "300.00");
        var before = await PaymentFlow.BalanceAsync(factory, account);
        var server = factory.ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority);
        string[] Args(params string[] verbArgs) => factory.VerbArguments(
        [
            .. verbArgs,
            "--Kabinet:Gateway:BaseUrl=" + server + "/sandbox-acquirer/v3/",
            // The gateway is the demo server's sandbox acquirer, which exists only in demo mode.
            "--Kabinet:Demo=true",
        ]);

        (await Verbs.RunAsync("refund", Args("--payment", payment, "--amount", "100.00"))).ShouldBe(2);
        (await Verbs.RunAsync("refund", Args("--payment", payment, "--amount", "1.005", "--reason", "CLI"))).ShouldBe(2);
        (await Verbs.RunAsync("refund", Args("--payment", payment, "--amount", "300.01", "--reason", "CLI"))).ShouldBe(2);
        (await Verbs.RunAsync("refund", Args("--amount", "100.00", "--reason", "CLI"))).ShouldBe(2);
        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before);

        (await Verbs.RunAsync("refund", Args("--payment", payment, "--amount", "100.00", "--reason", "CLI"))).ShouldBe(0);
        (await Verbs.RunAsync("refund", Args("--payment", payment, "--amount", "100.00", "--reason", "CLI"))).ShouldBe(0);

        (await PaymentFlow.BalanceAsync(factory, account)).ShouldBe(before - 100_00);
        (await RefundRowsAsync(payment)).ShouldBe(1);
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE actor = 'cli:refund'")).ShouldBe(1);
    }

    private PaymentRefunds Refunds => factory.Services.GetRequiredService<PaymentRefunds>();

    private static string Contract(int n) => (100_000_000_000 + n).ToString(CultureInfo.InvariantCulture);

    // A subscriber's card payment that succeeded; returns the account and the payment's public id.
    private async Task<(long Account, string Payment)> PaidAsync(int n, string amount)
    {
        await factory.SetPasswordAsync(Contract(n), Password);
        var account = (await factory.AccountsOfAsync(Contract(n)))[0].Id;
        var api = await factory.ApiClientAsync(Contract(n), Password);
        var (id, page) = await PaymentFlow.StartAsync(api, account, amount);
        await PaymentFlow.PayAsync(factory, page, "5555555555554477");
        (await PaymentFlow.GetAsync(api, id)).GetProperty("status").GetString().ShouldBe("succeeded");
        return (account, id);
    }

    private async Task<long> RefundRowsAsync(string payment)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE p.public_id = @payment", new { payment });
    }

    private async Task JournalBalancedAsync() =>
        (await factory.Services.GetRequiredService<LedgerVerifier>().VerifyAsync(CancellationToken.None)).ShouldBeEmpty();
}

public sealed class SqliteRefundTests(LiveSqlitePayments app) : RefundTests(app.Factory), IClassFixture<LiveSqlitePayments>;

[Collection("postgres")]
public sealed class PostgresRefundTests(LivePostgresPayments app) : RefundTests(app.Factory), IClassFixture<LivePostgresPayments>;
