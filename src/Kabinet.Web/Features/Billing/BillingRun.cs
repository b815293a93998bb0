using System.Data.Common;
using System.Globalization;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Domain.Ledger;
using Kabinet.Web.Hosting;

namespace Kabinet.Web.Features.Billing;

/// <summary>
/// What a run did: <paramref name="Days"/> are finished; <paramref name="StoppedOn"/> is the day it
/// stopped on half-way because another holder took the lease (that day is left to the holder).
/// </summary>
public sealed record BillingReport(bool Busy, IReadOnlyList<DayReport> Days, DateOnly? StoppedOn = null)
{
    /// <summary>The run lost its lease and did not finish.</summary>
    public bool LeaseLost => StoppedOn is not null;
}

/// <summary>One billed day: how many charges were new.</summary>
public sealed record DayReport(DateOnly Day, long Charges, TimeSpan Elapsed);

/// <summary>
/// Charges every billing day up to a date that is not charged yet (M30), then blocks and unblocks
/// by balance (M31). Safe to repeat (every charge has an idempotency key under a UNIQUE
/// constraint, finished days are skipped) and safe with several instances (a job lease lets one
/// run at a time; the keys would stop a double charge anyway).
/// </summary>
public sealed class BillingRun(Database database, OperatorClock clock, DayStart dayStart, ILogger<BillingRun> logger)
{
    /// <summary>Accounts charged per database transaction.</summary>
    public const int DefaultBatchSize = 50_000;

    /// <summary>SQLite's page cache for a batch.</summary>
    private const int SqliteCacheKilobytes = 256 * 1024;

    /// <summary>At most this many batches at once on PostgreSQL.</summary>
    public const int MaxWorkers = 4;

    /// <summary>Accounts per batch; tests make it small to bill a few accounts in several batches.</summary>
    internal int BatchSize { get; set; } = DefaultBatchSize;

    /// <summary>Called after each committed batch; tests use it to take the lease away mid-run.</summary>
    internal Func<Task>? AfterBatch { get; set; }

    private readonly string _holder = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>Charges every day after the last finished one up to and including <paramref name="upTo"/>.</summary>
    public async Task<BillingReport> RunUpToAsync(DateOnly upTo, CancellationToken ct)
    {
        if (!await JobLease.TryAcquireAsync(database, "billing", _holder, clock.UtcNow, TimeSpan.FromMinutes(10), ct))
        {
            return new BillingReport(true, []);
        }

        var days = new List<DayReport>();
        var day = upTo;
        try
        {
            for (day = await FirstUnbilledDayAsync(upTo, ct); day <= upTo; day = day.AddDays(1))
            {
                days.Add(await ChargeDayAsync(day, ct));
            }

            return new BillingReport(false, days);
        }
        catch (Exception e) when (IsLeaseLost(e))
        {
            // Only one instance charges: once another holds the lease this run stops. Its committed
            // batches stay (their keys stop the holder charging them again); the day stays unfinished
            // for the holder to complete.
            logger.LogError("Billing stopped on {Day}: the billing lease was taken by another instance; its batches committed so far stay, the rest is left to the lease holder", day);
            return new BillingReport(false, days, day);
        }
        finally
        {
            await JobLease.ReleaseAsync(database, "billing", _holder);
        }
    }

    private async Task<DateOnly> FirstUnbilledDayAsync(DateOnly upTo, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var last = await connection.ExecuteScalarAsync<DateOnly?>("SELECT MAX(day) FROM billing_days WHERE finished_at IS NOT NULL");
        if (last is { } d)
        {
            return d.AddDays(1);
        }

        // A database that was never billed starts on the day asked for, unless its very first run
        // died half-way: then that day is finished first and nothing after it is skipped.
        var crashed = await connection.ExecuteScalarAsync<DateOnly?>("SELECT MIN(day) FROM billing_days");
        return crashed is { } c && c < upTo ? c : upTo;
    }

    private async Task<DayReport> ChargeDayAsync(DateOnly day, CancellationToken ct)
    {
        var started = clock.UtcNow;
        var at = StartOf(day);
        await using (var connection = await database.OpenAsync(ct))
        {
            await connection.ExecuteAsync(
                "INSERT INTO billing_days (day, started_at, charges) VALUES (@day, @started, 0) ON CONFLICT (day) DO NOTHING",
                new { day, started });
        }

        await using (var connection = await database.OpenAsync(ct))
        {
            await RenewLeaseAsync(connection);
        }

        await dayStart.ApplyAsync(day, at, ct);
        long maxAccount;
        await using (var connection = await database.OpenAsync(ct))
        {
            maxAccount = await connection.ExecuteScalarAsync<long?>("SELECT MAX(id) FROM accounts") ?? 0;
        }

        // Batches cover disjoint accounts, so on PostgreSQL they run side by side, one per core:
        // the per-row work (key and foreign-key checks, index inserts) is CPU-bound in the server.
        // SQLite has one writer; its batches go one after another.
        long charges = 0;
        var workers = database.Kind == DatabaseKind.Postgres ? Math.Clamp(Environment.ProcessorCount, 1, MaxWorkers) : 1;
        await using (var checkpointer = database.Kind == DatabaseKind.Sqlite ? await WalCheckpointer.OpenAsync(database, logger, ct) : null)
        {
            await Parallel.ForEachAsync(
                BatchStarts(maxAccount),
                new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = ct },
                async (from, token) =>
                {
                    var charged = await ChargeBatchAsync(day, at, from, from + BatchSize, token);
                    checkpointer?.Request();
                    Interlocked.Add(ref charges, charged);
                    if (AfterBatch is { } afterBatch)
                    {
                        await afterBatch();
                    }
                });
            if (checkpointer is not null)
            {
                await checkpointer.FinishAsync();
            }
        }

        await using (var connection = await database.OpenAsync(ct))
        {
            await connection.ExecuteAsync(
                "UPDATE billing_days SET finished_at = @now, charges = charges + @charges WHERE day = @day",
                new { now = clock.UtcNow, charges, day });
        }

        var elapsed = clock.UtcNow - started;
        logger.LogInformation("Billed {Day}: {Charges} new charges in {Seconds:F1} s", day, charges, elapsed.TotalSeconds);
        return new DayReport(day, charges, elapsed);
    }

    private async Task<long> ChargeBatchAsync(DateOnly day, DateTimeOffset at, long from, long to, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        if (database.Kind != DatabaseKind.Sqlite)
        {
            await RenewLeaseAsync(connection);
            return await ChargeBatchAsync(connection, day, at, from, to, ct);
        }

        try
        {
            // A batch touches index pages all over a large journal: a page cache of its size instead
            // of the default 2 MB, and the staging tables in memory. Its commits (the lease's too,
            // renewed on this connection) leave the checkpoint to the run's checkpointer.
            await connection.ExecuteAsync($"PRAGMA cache_size = -{SqliteCacheKilobytes}; PRAGMA temp_store = MEMORY; {WalCheckpointer.AutomaticOff}");
            await RenewLeaseAsync(connection);
            return await ChargeBatchAsync(connection, day, at, from, to, ct);
        }
        finally
        {
            // The connection goes back to the pool with the default cache, checkpoints and foreign key
            // checks, whatever happened.
            await connection.ExecuteAsync($"PRAGMA cache_size = -2000; PRAGMA foreign_keys = ON; {WalCheckpointer.AutomaticOn}");
        }
    }

    /// <summary>
    /// The run holds the lease while it works: renewed before every day and batch. A run that finds
    /// another holder (it stalled past the lease's expiry and was taken over) stops there.
    /// </summary>
    private async Task RenewLeaseAsync(DbConnection connection)
    {
        if (!await JobLease.TryAcquireAsync(connection, "billing", _holder, clock.UtcNow, TimeSpan.FromMinutes(10)))
        {
            throw new LeaseLostException();
        }
    }

    private static bool IsLeaseLost(Exception e) =>
        e is LeaseLostException || (e is AggregateException all && all.Flatten().InnerExceptions.Any(i => i is LeaseLostException));

    /// <summary>Another instance holds the billing lease now.</summary>
    private sealed class LeaseLostException() : Exception("The billing lease is held by another instance.");

    private async Task<long> ChargeBatchAsync(DbConnection connection, DateOnly day, DateTimeOffset at, long from, long to, CancellationToken ct)
    {
        var sqlite = database.Kind == DatabaseKind.Sqlite;
        // Every id the batch writes comes from the row it refers to, read by the same statements:
        // accounts for the journal rows, the journal rows just inserted and the accounts' ledger
        // accounts for the entries. SQLite's foreign key checks (three lookups per charge) are skipped.
        await using var tx = await Database.BeginBulkWriteAsync(connection, ct);
        var args = new DynamicParameters(new
        {
            day,
            dayText = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            forDay = "за " + day.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture),
            dom = day.Day,
            yesterday = day.AddDays(-1),
            firstOfMonth = new DateOnly(day.Year, day.Month, 1),
            days = DateTime.DaysInMonth(day.Year, day.Month),
            from,
            to,
            at,
            revenue = SystemLedgerAccounts.Revenue,
            maxBefore = sqlite ? await connection.ExecuteScalarAsync<long?>("SELECT MAX(id) FROM ledger_transactions", transaction: tx) ?? 0 : 0,
        });
        long charged;
        if (sqlite)
        {
            await connection.ExecuteAsync(ChargeSql.CreateStage, transaction: tx);
            foreach (var stage in ChargeSql.Stage(database.Kind))
            {
                await connection.ExecuteAsync(stage, args, tx, commandTimeout: 600);
            }

            await connection.ExecuteAsync(ChargeSql.InsertTransactions, args, tx, commandTimeout: 600);
            await connection.ExecuteAsync(ChargeSql.PostEntries, args, tx, commandTimeout: 600);
            charged = await connection.ExecuteScalarAsync<long>(ChargeSql.CountNew, transaction: tx);
            await UpdateStatusesAsync(connection, tx, from, to, at);
        }
        else
        {
            // The batch's plan is known to be small and simple: no JIT, and its sorts and hashes in memory.
            await connection.ExecuteAsync("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'", transaction: tx);
            var (count, total) = await connection.QuerySingleAsync<(long Charges, long Total)>(ChargeSql.ChargePostgres, args, tx, commandTimeout: 600);
            charged = count;
            await connection.ExecuteAsync(ChargeSql.UpdateStatusesPostgres, new { from, to, at }, tx, commandTimeout: 600);
            if (total != 0)
            {
                await connection.ExecuteAsync(ChargeSql.CreditRevenue, new { total, at, revenue = SystemLedgerAccounts.Revenue }, tx);
            }
        }

        await tx.CommitAsync(ct);
        return charged;
    }

    /// <summary>SQLite: blocks and unblocks the batch's accounts by balance, with their outbox events.</summary>
    private static async Task UpdateStatusesAsync(DbConnection connection, DbTransaction tx, long from, long to, DateTimeOffset at)
    {
        var blocked = (await connection.QueryAsync<long>(
            """
            UPDATE accounts SET status = 2
            WHERE id >= @from AND id < @to AND status = 1
              AND threshold > (SELECT la.balance FROM ledger_accounts la WHERE la.id = accounts.ledger_account_id)
            RETURNING id
            """,
            new { from, to }, tx)).ToList();
        var unblocked = (await connection.QueryAsync<long>(
            """
            UPDATE accounts SET status = 1
            WHERE id >= @from AND id < @to AND status = 2
              AND threshold <= (SELECT la.balance FROM ledger_accounts la WHERE la.id = accounts.ledger_account_id)
            RETURNING id
            """,
            new { from, to }, tx)).ToList();
        await connection.ExecuteAsync(
            "INSERT INTO account_events (account_id, kind, occurred_at, details) VALUES (@id, @kind, @at, 'billing')",
            blocked.Select(id => new { id, kind = "blocked", at }).Concat(unblocked.Select(id => new { id, kind = "unblocked", at })),
            tx);
    }

    private IEnumerable<long> BatchStarts(long maxAccount)
    {
        for (long from = 1; from <= maxAccount; from += BatchSize)
        {
            yield return from;
        }
    }

    /// <summary>Charges are dated at the start of their billing day in the operator's zone.</summary>
    private DateTimeOffset StartOf(DateOnly day) =>
        new(TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue), clock.Zone), TimeSpan.Zero);
}
