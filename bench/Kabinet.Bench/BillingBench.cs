using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Kabinet.Bench;

/// <summary>
/// Issue 3's billing benchmark: charges one day for every seeded account through the real
/// <c>bill</c> verb, runs the same day again, and measures in the same database the bare
/// "insert one charge row and update one balance" per account as the yardstick.
/// </summary>
internal sealed partial class BillingBench(DashboardBenchOptions options)
{
    public async Task RunAsync()
    {
        Directory.CreateDirectory(options.WorkDirectory);
        var rows = new List<string>();
        var notes = new List<string>();
        await BenchDatabases.EachAsync(options, (bench, database) => MeasureAsync(bench, database, rows, notes));
        BenchDatabases.Print($"Billing benchmark: one day for {options.Subscribers:N0} seeded subscribers (plus the demo provider), {System.Environment.ProcessorCount} cores",
            "| database | charges | wall time s | accounts/s | same day again s | forced re-run s | bare insert+update accounts/s | ratio |", rows, notes);
    }

    private static async Task MeasureAsync(BenchDatabase bench, Database database, List<string> rows, List<string> notes)
    {
        if (bench.SeedReport is not null)
        {
            notes.Add(bench.SeedReport);
        }

        using (database)
        {
            long accounts;
            DateOnly day;
            await using (var connection = await database.OpenAsync())
            {
                accounts = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM accounts");
                // The demo seed marks its history as billed: bill the first day after it.
                day = (await connection.ExecuteScalarAsync<DateOnly>("SELECT MAX(day) FROM billing_days")).AddDays(1);
            }

            Console.WriteLine($"{bench.Name}: billing {day:yyyy-MM-dd} for {accounts:N0} accounts...");
            var (charges, seconds) = await BillAsync(bench, day);
            var again = Stopwatch.StartNew();
            await BillAsync(bench, day);
            var againSeconds = again.Elapsed.TotalSeconds;
            await using (var connection = await database.OpenAsync())
            {
                // As after a crash before the day was marked done: every charge is tried again and refused by its key.
                await connection.ExecuteAsync("UPDATE billing_days SET finished_at = NULL WHERE day = @day", new { day });
            }

            var (recharged, forcedSeconds) = await BillAsync(bench, day);
            if (recharged != 0)
            {
                throw new InvalidOperationException($"The forced re-run charged {recharged} again.");
            }

            Console.WriteLine($"{bench.Name}: verify-ledger...");
            await KabinetProcess.RunVerbAsync(bench.Environment, "verify-ledger");
            Console.WriteLine($"{bench.Name}: bare insert-and-update baseline...");
            var bare = await BareAsync(database, accounts);
            var rate = accounts / seconds;
            var row = string.Create(CultureInfo.InvariantCulture,
                $"| {bench.Name} | {charges} | {seconds:F1} | {rate:F0} | {againSeconds:F1} | {forcedSeconds:F1} | {bare:F0} | {rate / bare:F2} |");
            // Printed at once too, so a later failure (another engine) does not lose it.
            Console.WriteLine(row);
            rows.Add(row);
        }
    }

    private static async Task<(long Charges, double Seconds)> BillAsync(BenchDatabase bench, DateOnly day)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Kabinet.Web.dll"));
        foreach (var a in new[] { "bill", "--date", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (key, value) in bench.Environment)
        {
            psi.Environment[key] = value;
        }

        using var process = Process.Start(psi)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Console.Write(output);
        var match = DayLine().Match(output);
        return match.Success
            ? (long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture))
            : (0, 0);
    }

    /// <summary>Per account: insert one charge row and update one balance, prepared, in one transaction.</summary>
    private static async Task<double> BareAsync(Database database, long accounts)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("DROP TABLE IF EXISTS bench_charge; DROP TABLE IF EXISTS bench_balance;");
        await connection.ExecuteAsync("CREATE TABLE bench_charge (id BIGINT PRIMARY KEY, account_id BIGINT NOT NULL, amount BIGINT NOT NULL); CREATE TABLE bench_balance (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL);");
        await connection.ExecuteAsync("INSERT INTO bench_balance (id, balance) SELECT id, 0 FROM accounts");
        var watch = Stopwatch.StartNew();
        await using (var tx = await connection.BeginTransactionAsync())
        {
            if (connection is SqliteConnection)
            {
                await using var insert = connection.CreateCommand();
                insert.Transaction = tx;
                insert.CommandText = "INSERT INTO bench_charge (id, account_id, amount) VALUES ($id, $id, 1833); UPDATE bench_balance SET balance = balance - 1833 WHERE id = $id;";
                var id = insert.CreateParameter();
                id.ParameterName = "$id";
                insert.Parameters.Add(id);
                insert.Prepare();
                for (long i = 1; i <= accounts; i++)
                {
                    id.Value = i;
                    await insert.ExecuteNonQueryAsync();
                }
            }
            else
            {
                // PostgreSQL: the same statements, sent 1,000 at a time in one round trip.
                var npgsql = (NpgsqlConnection)connection;
                for (long start = 1; start <= accounts; start += 1000)
                {
                    await using var batch = new NpgsqlBatch(npgsql, (NpgsqlTransaction)tx);
                    for (var i = start; i < start + 1000 && i <= accounts; i++)
                    {
                        batch.BatchCommands.Add(new NpgsqlBatchCommand("INSERT INTO bench_charge (id, account_id, amount) VALUES ($1, $1, 1833)") { Parameters = { new() { Value = i } } });
                        batch.BatchCommands.Add(new NpgsqlBatchCommand("UPDATE bench_balance SET balance = balance - 1833 WHERE id = $1") { Parameters = { new() { Value = i } } });
                    }

                    await batch.ExecuteNonQueryAsync();
                }
            }

            await tx.CommitAsync();
        }

        var rate = accounts / watch.Elapsed.TotalSeconds;
        await connection.ExecuteAsync("DROP TABLE bench_charge; DROP TABLE bench_balance;");
        return rate;
    }

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}: (\d+) charges in ([\d.]+) s")]
    private static partial Regex DayLine();
}
