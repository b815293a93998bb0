using System.Diagnostics;
using System.Globalization;
using Kabinet.Web.Tests.Infrastructure;
using Npgsql;

namespace Kabinet.Bench;

/// <summary>
/// A PostgreSQL cluster kept under the work directory between runs (<c>--keep-postgres</c>), so a
/// million subscribers are seeded once instead of every run: the seeded database stays as it is and
/// each run measures a fresh copy of it (<c>CREATE DATABASE ... TEMPLATE</c>, seconds instead of
/// minutes). Same settings as the tests' private server; stopped, not deleted, at the end.
/// </summary>
internal sealed class KeptPostgres : IAsyncDisposable
{
    private const string Seeded = "kabinet_seeded";
    private const string Work = "kabinet_work";

    private readonly string _root;
    private readonly string _pgBin;

    private KeptPostgres(string root, string pgBin, int port)
    {
        _root = root;
        _pgBin = pgBin;
        Port = port;
    }

    private int Port { get; }

    private string DataDirectory => Path.Combine(_root, "data");

    /// <summary>Starts (initialising and seeding the first time) the kept cluster and copies the seeded database for this run.</summary>
    public static async Task<(KeptPostgres Server, BenchDatabase Bench)> StartAsync(string workDirectory, int subscribers)
    {
        var root = Path.Combine(workDirectory, $"pg-{subscribers}");
        var marker = Path.Combine(root, "seeded");
        var server = new KeptPostgres(root, Path.GetDirectoryName(PostgresServer.FindBinary("initdb"))!, KabinetProcess.FreePort());
        string? report = null;
        if (!File.Exists(marker))
        {
            if (Directory.Exists(root))
            {
                await server.StopAsync();
                Directory.Delete(root, recursive: true);
            }

            Directory.CreateDirectory(root);
            if (AsPostgresUser)
            {
                await RunAsync("chown", "postgres", root);
            }

            await server.PgAsync($"initdb -D '{server.DataDirectory}' -U postgres -A trust --no-sync");
            await server.StartServerAsync();
            await server.AdminAsync($"CREATE DATABASE {Seeded}");
            var env = BenchDatabases.Environment("postgres", server.ConnectionString(Seeded));
            Console.WriteLine($"Seeding {subscribers:N0} subscribers on PostgreSQL (kept in {root})...");
            var watch = Stopwatch.StartNew();
            await KabinetProcess.RunVerbAsync(env, "seed-demo", "--subscribers", subscribers.ToString(CultureInfo.InvariantCulture));
            report = $"seed-demo --subscribers {subscribers} on PostgreSQL: {watch.Elapsed.TotalSeconds:F1} s (including the demo provider and migrations; kept for later runs)";
            await File.WriteAllTextAsync(marker, "ok");
        }
        else
        {
            await server.StartServerAsync();
        }

        Console.WriteLine($"PostgreSQL: copying the seeded database of {root}...");
        await server.AdminAsync($"DROP DATABASE IF EXISTS {Work}");
        await server.AdminAsync($"CREATE DATABASE {Work} TEMPLATE {Seeded}");
        var connectionString = server.ConnectionString(Work);
        return (server, new BenchDatabase("PostgreSQL", BenchDatabases.Environment("postgres", connectionString), connectionString, report));
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await StopAsync();
    }

    private static bool AsPostgresUser => string.Equals(System.Environment.UserName, "root", StringComparison.Ordinal);

    private string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
        MaxPoolSize = 100,
    }.ConnectionString;

    private async Task StartServerAsync()
    {
        var options = string.Create(CultureInfo.InvariantCulture,
            $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300");
        await PgAsync($"pg_ctl -D '{DataDirectory}' -o '{options}' -l '{Path.Combine(_root, "postgres.log")}' -w -t 60 start");
    }

    private async Task StopAsync()
    {
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            await PgAsync($"pg_ctl -D '{DataDirectory}' -m fast -w -t 60 stop");
        }
    }

    private async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString("postgres")) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // fixed database names of this class
        command.CommandText = sql;
#pragma warning restore CA2100
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync();
    }

    private Task PgAsync(string commandLine) =>
        AsPostgresUser
            ? RunAsync("su", "postgres", "-c", $"{_pgBin}/{commandLine}")
            : RunAsync("/bin/sh", "-c", $"{_pgBin}/{commandLine}");

    private static async Task RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stdout}{await stderr}");
        }
    }
}
