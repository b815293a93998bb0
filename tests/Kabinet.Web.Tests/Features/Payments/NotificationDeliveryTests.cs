using System.Globalization;
using System.Net;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Web.Features.Payments;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kabinet.Web.Tests.Features.Payments;

/// <summary>
/// The sandbox acquirer's bad days, end to end over real HTTP (issue 4): its own notifications
/// lost, repeated a hundred times at once, stale after the success, late; and the database failing
/// the credit after the bank said yes, then a restart. Each test runs its own Kabinet, set up the
/// way that day needs, so the payer's own path (hosted page, then the sandbox's notifications) is
/// the one that races, not copies posted by the test afterwards.
/// </summary>
public abstract class NotificationDeliveryTests
{
    private const string Password = "delivery-test-1";
    private const string Card = "5555555555554477";

    /// <summary>A Kabinet over a new database with these settings, not started yet.</summary>
    protected abstract Task<KabinetFactory> CreateAsync(IDictionary<string, string?> settings);

    /// <summary>The same, started (migrated, demo data) and served on a real port.</summary>
    private async Task<KabinetFactory> StartAsync(IDictionary<string, string?> settings)
    {
        var app = await CreateAsync(settings);
        app.StartRealServer();
        return app;
    }

    [Fact]
    public async Task Notifications_the_sandbox_never_sends_are_made_up_by_the_reconciliation_job_once()
    {
        using var app = await StartAsync(Sandbox(("FailNotifications", "true")));
        var (api, account) = await PaymentFlow.SubscriberAsync(app, Contract(5), Password);
        var before = await PaymentFlow.BalanceAsync(app, account);
        var (id, page) = await PaymentFlow.StartAsync(api, account, "310.00");

        // The payer pays and does not come back to the result page; no notification arrives.
        await PaymentFlow.PayAsync(app, page, Card);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        (await StatusAsync(app, id)).ShouldBe(PaymentStatus.Pending);
        (await PaymentFlow.BalanceAsync(app, account)).ShouldBe(before);

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var job = Reconciliation(app);
        await job.RunOnceAsync(CancellationToken.None);
        await job.RunOnceAsync(CancellationToken.None);

        (await StatusAsync(app, id)).ShouldBe(PaymentStatus.Succeeded);
        (await PaymentFlow.CreditsAsync(app, await PaymentFlow.GatewayIdAsync(app, id))).ShouldBe(1);
        (await PaymentFlow.BalanceAsync(app, account)).ShouldBe(before + 310_00);
    }

    [Fact]
    public async Task A_hundred_copies_of_the_sandboxs_notification_sent_at_once_credit_once()
    {
        await using var relay = await GatewayProxy.StartAsync();
        using var app = await StartAsync(Sandbox(("NotificationCopies", "100"), ("NotificationUrl", Notifications(relay))));
        relay.ForwardTo(app.ClientOptions.BaseAddress);
        var (api, account) = await PaymentFlow.SubscriberAsync(app, Contract(6), Password);
        var before = await PaymentFlow.BalanceAsync(app, account);
        var (id, page) = await PaymentFlow.StartAsync(api, account, "320.00");

        // Only the sandbox's hundred copies report the success: the test reads the database, never the
        // API (which would ask the gateway itself), and the payer does not come back to the result page.
        await PaymentFlow.PayAsync(app, page, Card);
        await relay.WaitForAnswersAsync("POST", NotificationPath, 100);

        relay.AnswersTo("POST", NotificationPath).ShouldAllBe(a => a == (int)HttpStatusCode.OK);
        (await StatusAsync(app, id)).ShouldBe(PaymentStatus.Succeeded);

        (await PaymentFlow.CreditsAsync(app, await PaymentFlow.GatewayIdAsync(app, id))).ShouldBe(1);
        (await PaymentFlow.BalanceAsync(app, account)).ShouldBe(before + 320_00);
        (await NotifiedAtAsync(app, id)).ShouldNotBeNull("the credit came from a notification");
    }

    [Fact]
    public async Task A_stale_pending_notification_after_the_success_changes_nothing()
    {
        await using var relay = await GatewayProxy.StartAsync();
        using var app = await StartAsync(Sandbox(("NotificationCopies", "3"), ("OutOfOrder", "true"), ("NotificationUrl", Notifications(relay))));
        relay.ForwardTo(app.ClientOptions.BaseAddress);
        var (api, account) = await PaymentFlow.SubscriberAsync(app, Contract(7), Password);
        var before = await PaymentFlow.BalanceAsync(app, account);
        var (id, page) = await PaymentFlow.StartAsync(api, account, "330.00");

        await PaymentFlow.PayAsync(app, page, Card);
        // Three copies of "succeeded", then the stale "waiting_for_capture" with status pending.
        await relay.WaitForAnswersAsync("POST", NotificationPath, 4);

        relay.AnswersTo("POST", NotificationPath).ShouldAllBe(a => a == (int)HttpStatusCode.OK);
        (await StatusAsync(app, id)).ShouldBe(PaymentStatus.Succeeded);
        (await PaymentFlow.CreditsAsync(app, await PaymentFlow.GatewayIdAsync(app, id))).ShouldBe(1);
        (await PaymentFlow.BalanceAsync(app, account)).ShouldBe(before + 330_00);
    }

    [Fact]
    public async Task A_late_notification_finds_the_payment_already_credited_by_the_result_page()
    {
        await using var relay = await GatewayProxy.StartAsync();
        using var app = await StartAsync(Sandbox(("NotificationDelayMs", "1500"), ("NotificationUrl", Notifications(relay))));
        relay.ForwardTo(app.ClientOptions.BaseAddress);
        var (api, account) = await PaymentFlow.SubscriberAsync(app, Contract(8), Password);
        var before = await PaymentFlow.BalanceAsync(app, account);
        var (id, page) = await PaymentFlow.StartAsync(api, account, "340.00");

        var back = await PaymentFlow.PayAsync(app, page, Card);
        // The payer is back before the notification: the result page asks the gateway and credits.
        using var browser = PaymentFlow.RealBrowser(page);
        (await browser.PageAsync(back!.PathAndQuery)).ShouldContain("data-status=\"succeeded\"");
        (await NotifiedAtAsync(app, id)).ShouldBeNull();
        relay.AnswersTo("POST", NotificationPath).ShouldBeEmpty("the notification is still on its way");
        await relay.WaitForAnswersAsync("POST", NotificationPath, 1);

        (await NotifiedAtAsync(app, id)).ShouldBeNull("the late notification found the credit done and changed nothing");
        (await PaymentFlow.CreditsAsync(app, await PaymentFlow.GatewayIdAsync(app, id))).ShouldBe(1);
        (await PaymentFlow.BalanceAsync(app, account)).ShouldBe(before + 340_00);
    }

    [Fact]
    public async Task When_the_database_fails_the_credit_after_the_banks_yes_nothing_is_half_written_and_after_a_restart_reconciliation_credits_once()
    {
        // The database and the sandbox's file outlive the two Kabinet processes below.
        await using var relay = await GatewayProxy.StartAsync();
        using var store = await CreateAsync(Sandbox(("NotificationUrl", Notifications(relay))));
        long account, before, journal;
        string id;
        var first = store.Restarted();
        try
        {
            relay.ForwardTo(first.StartRealServer());
            HttpClient api;
            (api, account) = await PaymentFlow.SubscriberAsync(first, Contract(9), Password);
            before = await PaymentFlow.BalanceAsync(store, account);
            journal = await JournalCountAsync(store);
            Uri page;
            (id, page) = await PaymentFlow.StartAsync(api, account, "350.00");
            await FailCreditsAsync(store, fail: true);

            // The bank says yes; its notification reaches Kabinet, whose credit the database refuses.
            var back = await PaymentFlow.PayAsync(first, page, Card);
            await relay.WaitForAnswersAsync("POST", NotificationPath, 1);
            using (var browser = PaymentFlow.RealBrowser(page))
            {
                // The payer's return asks the gateway too, and fails the same way: no credit, no 500 page.
                using var result = await browser.GetAsync(back!.PathAndQuery);
                ((int)result.StatusCode).ShouldBeLessThan(500);
            }

            (await StatusAsync(store, id)).ShouldBe(PaymentStatus.Pending);
            (await PaymentFlow.BalanceAsync(store, account)).ShouldBe(before);
            (await JournalCountAsync(store)).ShouldBe(journal, "nothing of the failed credit is left in the journal");
        }
        finally
        {
            // The first process stops; the database is healthy again.
            first.Dispose();
            await FailCreditsAsync(store, fail: false);
        }

        // A new process over the same database reconciles what the first could not credit.
        using var second = store.Restarted();
        second.StartRealServer();
        second.Clock.Advance(TimeSpan.FromMinutes(1));
        var job = Reconciliation(second);
        await job.RunOnceAsync(CancellationToken.None);
        await job.RunOnceAsync(CancellationToken.None);

        (await StatusAsync(store, id)).ShouldBe(PaymentStatus.Succeeded);
        (await PaymentFlow.CreditsAsync(store, await PaymentFlow.GatewayIdAsync(store, id))).ShouldBe(1);
        (await PaymentFlow.BalanceAsync(store, account)).ShouldBe(before + 350_00);
    }

    private const string NotificationPath = "/payments/notifications/yookassa";

    // The sandbox sends its notifications through the proxy, which passes them on to Kabinet and
    // counts Kabinet's answers.
    private static string Notifications(GatewayProxy relay) => new Uri(relay.Address, NotificationPath).ToString();

    private static Dictionary<string, string?> Sandbox(params (string Key, string Value)[] settings) =>
        settings.ToDictionary(s => "Kabinet:Sandbox:" + s.Key, s => (string?)s.Value, StringComparer.Ordinal);

    private static string Contract(int n) => (100_000_000_000 + n).ToString(CultureInfo.InvariantCulture);

    private static PaymentReconciliationJob Reconciliation(KabinetFactory app) =>
        app.Services.GetServices<IHostedService>().OfType<PaymentReconciliationJob>().Single();

    private static async Task<PaymentStatus> StatusAsync(KabinetFactory app, string publicId) =>
        (PaymentStatus)await ScalarAsync<int>(app, "SELECT status FROM payments WHERE public_id = @publicId", new { publicId });

    private static Task<DateTimeOffset?> NotifiedAtAsync(KabinetFactory app, string publicId) =>
        ScalarAsync<DateTimeOffset?>(app, "SELECT notified_at FROM payments WHERE public_id = @publicId", new { publicId });

    private static Task<long> JournalCountAsync(KabinetFactory app) =>
        ScalarAsync<long>(app, "SELECT (SELECT COUNT(*) FROM ledger_transactions) + (SELECT COUNT(*) FROM ledger_entries)", null);

    private static async Task<T?> ScalarAsync<T>(KabinetFactory app, string sql, object? args)
    {
        using var database = app.OpenDatabase();
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<T>(sql, args);
    }

    /// <summary>
    /// Makes the database refuse (or again accept) every payment credit: a trigger fails the insert
    /// of a "payment:" journal transaction, as a full disk or a lost connection would fail the write.
    /// </summary>
    private static async Task FailCreditsAsync(KabinetFactory app, bool fail)
    {
        using var database = app.OpenDatabase();
        await using var connection = await database.OpenAsync();
        var sql = (app.Kind, fail) switch
        {
            (DatabaseKind.Sqlite, true) => """
                CREATE TRIGGER test_fail_credits BEFORE INSERT ON ledger_transactions
                WHEN NEW.idempotency_key LIKE 'payment:%'
                BEGIN SELECT RAISE(ABORT, 'test: the database fails the credit'); END
                """,
            (DatabaseKind.Sqlite, false) => "DROP TRIGGER IF EXISTS test_fail_credits",
            (_, true) => """
                CREATE FUNCTION test_fail_credits() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.idempotency_key LIKE 'payment:%' THEN RAISE EXCEPTION 'test: the database fails the credit'; END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER test_fail_credits BEFORE INSERT ON ledger_transactions FOR EACH ROW EXECUTE FUNCTION test_fail_credits();
                """,
            (_, false) => "DROP TRIGGER IF EXISTS test_fail_credits ON ledger_transactions; DROP FUNCTION IF EXISTS test_fail_credits();",
        };
        await connection.ExecuteAsync(sql);
    }
}

public sealed class SqliteNotificationDeliveryTests : NotificationDeliveryTests
{
    protected override Task<KabinetFactory> CreateAsync(IDictionary<string, string?> settings) => Task.FromResult(KabinetFactory.Sqlite(settings));
}

[Collection("postgres")]
public sealed class PostgresNotificationDeliveryTests(PostgresFixture postgres) : NotificationDeliveryTests
{
    protected override Task<KabinetFactory> CreateAsync(IDictionary<string, string?> settings) => KabinetFactory.PostgresAsync(postgres, settings);
}
