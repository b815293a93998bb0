using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Kabinet.Bench;

/// <summary>
/// Issue 2's load benchmark: seeds N subscribers, logs many of them in once each, then loads the
/// dashboard page and GET /api/v1/me with wrk, and the bare baseline endpoint on the same database.
/// </summary>
internal sealed class DashboardBench(DashboardBenchOptions options)
{
    private const string LoadPassword = "kabinet-load";
    private const int DemoContracts = 31;

    public async Task RunAsync()
    {
        Directory.CreateDirectory(options.WorkDirectory);
        var report = new List<string>();
        foreach (var db in options.Databases)
        {
            if (db == "sqlite")
            {
                var bench = await BenchDatabases.SqliteAsync(options.WorkDirectory, options.Subscribers, fresh: false);
                AddSeed(report, bench);
                var path = bench.ConnectionString["Data Source=".Length..];
                report.AddRange(await MeasureAsync(bench.Name, bench.Environment, new Database(DatabaseKind.Sqlite, bench.ConnectionString),
                    () => new SqliteConnection($"Data Source={path};Pooling=true")));
            }
            else if (options.KeepPostgres)
            {
                var (server, bench) = await KeptPostgres.StartAsync(options.WorkDirectory, options.Subscribers);
                await using (server)
                {
                    report.AddRange(await MeasurePostgresAsync(bench));
                }
            }
            else
            {
                await using var postgres = await PostgresServer.StartAsync();
                report.AddRange(await MeasurePostgresAsync(await BenchDatabases.PostgresAsync(postgres, options.Subscribers)));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Dashboard benchmark: {options.Subscribers:N0} subscribers, {options.Users} logged-in users, {options.Connections} connections, {options.Seconds} s per run, wrk -t2 on 127.0.0.1, {System.Environment.ProcessorCount} cores");
        Console.WriteLine("| database | target | requests/s | p50 ms | p99 ms | errors | vs baseline |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var line in report.Where(l => l.StartsWith('|')))
        {
            Console.WriteLine(line);
        }

        foreach (var line in report.Where(l => !l.StartsWith('|')))
        {
            Console.WriteLine(line);
        }
    }

    private async Task<List<string>> MeasurePostgresAsync(BenchDatabase bench)
    {
        var report = new List<string>();
        AddSeed(report, bench);
        using var source = NpgsqlDataSource.Create(bench.ConnectionString);
        report.AddRange(await MeasureAsync(bench.Name, bench.Environment, new Database(DatabaseKind.Postgres, bench.ConnectionString), source.CreateConnection));
        return report;
    }

    private static void AddSeed(List<string> report, BenchDatabase bench)
    {
        if (bench.SeedReport is not null)
        {
            report.Add(bench.SeedReport);
        }
    }

    private async Task<List<string>> MeasureAsync(string name, Dictionary<string, string> env, Database database, Func<DbConnection> rawConnection)
    {
        var (contracts, firstAccount, lastAccount) = await SampleAsync(database);
        database.Dispose();
        LoadResult page, api;
        await using (var server = await KabinetProcess.StartServerAsync(env.Concat(options.ServerEnvironment).ToDictionary(kv => kv.Key, kv => kv.Value)))
        {
            Console.WriteLine($"{name}: logging in {contracts.Count} subscribers (tokens and cookies)...");
            var tokens = await Logins.TokensAsync(server.Address, contracts, LoadPassword);
            var cookies = await Logins.CookiesAsync(server.Address, contracts, LoadPassword);
            var tokenFile = await WriteLinesAsync(tokens.Select(t => "Bearer " + t));
            var cookieFile = await WriteLinesAsync(cookies);
            var apiScript = Wrk.RotatingHeaderScript("Authorization", tokenFile);
            var pageScript = Wrk.RotatingHeaderScript("Cookie", cookieFile);
            // Long enough for tiered JIT and dynamic PGO to settle on the hot paths.
            await Wrk.RunAsync("warm-up", new Uri(server.Address, "/api/v1/me").ToString(), apiScript, options.Connections, 15);
            await Wrk.RunAsync("warm-up", new Uri(server.Address, "/").ToString(), pageScript, options.Connections, 20);
            Console.WriteLine($"{name}: measuring the dashboard page and /api/v1/me...");
            page = await Wrk.RunAsync("dashboard page /", new Uri(server.Address, "/").ToString(), pageScript, options.Connections, options.Seconds);
            api = await Wrk.RunAsync("GET /api/v1/me", new Uri(server.Address, "/api/v1/me").ToString(), apiScript, options.Connections, options.Seconds);
        }

        LoadResult baseline;
        await using (var bare = new BaselineServer(rawConnection))
        {
            await bare.StartAsync();
            var script = Wrk.RandomIdScript("/baseline", firstAccount, lastAccount);
            await Wrk.RunAsync("warm-up", new Uri(bare.Address, "/baseline").ToString(), script, options.Connections, 5);
            Console.WriteLine($"{name}: measuring the bare baseline...");
            baseline = await Wrk.RunAsync("bare baseline", new Uri(bare.Address, "/baseline").ToString(), script, options.Connections, options.Seconds);
        }

        List<string> rows = [Row(name, page, baseline), Row(name, api, baseline), Row(name, baseline, baseline)];
        // Printed at once too, so a later failure (another engine) does not lose these figures.
        rows.ForEach(Console.WriteLine);
        return rows;
    }

    private static string Row(string database, LoadResult r, LoadResult baseline) =>
        string.Create(CultureInfo.InvariantCulture,
            $"| {database} | {r.Name} | {r.RequestsPerSecond:F0} | {r.P50Ms:F2} | {r.P99Ms:F2} | {r.Errors} | {r.RequestsPerSecond / baseline.RequestsPerSecond:F2} |");

    private async Task<(List<string> Contracts, long FirstAccount, long LastAccount)> SampleAsync(Database database)
    {
        await using var connection = await database.OpenAsync();
        var maxId = await connection.ExecuteScalarAsync<long>("SELECT MAX(id) FROM contracts");
        var random = new Random(42);
        var ids = Enumerable.Range(0, options.Users).Select(_ => random.NextInt64(DemoContracts + 1, maxId + 1)).Distinct().ToList();
        var contracts = new List<string>(ids.Count);
        foreach (var id in ids)
        {
            contracts.Add(await connection.ExecuteScalarAsync<string>("SELECT number FROM contracts WHERE id = @id", new { id }) ?? "");
        }

        var first = await connection.ExecuteScalarAsync<long>("SELECT MIN(id) FROM accounts WHERE contract_id > @demo", new { demo = DemoContracts });
        var last = await connection.ExecuteScalarAsync<long>("SELECT MAX(id) FROM accounts");
        return (contracts, first, last);
    }

    private static async Task<string> WriteLinesAsync(IEnumerable<string> lines)
    {
        var file = Path.Combine(Path.GetTempPath(), $"kabinet-bench-{Guid.NewGuid():N}.txt");
        await File.WriteAllLinesAsync(file, lines);
        return file;
    }
}
