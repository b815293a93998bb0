using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kabinet.Web.Features.Network;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Kabinet.Web.Tests.Features.Network.RadiusRest;
using static Kabinet.Web.Tests.Features.TestSubscribers;

namespace Kabinet.Web.Tests.Features.Network;

/// <summary>The rlm_rest endpoints over HTTP (M31, M32): decisions, vendor replies, IPoE, the guard.</summary>
public abstract class RadiusEndpointTests
{
    private readonly KabinetFactory _factory;

    protected RadiusEndpointTests(KabinetFactory factory)
    {
        _factory = factory;
        factory.Clock.Set(Now);
    }

    [Theory]
    [InlineData("/radius/authorize", "[1,2]")]
    [InlineData("/radius/authorize", "\"x\"")]
    [InlineData("/radius/post-auth", "5")]
    [InlineData("/radius/accounting", "null")]
    [InlineData("/radius/accounting", "{not json")]
    public async Task A_body_that_is_not_a_json_object_is_refused_with_400(string path, string json)
    {
        using var radius = Client(_factory);

        using var response = await radius.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_known_PPPoE_login_gets_its_password_as_control_and_the_tariff_speed_per_vendor()
    {
        var me = await PrepareAsync(_factory, 2, "home-300");
        var login = await LoginOfAsync(me);
        var admin = _factory.Services.GetRequiredService<NetworkAdmin>();
        (await admin.SetPppoePasswordAsync(login, "secret-2", "test", default)).IsSuccess.ShouldBeTrue();
        (await admin.SaveNasAsync("bras-cisco", "10.9.0.2", "cisco", "coa", 3799, "test", default)).IsSuccess.ShouldBeTrue();
        (await admin.SaveNasAsync("bras-juniper", "10.9.0.3", "juniper", "coa", 3799, "test", default)).IsSuccess.ShouldBeTrue();
        (await admin.SaveNasAsync("bras-accel", "10.9.0.4", "accel-ppp", "coa", 3799, "test", default)).IsSuccess.ShouldBeTrue();
        using var radius = Client(_factory);

        var (status, body) = await PostAsync(radius, "/radius/authorize", ("User-Name", login), ("NAS-IP-Address", "127.0.0.1"));
        status.ShouldBe(200);
        Value(body, "control:Cleartext-Password")!.ShouldBe("secret-2");
        Value(body, "reply:Mikrotik-Rate-Limit")!.ShouldBe("300000k/300000k");
        Value(body, "reply:Class")!.ShouldStartWith("kabinet-ap-");
        Value(body, "reply:Framed-IP-Address").ShouldBeNull("no static IP service");

        (_, body) = await PostAsync(radius, "/radius/authorize", ("User-Name", login), ("NAS-IP-Address", "10.9.0.2"));
        var avpairs = body.GetProperty("reply:Cisco-AVPair");
        avpairs.GetProperty("op").GetString().ShouldBe("+=");
        avpairs.GetProperty("value").EnumerateArray().Select(v => v.GetString()).ShouldBe(
            ["ip:sub-qos-policy-in=KABINET_UP_300000K", "ip:sub-qos-policy-out=KABINET_DOWN_300000K"]);
        (_, body) = await PostAsync(radius, "/radius/authorize", ("User-Name", login), ("NAS-IP-Address", "10.9.0.3"));
        Value(body, "reply:ERX-Qos-Profile-Name")!.ShouldBe("KABINET_300000K_300000K");
        (_, body) = await PostAsync(radius, "/radius/authorize", ("User-Name", login), ("NAS-IP-Address", "10.9.0.4"));
        Value(body, "reply:Filter-Id")!.ShouldBe("300000/300000");
    }

    [Fact]
    public async Task Static_IP_and_Turbo_change_the_reply()
    {
        var me = await PrepareAsync(_factory, 3, "home-100");
        var login = await LoginOfAsync(me);
        await _factory.Services.GetRequiredService<NetworkAdmin>().SetPppoePasswordAsync(login, "secret-3", "test", default);
        await ExecuteAsync(_factory, "UPDATE access_points SET ip = '10.77.0.3' WHERE login = @login", new { login });
        await ExecuteAsync(_factory,
            "INSERT INTO account_services (account_id, service_id, active_from) SELECT @id, id, @day FROM extra_services WHERE code = 'static-ip'",
            new { id = me.AccountId, day = Today.AddDays(-1) });
        await ExecuteAsync(_factory,
            "INSERT INTO account_services (account_id, service_id, active_from, active_to, expires_at) SELECT @id, id, @day, @day, @until FROM extra_services WHERE code = 'turbo'",
            new { id = me.AccountId, day = Today, until = Now.AddHours(5) });
        using var radius = Client(_factory);

        var (_, body) = await PostAsync(radius, "/radius/authorize", ("User-Name", login), ("NAS-IP-Address", "127.0.0.1"));
        Value(body, "reply:Framed-IP-Address")!.ShouldBe("10.77.0.3");
        Value(body, "reply:Mikrotik-Rate-Limit")!.ShouldBe("200000k/200000k", "Turbo doubles the tariff's 100 Mbit/s");
    }

    [Fact]
    public async Task Blocked_goes_to_the_restricted_pool_frozen_and_terminated_are_rejected_unknown_is_not_found()
    {
        var me = await PrepareAsync(_factory, 4);
        var login = await LoginOfAsync(me);
        await _factory.Services.GetRequiredService<NetworkAdmin>().SetPppoePasswordAsync(login, "secret-4", "test", default);
        using var radius = Client(_factory);

        await ExecuteAsync(_factory, "UPDATE accounts SET status = 2 WHERE id = @id", new { id = me.AccountId });
        var (status, body) = await PostAsync(radius, "/radius/authorize", ("User-Name", login));
        status.ShouldBe(200);
        Value(body, "reply:Framed-Pool")!.ShouldBe("kabinet-blocked");
        Value(body, "reply:Mikrotik-Rate-Limit").ShouldBeNull();

        await ExecuteAsync(_factory, "UPDATE accounts SET status = 3 WHERE id = @id", new { id = me.AccountId });
        (status, body) = await PostAsync(radius, "/radius/authorize", ("User-Name", login));
        status.ShouldBe(401);
        Value(body, "reply:Reply-Message")!.ShouldContain("добровольной блокировке");

        await ExecuteAsync(_factory, "UPDATE accounts SET status = 4 WHERE id = @id", new { id = me.AccountId });
        (status, body) = await PostAsync(radius, "/radius/authorize", ("User-Name", login));
        status.ShouldBe(401);
        Value(body, "reply:Reply-Message")!.ShouldContain("расторгнут");

        (status, _) = await PostAsync(radius, "/radius/authorize", ("User-Name", "nobody-here"));
        status.ShouldBe(404);
    }

    [Fact]
    public async Task IPoE_is_found_by_MAC_in_any_notation_and_by_Option_82()
    {
        var me = await PrepareAsync(_factory, 5);
        await ExecuteAsync(_factory,
            "INSERT INTO access_points (account_id, kind, mac, ip) VALUES (@id, 2, '0a:00:00:00:00:05', '10.55.0.5')", new { id = me.AccountId });
        await ExecuteAsync(_factory,
            "INSERT INTO access_points (account_id, kind, remote_id, circuit_id) VALUES (@id, 2, 'sw-lenina-12', 'eth0/1/7')", new { id = me.AccountId });
        using var radius = Client(_factory);

        var (status, body) = await PostAsync(radius, "/radius/authorize", ("User-Name", "0A-00-00-00-00-05"), ("Calling-Station-Id", "0A-00-00-00-00-05"));
        status.ShouldBe(200);
        Value(body, "control:Auth-Type")!.ShouldBe("Accept");
        Value(body, "reply:Mikrotik-Rate-Limit")!.ShouldBe("100000k/100000k");

        // Option 82 arrives as octets in hex: "sw-lenina-12" and "eth0/1/7".
        (status, body) = await PostAsync(radius, "/radius/authorize",
            ("User-Name", "dhcp-client"), ("ADSL-Agent-Remote-Id", "0x" + Convert.ToHexString("sw-lenina-12"u8)),
            ("ADSL-Agent-Circuit-Id", "0x" + Convert.ToHexString("eth0/1/7"u8)), ("Calling-Station-Id", "0a:00:00:00:00:99"));
        status.ShouldBe(200);
        Value(body, "control:Auth-Type")!.ShouldBe("Accept");

        (status, _) = await PostAsync(radius, "/radius/authorize", ("User-Name", "x"), ("Calling-Station-Id", "0a:00:00:00:00:99"));
        status.ShouldBe(404, "an unknown MAC is not found");
    }

    [Fact]
    public async Task The_endpoints_refuse_callers_without_the_secret_or_through_the_proxy()
    {
        using (var anonymous = Client(_factory, secret: null))
        {
            var (status, _) = await PostAsync(anonymous, "/radius/authorize", ("User-Name", "u100000000002_1"));
            status.ShouldBe(401);
        }

        using (var wrong = Client(_factory, secret: "guess"))
        {
            var (status, _) = await PostAsync(wrong, "/radius/accounting", ("Acct-Status-Type", "Start"), ("NAS-IP-Address", "127.0.0.1"), ("Acct-Session-Id", "x"));
            status.ShouldBe(401);
        }

        using var proxied = Client(_factory);
        proxied.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
        var (refused, _) = await PostAsync(proxied, "/radius/authorize", ("User-Name", "u100000000002_1"));
        refused.ShouldBe(403);
        (await ScalarAsync<long>(_factory, "SELECT COUNT(*) FROM radius_sessions WHERE session_id = 'x'")).ShouldBe(0);

        using var off = _factory.Restarted(new Dictionary<string, string?> { ["Kabinet:Radius:Secret"] = "" });
        using var offClient = Client(off);
        var (missing, _) = await PostAsync(offClient, "/radius/authorize", ("User-Name", "u100000000002_1"));
        missing.ShouldBe(404, "without a configured secret the endpoints do not exist");
    }

    [Fact]
    public async Task Accounting_counts_traffic_once_whatever_the_order_duplicates_and_gigawords()
    {
        var me = await PrepareAsync(_factory, 6);
        var login = await LoginOfAsync(me);
        using var radius = Client(_factory);
        var session = "sess-" + Guid.NewGuid().ToString("N")[..8];
        (string, object)[] Packet(string type, long inOctets, long outOctets, long outGiga = 0) =>
        [
            ("Acct-Status-Type", type), ("User-Name", login), ("NAS-IP-Address", "127.0.0.1"), ("Acct-Session-Id", session),
            ("Acct-Unique-Session-Id", "u-" + session), ("Framed-IP-Address", "100.64.0.6"), ("Calling-Station-Id", "02:00:00:00:00:06"),
            ("Acct-Input-Octets", inOctets), ("Acct-Output-Octets", outOctets), ("Acct-Output-Gigawords", outGiga),
            ("Acct-Terminate-Cause", "User-Request"),
        ];

        // Interim before Start, a duplicate, an older interim after a newer one, Stop twice.
        (await PostAsync(radius, "/radius/accounting", Packet("Interim-Update", 1_000, 50_000))).Status.ShouldBe(204);
        (await PostAsync(radius, "/radius/accounting", Packet("Start", 0, 0))).Status.ShouldBe(204);
        (await PostAsync(radius, "/radius/accounting", Packet("Interim-Update", 1_000, 50_000))).Status.ShouldBe(204);
        (await PostAsync(radius, "/radius/accounting", Packet("Interim-Update", 5_000, 10, 1))).Status.ShouldBe(204);
        (await PostAsync(radius, "/radius/accounting", Packet("Interim-Update", 2_000, 60_000))).Status.ShouldBe(204);
        (await PostAsync(radius, "/radius/accounting", Packet("Stop", 6_000, 20, 1))).Status.ShouldBe(204);
        (await PostAsync(radius, "/radius/accounting", Packet("Stop", 6_000, 20, 1))).Status.ShouldBe(204);

        var row = (await QueryAsync<(long BytesIn, long BytesOut, string? Cause, string? Ip)>(_factory,
            "SELECT bytes_in, bytes_out, stop_cause, framed_ip FROM radius_sessions WHERE session_id = @session", new { session })).Single();
        row.BytesIn.ShouldBe(6_000);
        row.BytesOut.ShouldBe((1L << 32) + 20, "gigawords count 2^32 octets each");
        row.Cause.ShouldBe("User-Request");
        row.Ip.ShouldBe("100.64.0.6");
        var traffic = await QueryAsync<(long BytesIn, long BytesOut)>(_factory,
            "SELECT bytes_in, bytes_out FROM traffic_daily WHERE account_id = @id", new { id = me.AccountId });
        traffic.Sum(t => t.BytesIn).ShouldBe(6_000);
        traffic.Sum(t => t.BytesOut).ShouldBe((1L << 32) + 20);

        // Counters beyond 32 bits (a broken or forged packet) never wrap into a negative total.
        (await PostAsync(radius, "/radius/accounting", ("Acct-Status-Type", "Interim-Update"), ("User-Name", "not-a-login"), ("NAS-IP-Address", "127.0.0.1"),
            ("Acct-Session-Id", session + "-huge"), ("Acct-Input-Gigawords", 4_294_967_295L), ("Acct-Input-Octets", 99_999_999_999L))).Status.ShouldBe(204);
        (await ScalarAsync<long>(_factory, "SELECT bytes_in FROM radius_sessions WHERE session_id = @s", new { s = session + "-huge" })).ShouldBeGreaterThan(0);

        using var api = await me.ApiAsync(_factory);
        var sessions = await (await api.GetAsync($"/api/v1/accounts/{me.AccountId}/sessions")).Content.ReadFromJsonAsync<JsonElement>();
        sessions[0].GetProperty("bytes_out").GetInt64().ShouldBe((1L << 32) + 20);
        sessions[0].GetProperty("stop_cause").GetString().ShouldBe("User-Request");
        var days = await (await api.GetAsync($"/api/v1/accounts/{me.AccountId}/traffic?by=day")).Content.ReadFromJsonAsync<JsonElement>();
        days.GetProperty("items").GetArrayLength().ShouldBe(30);
        days.GetProperty("items").EnumerateArray().Sum(i => i.GetProperty("bytes_in").GetInt64()).ShouldBe(6_000);
        var months = await (await api.GetAsync($"/api/v1/accounts/{me.AccountId}/traffic?by=month")).Content.ReadFromJsonAsync<JsonElement>();
        months.GetProperty("items").GetArrayLength().ShouldBe(12);
        using var bad = await api.GetAsync($"/api/v1/accounts/{me.AccountId}/traffic?by=week");
        (await bad.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Code().ShouldBe("connection.period");
    }

    [Fact]
    public async Task Packets_that_arrive_together_are_counted_once_and_find_their_access_point_by_Class_or_login()
    {
        var me = await PrepareAsync(_factory, 14);
        var login = await LoginOfAsync(me);
        var accessPoint = await ScalarAsync<long>(_factory, "SELECT id FROM access_points WHERE login = @login", new { login });
        using var radius = Client(_factory);
        var byLogin = "together-" + Guid.NewGuid().ToString("N")[..8];
        var byClass = byLogin + "-class";
        (string, object)[] Interim(string session, string user, long inOctets, params (string, object)[] more) =>
        [
            ("Acct-Status-Type", "Interim-Update"), ("User-Name", user), ("NAS-IP-Address", "127.0.0.1"), ("Acct-Session-Id", session),
            ("Acct-Unique-Session-Id", "u-" + session), ("Acct-Input-Octets", inOctets), ("Acct-Output-Octets", 0L), .. more,
        ];

        // Duplicates and reordered counters of two new sessions, all at once, so the writer takes
        // them into the same batches: the login's session and one known only by the echoed Class.
        var packets = Enumerable.Range(0, 40).Select(i => i % 2 == 0
                ? Interim(byLogin, login, i % 4 == 0 ? 1_000 : 3_000)
                : Interim(byClass, "renamed-by-the-nas", i % 4 == 1 ? 700 : 900, ("Class", Sessions.ClassPrefix + accessPoint)))
            .ToList();
        var answers = await Task.WhenAll(packets.Select(p => PostAsync(radius, "/radius/accounting", p)));
        answers.ShouldAllBe(a => a.Status == 204);

        var rows = await QueryAsync<(string Session, long? AccessPoint, long BytesIn)>(_factory,
            "SELECT session_id, access_point_id, bytes_in FROM radius_sessions WHERE session_id IN (@byLogin, @byClass) ORDER BY session_id",
            new { byLogin, byClass });
        rows.ShouldBe([(byLogin, accessPoint, 3_000L), (byClass, accessPoint, 900L)]);
        var traffic = await ScalarAsync<long>(_factory, "SELECT SUM(bytes_in) FROM traffic_daily WHERE account_id = @id", new { id = me.AccountId });
        traffic.ShouldBe(3_900, "the growth of each session's counter, once");
    }

    [Fact]
    public async Task Why_offline_names_the_block_the_wrong_password_and_a_long_silence_and_another_contract_sees_nothing()
    {
        var me = await PrepareAsync(_factory, 7);
        var login = await LoginOfAsync(me);
        await _factory.Services.GetRequiredService<NetworkAdmin>().SetPppoePasswordAsync(login, "secret-7", "test", default);
        await ExecuteAsync(_factory, "UPDATE accounts SET status = 2, threshold = 0 WHERE id = @id", new { id = me.AccountId });
        await ExecuteAsync(_factory, "UPDATE ledger_accounts SET balance = -12345 WHERE id = @id", new { id = me.LedgerAccountId });
        using var radius = Client(_factory);
        (await PostAsync(radius, "/radius/post-auth?result=reject", ("User-Name", login))).Status.ShouldBe(204);
        await _factory.Services.GetRequiredService<PostAuthLog>().FlushAsync(default);

        using var api = await me.ApiAsync(_factory);
        var connection = await (await api.GetAsync($"/api/v1/accounts/{me.AccountId}/connection")).Content.ReadFromJsonAsync<JsonElement>();
        connection.GetProperty("online").GetBoolean().ShouldBeFalse();
        connection.GetProperty("needed").GetString().ShouldBe("123.45");
        var codes = connection.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("code").GetString()).ToList();
        codes.ShouldBe(["blocked", "wrong_password", "never"]);
        connection.GetProperty("reasons")[0].GetProperty("link").GetString().ShouldBe($"/pay?account={me.AccountId}");

        using var browser = await me.BrowserAsync(_factory);
        var page = await browser.PageAsync($"/connection?account={me.AccountId}");
        page.ShouldContain("не хватает 123,45");
        page.ShouldContain("неверным паролем PPPoE");
        page.ShouldContain("<svg class=\"chart\"");

        var other = await PrepareAsync(_factory, 8);
        using var theirs = await other.ApiAsync(_factory);
        using var foreign = await theirs.GetAsync($"/api/v1/accounts/{me.AccountId}/connection");
        await foreign.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_captive_page_recognises_a_blocked_connection_by_its_address_and_leads_to_paying_for_it()
    {
        var me = await PrepareAsync(_factory, 9);
        var login = await LoginOfAsync(me);
        await ExecuteAsync(_factory, "UPDATE accounts SET status = 2, threshold = 0 WHERE id = @id", new { id = me.AccountId });
        await ExecuteAsync(_factory, "UPDATE ledger_accounts SET balance = -4321 WHERE id = @id", new { id = me.LedgerAccountId });
        using var anonymous = _factory.Browser();

        // Nobody on this address yet: a polite page with the ways in.
        var unknown = await anonymous.PageAsync("/captive");
        unknown.ShouldContain("Мы не узнали ваше подключение");

        // The test server's callers come from 127.0.0.1: make that the blocked session's address.
        using var radius = Client(_factory);
        (await PostAsync(radius, "/radius/accounting", ("Acct-Status-Type", "Start"), ("User-Name", login), ("NAS-IP-Address", "127.0.0.1"),
            ("Acct-Session-Id", "captive-9"), ("Framed-IP-Address", "127.0.0.1"))).Status.ShouldBe(204);
        using var response = await anonymous.GetAsync("/captive");
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var page = await response.ReadHtmlAsync();
        page.ShouldContain("1000****0009-1");
        page.ShouldNotContain(me.Contract, Case.Sensitive, "the full number is not shown");
        page.ShouldContain("пополните счёт на 43,21");
        var link = System.Text.RegularExpressions.Regex.Match(page, "href=\"(/pay-without-login\\?reference=[^\"]+)\"").Groups[1].Value;
        link.ShouldNotBeEmpty();

        var pay = await anonymous.PageAsync(link);
        pay.ShouldContain("name=\"reference\"");
        pay.ShouldContain("value=\"43.21\"");
        pay.ShouldContain("1000****0009");
    }

    [Fact]
    public async Task The_sweep_closes_silent_sessions_a_late_Stop_replaces_the_stale_close_and_an_ended_Turbo_is_announced_once()
    {
        var me = await PrepareAsync(_factory, 10 + 1);
        var login = await LoginOfAsync(me);
        using var radius = Client(_factory);
        (await PostAsync(radius, "/radius/accounting", ("Acct-Status-Type", "Start"), ("User-Name", login), ("NAS-IP-Address", "127.0.0.1"),
            ("Acct-Session-Id", "sweep-11"))).Status.ShouldBe(204);
        await ExecuteAsync(_factory,
            "INSERT INTO account_services (account_id, service_id, active_from, active_to, expires_at) SELECT @id, id, @day, @day, @until FROM extra_services WHERE code = 'turbo'",
            new { id = me.AccountId, day = Today, until = Now.AddMinutes(30) });
        var sweep = _factory.Services.GetRequiredService<StaleSessionJob>();

        _factory.Clock.Set(Now.AddMinutes(10));
        (await sweep.RunOnceAsync(default)).ShouldBe(0, "ten quiet minutes are not stale yet");
        _factory.Clock.Set(Now.AddMinutes(45));
        (await sweep.RunOnceAsync(default)).ShouldBeGreaterThanOrEqualTo(1);
        (await ScalarAsync<string>(_factory, "SELECT stop_cause FROM radius_sessions WHERE session_id = 'sweep-11'")).ShouldBe("Stale");
        (await sweep.RunOnceAsync(default)).ShouldBe(0);
        (await ScalarAsync<long>(_factory, "SELECT COUNT(*) FROM account_events WHERE account_id = @id AND kind = 'turbo_ended'", new { id = me.AccountId }))
            .ShouldBe(1, "announced once, whatever the number of sweeps");

        (await PostAsync(radius, "/radius/accounting", ("Acct-Status-Type", "Stop"), ("User-Name", login), ("NAS-IP-Address", "127.0.0.1"),
            ("Acct-Session-Id", "sweep-11"), ("Acct-Terminate-Cause", "NAS-Reboot"))).Status.ShouldBe(204);
        (await ScalarAsync<string>(_factory, "SELECT stop_cause FROM radius_sessions WHERE session_id = 'sweep-11'")).ShouldBe("NAS-Reboot");
        _factory.Clock.Set(Now);
    }

    [Fact]
    public async Task A_disabled_access_point_is_rejected_and_named_as_the_reason()
    {
        var me = await PrepareAsync(_factory, 12);
        var login = await LoginOfAsync(me);
        await _factory.Services.GetRequiredService<NetworkAdmin>().SetPppoePasswordAsync(login, "secret-12", "test", default);
        await ExecuteAsync(_factory, "UPDATE access_points SET enabled = FALSE WHERE account_id = @id", new { id = me.AccountId });
        using var radius = Client(_factory);

        var (status, body) = await PostAsync(radius, "/radius/authorize", ("User-Name", login));
        status.ShouldBe(401);
        Value(body, "reply:Reply-Message")!.ShouldContain("отключено оператором");

        using var api = await me.ApiAsync(_factory, "en");
        var connection = await (await api.GetAsync($"/api/v1/accounts/{me.AccountId}/connection")).Content.ReadFromJsonAsync<JsonElement>();
        var disabled = connection.GetProperty("reasons").EnumerateArray().Single(r => r.GetProperty("code").GetString() == "disabled");
        disabled.GetProperty("text").GetString().ShouldBe("The connection is disabled by the operator.");
        disabled.GetProperty("action").GetString()!.ShouldStartWith("Call support");
    }

    [Fact]
    public async Task A_frozen_account_is_told_until_when_and_where_to_end_the_freeze()
    {
        var me = await PrepareAsync(_factory, 13);
        await ExecuteAsync(_factory, "UPDATE accounts SET status = 3 WHERE id = @id", new { id = me.AccountId });
        await ExecuteAsync(_factory,
            "INSERT INTO freezes (account_id, starts_on, ends_on, paid_from, daily_fee, status, created_at) VALUES (@id, @start, @end, @end, 0, 1, @now)",
            new { id = me.AccountId, start = Today.AddDays(-3), end = new DateOnly(2027, 3, 31), now = Now.AddDays(-5) });

        using var api = await me.ApiAsync(_factory);
        using var response = await api.GetAsync($"/api/v1/accounts/{me.AccountId}/connection");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var connection = await response.Content.ReadFromJsonAsync<JsonElement>();
        connection.GetProperty("status").GetString().ShouldBe("frozen");
        var frozen = connection.GetProperty("reasons")[0];
        frozen.GetProperty("code").GetString().ShouldBe("frozen");
        frozen.GetProperty("text").GetString().ShouldBe("Счёт на добровольной блокировке до 31.03.2027.");
        frozen.GetProperty("link").GetString().ShouldBe($"/freeze?account={me.AccountId}");
    }

    [Fact]
    public async Task Bulk_PPPoE_passwords_fill_only_the_access_points_without_one_each_with_its_own_ciphertext()
    {
        var first = await LoginOfAsync(await PrepareAsync(_factory, 15));
        var second = await LoginOfAsync(await PrepareAsync(_factory, 16));
        var kept = await LoginOfAsync(await PrepareAsync(_factory, 17));
        var admin = _factory.Services.GetRequiredService<NetworkAdmin>();
        (await admin.SetPppoePasswordAsync(kept, "secret-17", "test", default)).IsSuccess.ShouldBeTrue();
        await ExecuteAsync(_factory, "UPDATE access_points SET password_protected = NULL WHERE login IN (@first, @second)", new { first, second });

        (await admin.SetMissingPppoePasswordsAsync("bulk-secret", "test", default)).ShouldBeGreaterThanOrEqualTo(2);

        using var radius = Client(_factory);
        foreach (var (login, expected) in new[] { (first, "bulk-secret"), (second, "bulk-secret"), (kept, "secret-17") })
        {
            var (status, body) = await PostAsync(radius, "/radius/authorize", ("User-Name", login));
            status.ShouldBe(200);
            Value(body, "control:Cleartext-Password")!.ShouldBe(expected);
        }

        var stored = await QueryAsync<string>(_factory, "SELECT password_protected FROM access_points WHERE login IN (@first, @second)", new { first, second });
        stored.Distinct().Count().ShouldBe(2, "each access point is encrypted on its own");
        (await ScalarAsync<long>(_factory, "SELECT COUNT(*) FROM audit_log WHERE action = 'access_point.pppoe_password_bulk'")).ShouldBeGreaterThan(0);
    }

    private Task<string> LoginOfAsync(Prepared me) =>
        ScalarAsync<string>(_factory, "SELECT login FROM access_points WHERE account_id = @id AND kind = 1 ORDER BY id LIMIT 1", new { id = me.AccountId });
}

public sealed class SqliteRadiusApp : IDisposable
{
    public KabinetFactory Factory { get; } = KabinetFactory.Sqlite(Settings());

    public void Dispose() => Factory.Dispose();
}

public sealed class PostgresRadiusApp(PostgresFixture postgres) : IAsyncLifetime
{
    private KabinetFactory? _factory;

    public KabinetFactory Factory => _factory ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() => _factory = await KabinetFactory.PostgresAsync(postgres, Settings());

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }
}

public sealed class SqliteRadiusEndpointTests(SqliteRadiusApp app) : RadiusEndpointTests(app.Factory), IClassFixture<SqliteRadiusApp>;

[Collection("postgres")]
public sealed class PostgresRadiusEndpointTests(PostgresRadiusApp app) : RadiusEndpointTests(app.Factory), IClassFixture<PostgresRadiusApp>;
