using System.Text.RegularExpressions;
using System.Diagnostics;
using System.Globalization;
using Kabinet.Data.Connections;
using Kabinet.Web.Tests.Infrastructure;

namespace Kabinet.Bench;

/// <summary>A seeded database for a benchmark, with the environment that points Kabinet at it.</summary>
internal sealed record BenchDatabase(string Name, Dictionary<string, string> Environment, string ConnectionString, string? SeedReport);

/// <summary>
/// Seeds databases with N load-test subscribers through Kabinet's own <c>seed-demo</c> verb. The
/// SQLite file is kept between runs (seeding a million takes a minute); the PostgreSQL server is the
/// private one the tests use, started for the run.
/// </summary>
internal static class BenchDatabases
{
    /// <summary>
    /// Runs a measurement on each engine the options ask for: a fresh seeded SQLite file, or a
    /// private PostgreSQL server seeded the same way (stopped afterwards), or with --keep-postgres a
    /// copy of the database seeded once in a cluster kept under the work directory.
    /// </summary>
    public static async Task EachAsync(DashboardBenchOptions options, Func<BenchDatabase, Database, Task> measure)
    {
        foreach (var db in options.Databases)
        {
            if (db == "sqlite")
            {
                var bench = await SqliteAsync(options.WorkDirectory, options.Subscribers, fresh: true);
                await measure(bench, new Database(DatabaseKind.Sqlite, bench.ConnectionString));
            }
            else if (options.KeepPostgres)
            {
                var (server, bench) = await KeptPostgres.StartAsync(options.WorkDirectory, options.Subscribers);
                await using (server)
                {
                    await measure(bench, new Database(DatabaseKind.Postgres, bench.ConnectionString));
                }
            }
            else
            {
                await using var postgres = await PostgresServer.StartAsync();
                var bench = await PostgresAsync(postgres, options.Subscribers);
                await measure(bench, new Database(DatabaseKind.Postgres, bench.ConnectionString));
            }
        }
    }

    /// <summary>Prints a benchmark's Markdown table (the README's form) and its notes.</summary>
    public static void Print(string title, string header, IEnumerable<string> rows, IEnumerable<string> notes)
    {
        Console.WriteLine();
        Console.WriteLine(title);
        Console.WriteLine(header);
        Console.WriteLine(Regex.Replace(header, "[^|]+", m => m.Index == 1 ? "---" : "---:"));
        foreach (var line in rows.Concat(notes))
        {
            Console.WriteLine(line);
        }
    }

    public static async Task<BenchDatabase> SqliteAsync(string workDirectory, int subscribers, bool fresh)
    {
        var seeded = Path.Combine(workDirectory, $"sqlite-{subscribers}.db");
        string? report = null;
        if (!File.Exists(seeded + ".seeded"))
        {
            Delete(seeded);
            report = await SeedAsync("SQLite", Environment("sqlite", $"Data Source={seeded}"), subscribers);
            await File.WriteAllTextAsync(seeded + ".seeded", "ok");
        }

        var path = seeded;
        if (fresh)
        {
            // A benchmark that writes (billing) works on a copy, so every run starts the same.
            path = Path.Combine(workDirectory, $"sqlite-{subscribers}-work.db");
            Delete(path);
            File.Copy(seeded, path);
            // On disk before the measurement starts: otherwise the kernel writes the copy's
            // gigabytes back while the benchmark runs, and the figures measure that too.
            using var copy = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
            copy.Flush(flushToDisk: true);
        }

        var connectionString = $"Data Source={path}";
        return new BenchDatabase("SQLite", Environment("sqlite", connectionString), connectionString, report);
    }

    public static async Task<BenchDatabase> PostgresAsync(PostgresServer server, int subscribers)
    {
        var connectionString = await server.CreateDatabaseAsync("kabinet_bench_" + Guid.NewGuid().ToString("N")[..8]);
        var env = Environment("postgres", connectionString);
        var report = await SeedAsync("PostgreSQL", env, subscribers);
        return new BenchDatabase("PostgreSQL", env, connectionString, report);
    }

    /// <summary>Where the sandbox acquirer's files of benchmark runs go; emptied when a benchmark starts.</summary>
    public static string SandboxDirectory { get; } = Path.Combine(Path.GetTempPath(), "kabinet-bench-sandbox");

    /// <summary>Removes the sandbox acquirer's files of earlier runs (benchmarks run one at a time).</summary>
    public static void ClearSandboxFiles()
    {
        if (Directory.Exists(SandboxDirectory))
        {
            Directory.Delete(SandboxDirectory, recursive: true);
        }

        Directory.CreateDirectory(SandboxDirectory);
    }

    /// <summary>
    /// The key-encryption certificate of every benchmark database, made once with the keys-certificate
    /// verb as an operator makes it, and kept: kept seeded databases hold keys encrypted with it.
    /// </summary>
    public static string CertificatePath { get; } = Path.Combine(Path.GetTempPath(), "kabinet-bench-keys.pfx");

    /// <summary>
    /// How the benchmarks start Kabinet: the production unit's environment (deploy/systemd) and the
    /// README's demo mode, which brings the sandbox acquirer the payments benchmark pays through. The
    /// only other settings are the benchmark's own: its database, billing run by hand, and login
    /// throttles lifted for thousands of logins from one address.
    /// </summary>
    public static Dictionary<string, string> Environment(string database, string connectionString) => new(ShippedSettings.Environment)
    {
        ["Kabinet__Database"] = database,
        ["ConnectionStrings__Kabinet"] = connectionString,
        // The sandbox acquirer (the bank's side) in a file of its own for this database.
        ["Kabinet__Sandbox__DatabasePath"] = Path.Combine(SandboxDirectory, Guid.NewGuid().ToString("N") + ".db"),
        ["Kabinet__Demo"] = "true",
        ["Kabinet__DataProtection__CertificatePath"] = CertificatePath,
        ["Kabinet__Billing__Enabled"] = "false",
        ["Kabinet__Login__PerIpPerMinute"] = "1000000",
        ["Kabinet__Login__FailuresPerContract"] = "1000000",
    };

    /// <summary>Makes the certificate the first time a benchmark runs on this machine.</summary>
    public static async Task EnsureCertificateAsync()
    {
        if (!File.Exists(CertificatePath))
        {
            await KabinetProcess.RunVerbAsync(new Dictionary<string, string>(), "keys-certificate", "--out", CertificatePath);
        }
    }

    private static async Task<string> SeedAsync(string name, Dictionary<string, string> env, int subscribers)
    {
        Console.WriteLine($"Seeding {subscribers:N0} subscribers on {name}...");
        var watch = Stopwatch.StartNew();
        await KabinetProcess.RunVerbAsync(env, "seed-demo", "--subscribers", subscribers.ToString(CultureInfo.InvariantCulture));
        return $"seed-demo --subscribers {subscribers} on {name}: {watch.Elapsed.TotalSeconds:F1} s (including the demo provider and migrations)";
    }

    private static void Delete(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
