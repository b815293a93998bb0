using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Web.Integrations.Radius;
using Kabinet.Web.Tests.Infrastructure;

namespace Kabinet.Bench;

/// <summary>
/// Issue 5's RADIUS benchmark: PAP Access-Requests and Accounting Interim-Updates from a C# load
/// generator over UDP through a real FreeRADIUS running the repository's kabinet site into a
/// Kabinet process, next to the same FreeRADIUS answering from its own <c>files</c> module (a users
/// file of the same logins) in the same run; then the time from a payment's credit (the
/// 'unblocked' event Kabinet writes in the credit's transaction) to the NAS's ACK of the
/// Disconnect-Request (pool mode) Kabinet's CoA dispatcher sends to a NAS emulator.
/// </summary>
internal sealed class RadiusBench(DashboardBenchOptions options)
{
    private const string LoadPassword = "kabinet-load";
    private const string NasSecret = "bench-nas-secret";
    private const string KabinetSecret = "bench-radius-secret";
    private const string RadiusSecret = "testing123";
    private const int DemoContracts = 31;
    private const int RadiusThreads = 32;

    public async Task RunAsync()
    {
        Directory.CreateDirectory(options.WorkDirectory);
        var rows = new List<string>();
        var notes = new List<string>();
        await BenchDatabases.EachAsync(options, (bench, database) => MeasureAsync(bench, database, rows, notes));
        BenchDatabases.Print($"RADIUS benchmark: {options.Subscribers:N0} subscribers, {options.Connections} requests in flight, {options.Seconds} s per measurement, FreeRADIUS max_servers {RadiusThreads}, {System.Environment.ProcessorCount} cores",
            "| database | Access-Requests/s via Kabinet (p50 / p99 ms) | from `files` (p50 / p99 ms) | ratio | Interim-Updates/s via Kabinet (p50 / p99 ms) | from `files` | credit→Disconnect-ACK p50 / p99 / max ms |", rows, notes);
    }

    private async Task MeasureAsync(BenchDatabase bench, Database database, List<string> rows, List<string> notes)
    {
        if (bench.SeedReport is not null)
        {
            notes.Add(bench.SeedReport);
        }

        using (database)
        {
            var logins = await LoginsAsync(database);
            Console.WriteLine($"{bench.Name}: {logins.Count:N0} PPPoE logins");
            var random = new Random(5);
            var payers = await SampleAsync(database, random, Math.Min(options.Users, 1000));

            await using var nas = await NasEmulator.StartAsync(NasSecret);
            await KabinetProcess.RunVerbAsync(bench.Environment, "add-nas", "--name", "bench-nas", "--ip", "127.0.0.1", "--vendor", "mikrotik",
                "--secret", NasSecret, "--coa-port", nas.Port.ToString(CultureInfo.InvariantCulture));
            await BlockAsync(database, payers);

            var env = new Dictionary<string, string>(bench.Environment)
            {
                ["Kabinet__Radius__Secret"] = KabinetSecret,
            };
            foreach (var (key, value) in options.ServerEnvironment)
            {
                env[key] = value;
            }

            var radiusOptions = new FreeRadiusOptions { NasSecret = RadiusSecret, MaxThreads = RadiusThreads };
            var duration = TimeSpan.FromSeconds(options.Seconds);
            RadiusLoadResult access, accounting;
            (double P50, double P99, double Max, int Acked, int Expected, string Note) coa;
            await using (var server = await KabinetProcess.StartServerAsync(env))
            await using (var radius = await FreeRadiusServer.StartKabinetAsync(server.Address, KabinetSecret, radiusOptions))
            {
                Console.WriteLine($"{bench.Name}: warm-up (Kabinet)...");
                Report("warm-up", await AccessAsync(radius, logins, TimeSpan.FromSeconds(10)));
                Console.WriteLine($"{bench.Name}: Access-Requests through FreeRADIUS into Kabinet, {options.Seconds} s...");
                access = await AccessAsync(radius, logins, duration);
                Report("access", access);
                Console.WriteLine($"{bench.Name}: Accounting Interim-Updates through FreeRADIUS into Kabinet, {options.Seconds} s...");
                accounting = await AccountingAsync(radius, logins, duration, "k");
                Report("interim", accounting);
                var stored = await ScalarAsync(database, "SELECT COUNT(*) FROM radius_sessions WHERE session_id LIKE 'k-%'");
                Console.WriteLine($"  {stored} sessions stored by interim updates");
                coa = await CoaAsync(bench.Name, server.Address, radius, database, payers, nas);
            }

            RadiusLoadResult filesAccess, filesAccounting;
            var users = new StringBuilder(logins.Count * 80);
            foreach (var login in logins)
            {
                users.Append(login).Append(" Cleartext-Password := \"").Append(LoadPassword).Append("\"\n\tMikrotik-Rate-Limit = \"50000k/100000k\"\n\n");
            }

            await using (var files = await FreeRadiusServer.StartFilesAsync(users.ToString(), radiusOptions))
            {
                Console.WriteLine($"{bench.Name}: warm-up (files)...");
                Report("warm-up", await AccessAsync(files, logins, TimeSpan.FromSeconds(5)));
                Console.WriteLine($"{bench.Name}: Access-Requests from FreeRADIUS's files module, {options.Seconds} s...");
                filesAccess = await AccessAsync(files, logins, duration);
                Report("files access", filesAccess);
                filesAccounting = await AccountingAsync(files, logins, duration, "f");
                Report("files interim", filesAccounting);
            }

            var row = string.Create(CultureInfo.InvariantCulture,
                $"| {bench.Name} | {access.Rate:F0} ({access.Percentile(50):F1} / {access.Percentile(99):F1}){Failures(access)} | {filesAccess.Rate:F0} ({filesAccess.Percentile(50):F1} / {filesAccess.Percentile(99):F1}){Failures(filesAccess)} | {access.Rate / filesAccess.Rate:F2} | {accounting.Rate:F0} ({accounting.Percentile(50):F1} / {accounting.Percentile(99):F1}){Failures(accounting)} | {filesAccounting.Rate:F0} | {coa.P50:F0} / {coa.P99:F0} / {coa.Max:F0} ({coa.Acked} of {coa.Expected} acked) |");
            Console.WriteLine(row);
            rows.Add(row);
            notes.Add($"{bench.Name}: {coa.Note}");
        }
    }

    private static string Failures(RadiusLoadResult r) =>
        r.Rejected + r.OtherAnswers + r.Timeouts == 0 ? "" : $" [{r.Rejected} rejects, {r.OtherAnswers} other, {r.Timeouts} timeouts]";

    private static void Report(string what, RadiusLoadResult r) => Console.WriteLine($"  {what}: {r}");

    private Task<RadiusLoadResult> AccessAsync(FreeRadiusServer radius, List<string> logins, TimeSpan duration) =>
        RadiusLoad.RunAsync(radius.AuthEndpoint, radius.Secret, options.Connections, duration, 10_000_000, n =>
        {
            var login = logins[Random.Shared.Next(logins.Count)];
            var packet = new RadiusPacket(RadiusCode.AccessRequest);
            packet.Add(RadiusAttribute.UserName(login));
            packet.AddUserPassword(LoadPassword, radius.Secret);
            packet.Add(RadiusAttribute.NasIpAddress(IPAddress.Loopback));
            packet.Add(RadiusAttribute.FromNumber(5, (uint)(n & 0xFFFF))); // NAS-Port
            packet.Add(RadiusAttribute.FromNumber(61, 5)); // NAS-Port-Type = Virtual
            packet.Add(RadiusAttribute.FromNumber(6, 2)); // Service-Type = Framed-User
            packet.Add(RadiusAttribute.FromNumber(7, 1)); // Framed-Protocol = PPP
            packet.Add(RadiusAttribute.CallingStationId(Mac(n)));
            return packet;
        }, RadiusCode.AccessAccept);

    /// <summary>Interim-Updates round the logins: one session per subscriber, counters growing with every update.</summary>
    private Task<RadiusLoadResult> AccountingAsync(FreeRadiusServer radius, List<string> logins, TimeSpan duration, string prefix)
    {
        var sessions = Math.Min(logins.Count, 20_000);
        return RadiusLoad.RunAsync(radius.AcctEndpoint, radius.Secret, options.Connections, duration, 10_000_000, n =>
        {
            var subscriber = (int)(n % sessions);
            var round = (uint)(n / sessions) + 1;
            var packet = new RadiusPacket(RadiusCode.AccountingRequest);
            packet.Add(RadiusAttribute.AcctStatusType(3));
            packet.Add(RadiusAttribute.UserName(logins[subscriber]));
            packet.Add(RadiusAttribute.AcctSessionId(string.Create(CultureInfo.InvariantCulture, $"{prefix}-{subscriber:x8}")));
            packet.Add(RadiusAttribute.NasIpAddress(IPAddress.Loopback));
            packet.Add(RadiusAttribute.FromNumber(5, (uint)subscriber)); // NAS-Port
            packet.Add(RadiusAttribute.FramedIpAddress(new IPAddress([100, 64, (byte)(subscriber >> 8), (byte)subscriber])));
            packet.Add(RadiusAttribute.CallingStationId(Mac(subscriber)));
            packet.Add(RadiusAttribute.AcctInputOctets(round * 1_000_000));
            packet.Add(RadiusAttribute.AcctOutputOctets(round * 5_000_000));
            packet.Add(RadiusAttribute.FromNumber(46, round * 300)); // Acct-Session-Time
            packet.Add(RadiusAttribute.EventTimestamp(DateTimeOffset.UtcNow));
            return packet;
        }, RadiusCode.AccountingResponse, TimeSpan.FromSeconds(10));
    }

    private static string Mac(long n) => string.Create(CultureInfo.InvariantCulture,
        $"02:00:{(n >> 24) & 0xFF:x2}:{(n >> 16) & 0xFF:x2}:{(n >> 8) & 0xFF:x2}:{n & 0xFF:x2}");

    /// <summary>
    /// Sessions for the blocked payers (Accounting-Start through FreeRADIUS), then one sandbox card
    /// payment each, paced so they spread over time, and the time from each 'unblocked' event to
    /// its Disconnect-ACK as the dispatcher recorded it in coa_requests.
    /// </summary>
    private static async Task<(double P50, double P99, double Max, int Acked, int Expected, string Note)> CoaAsync(
        string name, Uri kabinet, FreeRadiusServer radius, Database database, List<(long Account, string Contract, string Login)> payers, NasEmulator nas)
    {
        Console.WriteLine($"{name}: {payers.Count} sessions for blocked accounts...");
        var starts = await RadiusLoad.RunAsync(radius.AcctEndpoint, radius.Secret, 16, TimeSpan.FromSeconds(60), payers.Count, n =>
        {
            var (_, _, login) = payers[(int)n];
            var packet = new RadiusPacket(RadiusCode.AccountingRequest);
            packet.Add(RadiusAttribute.AcctStatusType(1));
            packet.Add(RadiusAttribute.UserName(login));
            packet.Add(RadiusAttribute.AcctSessionId("coa-" + n.ToString(CultureInfo.InvariantCulture)));
            packet.Add(RadiusAttribute.NasIpAddress(IPAddress.Loopback));
            packet.Add(RadiusAttribute.FramedIpAddress(new IPAddress([10, 99, (byte)(n >> 8), (byte)n])));
            return packet;
        }, RadiusCode.AccountingResponse, TimeSpan.FromSeconds(10));
        Report("starts", starts);

        using var client = new HttpClient { BaseAddress = kabinet, Timeout = TimeSpan.FromSeconds(30) };
        var tokens = new System.Collections.Concurrent.ConcurrentDictionary<long, string>();
        await Parallel.ForEachAsync(payers, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (p, ct) =>
        {
            using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { contract = p.Contract, password = LoadPassword }, ct);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            tokens[p.Account] = body.GetProperty("access_token").GetString()!;
        });

        var fromEvent = await ScalarAsync(database, "SELECT COALESCE(MAX(id), 0) FROM account_events");
        // 20 payments a second, each payer's three requests on its own connection.
        Console.WriteLine($"{name}: {payers.Count} card payments at 20/s...");
        var failures = 0;
        var payments = new List<Task>();
        var pace = Stopwatch.StartNew();
        for (var i = 0; i < payers.Count; i++)
        {
            var wait = TimeSpan.FromMilliseconds(50 * i) - pace.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var payer = new Payer(payers[i].Account, tokens[payers[i].Account]);
            payments.Add(Task.Run(async () =>
            {
                using var handler = new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false };
                using var own = new HttpClient(handler) { BaseAddress = kabinet, Timeout = TimeSpan.FromSeconds(30) };
                try
                {
                    await Payers.PayAsync(own, "/api/v1/accounts/{id}/payments", payer, null);
                }
                catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException or JsonException)
                {
                    Interlocked.Increment(ref failures);
                    Console.WriteLine("  payment failed: " + e.Message);
                }
            }));
        }

        await Task.WhenAll(payments);
        var deadline = Stopwatch.StartNew();
        List<(DateTimeOffset OccurredAt, DateTimeOffset AnsweredAt, string Kind, string Outcome)> answered;
        long unblocked;
        do
        {
            await Task.Delay(500);
            await using var connection = await database.OpenAsync();
            unblocked = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM account_events WHERE id > @fromEvent AND kind = 'unblocked'", new { fromEvent });
            answered = (await connection.QueryAsync<(DateTimeOffset, DateTimeOffset, string, string)>(
                """
                SELECT e.occurred_at, c.answered_at, c.kind, c.outcome FROM account_events e
                JOIN coa_requests c ON c.event_id = e.id
                WHERE e.id > @fromEvent AND e.kind = 'unblocked'
                """, new { fromEvent })).ToList();
        }
        while ((answered.Count < payers.Count || unblocked < payers.Count) && deadline.Elapsed < TimeSpan.FromSeconds(60));

        var acked = answered.Where(a => a.Outcome == "ack").ToList();
        var latencies = acked.Select(a => (a.AnsweredAt - a.OccurredAt).TotalMilliseconds).ToArray();
        var received = nas.Received().Count;
        var kinds = string.Join(", ", answered.GroupBy(a => a.Kind + " " + a.Outcome).Select(g => $"{g.Count()} {g.Key}"));
        var note = $"{payers.Count} payments ({failures} failed), {unblocked} unblocked events, CoA requests: {kinds}; the NAS emulator received {received}";
        Console.WriteLine("  " + note);
        return (PaymentsBench.Percentile(latencies, 50), PaymentsBench.Percentile(latencies, 99), latencies.Length == 0 ? 0 : latencies.Max(), acked.Count, payers.Count, note);
    }

    private static async Task<List<string>> LoginsAsync(Database database)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<string>(
            """
            SELECT ap.login FROM access_points ap JOIN accounts a ON a.id = ap.account_id
            WHERE ap.kind = 1 AND ap.enabled AND ap.login IS NOT NULL AND ap.password_protected IS NOT NULL
              AND a.contract_id > @DemoContracts AND a.status IN (1, 2)
            ORDER BY ap.id
            """, new { DemoContracts })).ToList();
    }

    /// <summary>Payers from the last accounts: the interim load's sessions are on the first 20,000 logins, so each payer has one live session.</summary>
    private static async Task<List<(long Account, string Contract, string Login)>> SampleAsync(Database database, Random random, int count)
    {
        await using var connection = await database.OpenAsync();
        var rows = (await connection.QueryAsync<(long, string, string)>(
            """
            SELECT a.id, c.number, ap.login FROM accounts a JOIN contracts c ON c.id = a.contract_id
            JOIN access_points ap ON ap.account_id = a.id AND ap.kind = 1
            WHERE c.id > @DemoContracts AND a.status = 1 AND ap.login IS NOT NULL
            ORDER BY a.id DESC LIMIT 20000
            """, new { DemoContracts })).ToList();
        return [.. rows.OrderBy(_ => random.Next()).DistinctBy(r => r.Item1).Take(count)];
    }

    /// <summary>Blocks the payers' accounts with a threshold just above their balance (no event: the sessions are not disconnected for it), so a payment unblocks them.</summary>
    private static async Task BlockAsync(Database database, List<(long Account, string Contract, string Login)> payers)
    {
        await using var connection = await database.OpenAsync();
        await using var tx = await Database.BeginWriteAsync(connection);
        foreach (var (account, _, _) in payers)
        {
            await connection.ExecuteAsync(
                "UPDATE accounts SET status = 2, threshold = (SELECT la.balance FROM ledger_accounts la WHERE la.id = accounts.ledger_account_id) + 100 WHERE id = @account",
                new { account }, tx);
        }

        await tx.CommitAsync();
    }

    private static async Task<long> ScalarAsync(Database database, string sql)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }
}
