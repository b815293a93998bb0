using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Kabinet.Bench;

/// <summary>
/// Issue 4's payments benchmark: concurrent payers pay through the whole path over real HTTP
/// against a Kabinet process with the sandbox acquirer on (create over the API, hosted page, success
/// card, the sandbox's notification, Kabinet's re-check with the gateway, ledger credit, unblock).
/// It reports credited payments per second (until the last one is on the balance) and the time from
/// each notification's arrival to its credit, as Kabinet stamps them on the payment row, then checks
/// the ledger. The yardstick is the same client against bare endpoints in the same database.
/// </summary>
internal sealed class PaymentsBench(DashboardBenchOptions options)
{
    private const string LoadPassword = "kabinet-load";
    private const int DemoContracts = 31;
    private const long Amount = 50_000;

    public async Task RunAsync()
    {
        Directory.CreateDirectory(options.WorkDirectory);
        var rows = new List<string>();
        var notes = new List<string>();
        await BenchDatabases.EachAsync(options, async (bench, database) =>
        {
            if (database.Kind == DatabaseKind.Sqlite)
            {
                var path = bench.ConnectionString["Data Source=".Length..];
                await MeasureAsync(bench, database, () => new SqliteConnection($"Data Source={path};Pooling=true;Default Timeout=30"), rows, notes);
            }
            else
            {
                using var source = NpgsqlDataSource.Create(bench.ConnectionString);
                await MeasureAsync(bench, database, source.CreateConnection, rows, notes);
            }
        });
        BenchDatabases.Print($"Payments benchmark: {options.Connections} concurrent payers{(options.Rate is { } paced ? $" paced to {paced:F0} payments/s" : "")} over {options.Users} accounts of {options.Subscribers:N0} subscribers, {options.Seconds} s, {System.Environment.ProcessorCount} cores",
            "| database | credited payments/s | notification→credit p50 / p99 / max ms | payer's 3 requests p50 / p99 ms | unblocked | bare payments/s | ratio |", rows, notes);
    }

    private async Task MeasureAsync(BenchDatabase bench, Database database, Func<DbConnection> rawConnection, List<string> rows, List<string> notes)
    {
        if (bench.SeedReport is not null)
        {
            notes.Add(bench.SeedReport);
        }

        using (database)
        {
            var accounts = await SampleAsync(database);
            var env = new Dictionary<string, string>(bench.Environment);
            foreach (var (key, value) in options.ServerEnvironment)
            {
                env[key] = value;
            }

            Measured kabinet;
            await using (var server = await KabinetProcess.StartServerAsync(env))
            {
                Console.WriteLine($"{bench.Name}: logging in {accounts.Count} subscribers...");
                var payers = await LoginAsync(server.Address, accounts);
                await WarmUpAsync(bench.Name, server, payers, options.Connections);
                await WaitCreditedAsync(database, 0, TimeSpan.FromSeconds(60));
                await AnalyzeAsync(database);
                var blocked = await BlockAsync(database, accounts);
                var from = await MaxPaymentIdAsync(database);
                Console.WriteLine($"{bench.Name}: measuring {options.Seconds} s with {options.Connections} payers{(options.Rate is { } rate ? $" paced to {rate:F0} payments/s" : "")} ({blocked.Count} accounts blocked)...");
                var start = DateTimeOffset.UtcNow;
                var run = await Payers.RunAsync(server.Address, "/api/v1/accounts/{id}/payments", payers, options.Connections, TimeSpan.FromSeconds(options.Seconds), options.Rate);
                Report("run", run);
                var pending = await WaitCreditedAsync(database, from, TimeSpan.FromSeconds(60));
                kabinet = await CollectAsync(database, from, start, blocked, run);
                Console.WriteLine($"{bench.Name}: {kabinet.Credited} credited of {kabinet.Created} created ({pending} still not credited after the wait)");
                // Those have no notification time, so they are missing from the latency figures: say how many.
                notes.Add($"{bench.Name}: {kabinet.NotByNotification} of {kabinet.Credited} payments credited by something other than their notification (result page, reconciliation), not in the notification→credit figures");
            }

            Console.WriteLine($"{bench.Name}: verify-ledger...");
            await KabinetProcess.RunVerbAsync(bench.Environment, "verify-ledger");
            var check = await CheckLedgerAsync(database);
            Console.WriteLine($"{bench.Name}: {check}");
            notes.Add($"{bench.Name}: {check}");

            PayersResult bare;
            await using (var server = new BarePaymentsServer(rawConnection))
            {
                await server.StartAsync();
                var payers = accounts.Select(a => new Payer(a.Account, null)).ToList();
                await Payers.RunAsync(server.Address, "/bare/accounts/{id}/payments", payers, options.Connections, TimeSpan.FromSeconds(5));
                Console.WriteLine($"{bench.Name}: measuring the bare baseline...");
                bare = await Payers.RunAsync(server.Address, "/bare/accounts/{id}/payments", payers, options.Connections, TimeSpan.FromSeconds(options.Seconds));
                Report("bare", bare);
            }

            var bareRate = bare.Payments / bare.Seconds;
            var row = string.Create(CultureInfo.InvariantCulture,
                $"| {bench.Name} | {kabinet.Rate:F0} | {kabinet.P50:F1} / {kabinet.P99:F1} / {kabinet.Max:F1} | {kabinet.Run.Percentile(50):F1} / {kabinet.Run.Percentile(99):F1} | {kabinet.Unblocked} of {kabinet.Blocked} | {bareRate:F0} | {kabinet.Rate / bareRate:F2} |");
            // Printed at once too, so a later failure (another engine) does not lose it.
            Console.WriteLine(row);
            rows.Add(row);
        }
    }

    /// <summary>
    /// Pays in slices of 5 s until the server's tiered JIT has settled (its thread used under 2 % of
    /// a core in the last slice, after at least 15 s, at most 120 s): under full load it recompiles
    /// hot methods for about a minute, and the figures are meant for a server that has been running.
    /// </summary>
    private static async Task WarmUpAsync(string name, KabinetProcess server, IReadOnlyList<Payer> payers, int connections)
    {
        Console.WriteLine($"{name}: warm-up until the JIT settles...");
        var slice = TimeSpan.FromSeconds(5);
        var watch = Stopwatch.StartNew();
        var (payments, share) = (0, 1.0);
        while (watch.Elapsed < TimeSpan.FromSeconds(120) && (watch.Elapsed < TimeSpan.FromSeconds(15) || share >= 0.02))
        {
            var before = (server.TieredCompilationTicks(), watch.Elapsed);
            payments += (await Payers.RunAsync(server.Address, "/api/v1/accounts/{id}/payments", payers, connections, slice)).Payments;
            // Clock ticks are 1/100 s on Linux.
            share = (server.TieredCompilationTicks() - before.Item1) / 100.0 / (watch.Elapsed - before.Elapsed).TotalSeconds;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  warm-up: {payments} payments in {watch.Elapsed.TotalSeconds:F0} s; tiered JIT at {share:P1} of a core in the last 5 s"));
    }

    private static void Report(string what, PayersResult r) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {what}: {r.Payments} payments in {r.Seconds:F1} s ({r.Payments / r.Seconds:F0}/s), payer p50 {r.Percentile(50):F1} ms p99 {r.Percentile(99):F1} ms, {r.Failures} failures{(r.FirstFailure is null ? "" : " (first: " + r.FirstFailure + ")")}"));

    private async Task<List<(long Account, string Contract)>> SampleAsync(Database database)
    {
        await using var connection = await database.OpenAsync();
        var maxId = await connection.ExecuteScalarAsync<long>("SELECT MAX(id) FROM contracts");
        var random = new Random(42);
        var ids = new HashSet<long>();
        while (ids.Count < Math.Min(options.Users, maxId - DemoContracts))
        {
            ids.Add(random.NextInt64(DemoContracts + 1, maxId + 1));
        }

        var accounts = new List<(long, string)>(ids.Count);
        foreach (var id in ids)
        {
            accounts.Add(await connection.QuerySingleAsync<(long, string)>(
                "SELECT MIN(a.id), MIN(c.number) FROM accounts a JOIN contracts c ON c.id = a.contract_id WHERE c.id = @id", new { id }));
        }

        return accounts;
    }

    private static async Task<List<Payer>> LoginAsync(Uri server, List<(long Account, string Contract)> accounts)
    {
        using var client = new HttpClient { BaseAddress = server };
        var payers = new System.Collections.Concurrent.ConcurrentBag<Payer>();
        await Parallel.ForEachAsync(accounts, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (account, ct) =>
        {
            using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { contract = account.Contract, password = LoadPassword }, ct);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            payers.Add(new Payer(account.Account, body.GetProperty("access_token").GetString()!));
        });
        return [.. payers.OrderBy(p => p.AccountId)];
    }

    /// <summary>
    /// Brings PostgreSQL's statistics up to date, as autovacuum keeps them on a server that has been
    /// running: the copy of the seeded database starts with an empty payments table that the warm-up
    /// fills with some 10,000 rows, and autovacuum's first visit to a new database comes only about a
    /// minute after it was created. Until then the plans of statements prepared during the warm-up
    /// (generic for the group writes, see SqlRows.GenericPlans) read the payments table as empty and
    /// scan it whole for each lookup by key, which would make the measured window depend on when in
    /// it autovacuum happens to come.
    /// </summary>
    private static async Task AnalyzeAsync(Database database)
    {
        if (database.Kind == DatabaseKind.Postgres)
        {
            await using var connection = await database.OpenAsync();
            // Text: Dapper would take a single word for a stored procedure.
            await connection.ExecuteAsync("ANALYZE", commandTimeout: 600, commandType: System.Data.CommandType.Text);
        }
    }

    /// <summary>Blocks a quarter of the payers' accounts with a threshold just above their balance, so their payment unblocks them.</summary>
    private static async Task<List<long>> BlockAsync(Database database, List<(long Account, string Contract)> accounts)
    {
        var blocked = accounts.Where((_, i) => i % 4 == 0).Select(a => a.Account).ToList();
        await using var connection = await database.OpenAsync();
        await using var tx = await Database.BeginWriteAsync(connection);
        foreach (var id in blocked)
        {
            await connection.ExecuteAsync(
                "UPDATE accounts SET status = 2, threshold = (SELECT la.balance FROM ledger_accounts la WHERE la.id = accounts.ledger_account_id) + 100 WHERE id = @id",
                new { id }, tx);
        }

        await tx.CommitAsync();
        return blocked;
    }

    private static async Task<long> MaxPaymentIdAsync(Database database)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long?>("SELECT MAX(id) FROM payments") ?? 0;
    }

    /// <summary>Waits until every payment after <paramref name="from"/> is credited; returns how many are not.</summary>
    private static async Task<long> WaitCreditedAsync(Database database, long from, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            await using var connection = await database.OpenAsync();
            var left = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM payments WHERE id > @from AND status <> 2", new { from });
            if (left == 0 || watch.Elapsed > limit)
            {
                return left;
            }

            await Task.Delay(100);
        }
    }

    private sealed record Measured(long Created, long Credited, double Rate, double P50, double P99, double Max, long Blocked, long Unblocked, PayersResult Run, long NotByNotification);

    private static async Task<Measured> CollectAsync(Database database, long from, DateTimeOffset start, List<long> blocked, PayersResult run)
    {
        await using var connection = await database.OpenAsync();
        var created = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM payments WHERE id > @from", new { from });
        var credited = (await connection.QueryAsync<(DateTimeOffset? NotifiedAt, DateTimeOffset SucceededAt)>(
            "SELECT notified_at, succeeded_at FROM payments WHERE id > @from AND status = 2", new { from })).ToList();
        var last = credited.Count == 0 ? start : credited.Max(c => c.SucceededAt);
        var latencies = credited.Where(c => c.NotifiedAt is not null).Select(c => (c.SucceededAt - c.NotifiedAt!.Value).TotalMilliseconds).ToArray();
        if (latencies.Length != credited.Count)
        {
            Console.WriteLine($"  {credited.Count - latencies.Length} payments were credited by something other than a notification (result page, reconciliation)");
        }

        var unblocked = 0L;
        foreach (var id in blocked)
        {
            unblocked += await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM accounts WHERE id = @id AND status = 1", new { id });
        }

        return new Measured(created, credited.Count, credited.Count / (last - start).TotalSeconds,
            Percentile(latencies, 50), Percentile(latencies, 99), latencies.Length == 0 ? 0 : latencies.Max(), blocked.Count, unblocked, run,
            credited.Count - latencies.Length);
    }

    /// <summary>Every payment credited exactly once, with one journal transaction of its amount, and the gateway's transit account owing the sum.</summary>
    private static async Task<string> CheckLedgerAsync(Database database)
    {
        await using var connection = await database.OpenAsync();
        var succeeded = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM payments WHERE status = 2");
        var unlinked = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM payments WHERE status = 2 AND ledger_transaction_id IS NULL");
        var notSucceeded = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM payments WHERE status <> 2");
        var journal = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ledger_transactions WHERE idempotency_key LIKE 'payment:sandbox:%'");
        var shared = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM (SELECT ledger_transaction_id FROM payments WHERE ledger_transaction_id IS NOT NULL GROUP BY ledger_transaction_id HAVING COUNT(*) > 1) d");
        var paid = await connection.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(amount), 0) FROM payments WHERE status = 2");
        // What reached the subscribers' ledger accounts from the payments' journal transactions.
        var credited = await connection.ExecuteScalarAsync<long>(
            """
            SELECT COALESCE(SUM(e.amount), 0) FROM payments p
            JOIN accounts a ON a.id = p.account_id
            JOIN ledger_entries e ON e.transaction_id = p.ledger_transaction_id AND e.ledger_account_id = a.ledger_account_id
            WHERE p.status = 2
            """);
        var ok = unlinked == 0 && notSucceeded == 0 && journal == succeeded && shared == 0 && paid == credited;
        var text = $"ledger check {(ok ? "OK" : "FAILED")}: {succeeded} payments succeeded, {notSucceeded} not, {journal} payment journal transactions, {unlinked} without one, {shared} shared, paid {paid / 100m:F2} RUB, credited {credited / 100m:F2} RUB";
        return ok ? text : throw new InvalidOperationException(text);
    }

    public static double Percentile(double[] values, double p)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToArray();
        var index = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}
