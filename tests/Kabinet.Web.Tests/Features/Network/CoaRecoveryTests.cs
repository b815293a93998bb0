using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Domain.Ledger;
using Kabinet.Domain.Money;
using Kabinet.Web.Cli;
using Kabinet.Web.Features.Network;
using Kabinet.Web.Features.Payments;
using Kabinet.Web.Integrations.Radius;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Kabinet.Web.Tests.Features.Network.RadiusRest;
using static Kabinet.Web.Tests.Features.TestSubscribers;

namespace Kabinet.Web.Tests.Features.Network;

/// <summary>
/// Issue 14, points 13 and 14: CoA reaches a session that was taken for closed during an outage,
/// and a Disconnect the NAS refuses or never answers is tried again and left where staff see it.
/// A real FreeRADIUS plays the NAS's CoA port (<see cref="NasEmulator"/>); each test its own app.
/// </summary>
public abstract class CoaRecoveryTests : IAsyncLifetime
{
    private const string NasSecret = "nas-coa-secret";
    private KabinetFactory _factory = null!;
    private NasEmulator _nas = null!;

    protected abstract Task<KabinetFactory> CreateAsync(Dictionary<string, string?> settings);

    public async Task InitializeAsync()
    {
        // NAKs say "busy" (506), which is worth retrying; "no such session" (503) is final.
        _nas = await NasEmulator.StartAsync(NasSecret, errorCause: "Resources-Unavailable");
        _factory = await CreateAsync(Settings(
            ("Kabinet:Radius:CoaEnabled", "true"), ("Kabinet:Radius:CoaTimeoutMs", "300"), ("Kabinet:Radius:CoaAttempts", "2"),
            ("Kabinet:Radius:CoaRetries", "2"), ("Kabinet:Radius:CoaRetryDelaySeconds", "60")));
        _factory.Clock.Set(Now);
        (await _factory.Services.GetRequiredService<NetworkAdmin>().SaveNasAsync("NAS emulator", "127.0.0.1", "mikrotik", NasSecret, _nas.Port, "test", default))
            .IsSuccess.ShouldBeTrue();
    }

    public async Task DisposeAsync()
    {
        await _nas.DisposeAsync();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task A_session_closed_as_stale_comes_back_with_its_Interim_and_gets_what_it_missed_and_later_events_by_CoA()
    {
        var (login, account) = await LineAsync(25);
        using var radius = Client(_factory);
        (await PostAsync(radius, "/radius/accounting", Packet("Start", login, "outage-25"))).Status.ShouldBe(204);

        // An outage longer than StaleSessionMinutes: the sweep takes the session for closed.
        _factory.Clock.Set(Now.AddMinutes(45));
        (await _factory.Services.GetRequiredService<StaleSessionJob>().RunOnceAsync(default)).ShouldBeGreaterThanOrEqualTo(1);
        (await ScalarAsync<string>(_factory, "SELECT stop_cause FROM radius_sessions WHERE session_id = 'outage-25'")).ShouldBe("Stale");

        // Blocked and paid during the outage: both events find no live session, nothing is sent.
        await ChargeBelowZeroAsync(account);
        await PayAsync(account, 1_000_00);
        await WaitForAsync(async () => await ScalarAsync<long>(_factory,
            "SELECT COUNT(*) FROM account_events e JOIN event_cursors c ON c.consumer = 'coa' AND c.last_event_id >= e.id WHERE e.account_id = @account AND e.kind = 'unblocked'",
            new { account }) > 0);
        _nas.Received().ShouldBeEmpty();

        // The NAS's interims resume: the session is live again and is sent what it missed (pool
        // mode: the subscriber sits in the captive pool, so the session is ended to reconnect).
        _factory.Clock.Set(Now.AddMinutes(50));
        (await PostAsync(radius, "/radius/accounting", Packet("Interim-Update", login, "outage-25", ("Acct-Session-Time", 3_000L)))).Status.ShouldBe(204);
        (await ScalarAsync<long>(_factory, "SELECT COUNT(*) FROM radius_sessions WHERE session_id = 'outage-25' AND stopped_at IS NULL AND stop_cause IS NULL"))
            .ShouldBe(1);
        var missed = (await _nas.ReceivedAsync(1, TimeSpan.FromSeconds(30)))[0];
        missed.Code.ShouldBe(RadiusCode.DisconnectRequest);
        missed.Get("Acct-Session-Id").ShouldBe("outage-25");

        // And later events reach it as they would any live session.
        await ChargeBelowZeroAsync(account);
        var later = (await _nas.ReceivedAsync(2, TimeSpan.FromSeconds(30)))[1];
        later.Code.ShouldBe(RadiusCode.DisconnectRequest);
        later.Get("Acct-Session-Id").ShouldBe("outage-25");

        // A late copy of an interim from before the outage does not reopen a stale close.
        (await PostAsync(radius, "/radius/accounting", Packet("Start", login, "copy-25"))).Status.ShouldBe(204);
        _factory.Clock.Set(Now.AddMinutes(100));
        await _factory.Services.GetRequiredService<StaleSessionJob>().RunOnceAsync(default);
        (await PostAsync(radius, "/radius/accounting", Packet("Interim-Update", login, "copy-25", ("Event-Timestamp", Now.AddMinutes(50).ToUnixTimeSeconds()))))
            .Status.ShouldBe(204);
        (await ScalarAsync<string>(_factory, "SELECT stop_cause FROM radius_sessions WHERE session_id = 'copy-25'")).ShouldBe("Stale");
    }

    [Fact]
    public async Task A_Disconnect_NAK_is_retried_with_back_off_until_the_NAS_takes_it_and_coa_log_shows_the_outcome()
    {
        var (login, account) = await LineAsync(26);
        using var radius = Client(_factory);
        (await PostAsync(radius, "/radius/accounting", Packet("Start", login, "nak-26"))).Status.ShouldBe(204);
        await _nas.SetRepliesAsync(NasReply.Nak, NasReply.Nak);

        await ChargeBelowZeroAsync(account);
        var first = await RequestAsync(account, r => r.Rounds == 1 && r.Outcome == "nak");
        first.ErrorCause.ShouldBe(506);
        first.RetryAt.ShouldBe(Now.AddSeconds(60), "the first retry after CoaRetryDelaySeconds");

        await _nas.SetRepliesAsync(NasReply.Ack, NasReply.Ack);
        _factory.Clock.Set(Now.AddSeconds(61));
        var done = await RequestAsync(account, r => r.Outcome == "ack");
        done.Rounds.ShouldBe(2);
        done.RetryAt.ShouldBeNull("final");

        using var log = new StringWriter();
        (await Verbs.RunAsync("coa-log", VerbArgs("--contract", Contract(26)), log)).ShouldBe(0);
        var line = log.ToString().Split('\n').Single(l => l.Contains("nak-26", StringComparison.Ordinal));
        line.Split('\t')[3..10].ShouldBe(["blocked", "disconnect", "ack", "-", "2", "2", "final"]);
    }

    [Fact]
    public async Task A_Disconnect_always_NAKed_or_never_answered_stops_after_CoaRetries_and_stays_in_coa_log()
    {
        var (login, account) = await LineAsync(27);
        using var radius = Client(_factory);
        (await PostAsync(radius, "/radius/accounting", Packet("Start", login, "dead-27"))).Status.ShouldBe(204);
        await _nas.SetRepliesAsync(NasReply.Nak, NasReply.Nak);

        await ChargeBelowZeroAsync(account);
        (await RequestAsync(account, r => r.Rounds == 1)).RetryAt.ShouldBe(Now.AddSeconds(60));
        _factory.Clock.Set(Now.AddSeconds(61));
        (await RequestAsync(account, r => r.Rounds == 2)).RetryAt.ShouldBe(Now.AddSeconds(61 + 120), "the delay doubles");
        await _nas.SetRepliesAsync(NasReply.Silent, NasReply.Silent);
        _factory.Clock.Set(Now.AddSeconds(200));
        var last = await RequestAsync(account, r => r.Rounds == 3);
        last.Outcome.ShouldBe("timeout");
        last.RetryAt.ShouldBeNull("1 + CoaRetries rounds, then final");
        _factory.Clock.Set(Now.AddHours(1));
        await Task.Delay(500);
        (await RequestAsync(account, _ => true)).Rounds.ShouldBe(3);

        using var log = new StringWriter();
        (await Verbs.RunAsync("coa-log", VerbArgs("--outcome", "timeout"), log)).ShouldBe(0);
        log.ToString().ShouldContain("dead-27");
        using var acks = new StringWriter();
        (await Verbs.RunAsync("coa-log", VerbArgs("--outcome", "ack", "--contract", Contract(27)), acks)).ShouldBe(0);
        acks.ToString().ShouldNotContain("dead-27");
        (await Verbs.RunAsync("coa-log", VerbArgs("--outcome", "lost"), acks)).ShouldBe(2);
    }

    private string[] VerbArgs(params string[] verbArgs) => _factory.VerbArguments(verbArgs);

    private static (string, object)[] Packet(string type, string login, string session, params (string, object)[] more) =>
        [("Acct-Status-Type", type), ("User-Name", login), ("NAS-IP-Address", "127.0.0.1"), ("Acct-Session-Id", session), .. more];

    private async Task<(string Login, long Account)> LineAsync(int n)
    {
        var me = await PrepareAsync(_factory, n);
        var login = await ScalarAsync<string>(_factory,
            "SELECT login FROM access_points WHERE account_id = @id AND kind = 1 ORDER BY id LIMIT 1", new { id = me.AccountId });
        return (login, me.AccountId);
    }

    private sealed record Request(string Outcome, long? ErrorCause, long Rounds, DateTimeOffset? RetryAt);

    /// <summary>The account's only recorded request, once it satisfies the condition.</summary>
    private async Task<Request> RequestAsync(long account, Func<Request, bool> condition)
    {
        Request? found = null;
        await WaitForAsync(async () =>
        {
            using var database = _factory.OpenDatabase();
            await using var connection = await database.OpenAsync();
            var row = (await connection.QueryAsync<(string Outcome, long? ErrorCause, long Rounds, DateTimeOffset? RetryAt)>(
                "SELECT c.outcome, c.error_cause, c.rounds, c.retry_at FROM coa_requests c JOIN account_events e ON e.id = c.event_id WHERE e.account_id = @account",
                new { account })).SingleOrDefault();
            found = row.Outcome is null ? null : new Request(row.Outcome, row.ErrorCause, row.Rounds, row.RetryAt);
            return found is not null && condition(found);
        });
        return found!;
    }

    private Task ChargeBelowZeroAsync(long account) => LineMoney.ChargeBelowZeroAsync(_factory, account);

    private Task PayAsync(long account, long kopecks) => LineMoney.PayAsync(_factory, account, kopecks);

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(40);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not hold in time.");
            }

            await Task.Delay(100);
        }
    }
}

public sealed class SqliteCoaRecoveryTests : CoaRecoveryTests
{
    protected override Task<KabinetFactory> CreateAsync(Dictionary<string, string?> settings) => Task.FromResult(KabinetFactory.Sqlite(settings));
}

[Collection("postgres")]
public sealed class PostgresCoaRecoveryTests(PostgresFixture postgres) : CoaRecoveryTests
{
    protected override Task<KabinetFactory> CreateAsync(Dictionary<string, string?> settings) => KabinetFactory.PostgresAsync(postgres, settings);
}
