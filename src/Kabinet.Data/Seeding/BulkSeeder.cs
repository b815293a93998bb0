using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Domain.Catalog;
using Kabinet.Domain.Ledger;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Kabinet.Data.Seeding;

/// <summary>What a bulk seeding run added and how long it took.</summary>
public sealed record BulkSeedReport(int Subscribers, long FirstContractNumber, long LastContractNumber, TimeSpan Elapsed);

/// <summary>
/// Adds many subscribers with a little history for load tests, fast: ids are assigned here (after
/// the current maxima) so rows reference each other without round trips, and the rows go in
/// through prepared statements on SQLite and binary COPY on PostgreSQL, in one transaction.
/// Each subscriber gets a contract, an account on an individual internet tariff with its ledger
/// account, a PPPoE access point, an opening cash payment and the daily charges of the last two
/// days; the cached balances, the system accounts' included, stay equal to the sums of entries.
/// </summary>
public static class BulkSeeder
{
    /// <summary>The title of every seeded account.</summary>
    internal const string AccountTitle = "Интернет";

    private const int BatchSize = 20_000;
    private const long ContractBase = 100_000_000_000;

    /// <summary>
    /// Adds <paramref name="subscribers"/> subscribers to a migrated database that holds a tariff
    /// catalogue. Every contract gets <paramref name="sharedPasswordHash"/>: hashing is deliberately
    /// slow, so the caller hashes one password once.
    /// </summary>
    public static async Task<BulkSeedReport> SeedAsync(
        Database database,
        int subscribers,
        string sharedPasswordHash,
        DateTimeOffset now,
        Action<string>? progress = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(subscribers);
        ArgumentException.ThrowIfNullOrWhiteSpace(sharedPasswordHash);

        var stopwatch = Stopwatch.StartNew();
        var calendar = new SeedCalendar(now);
        await using var connection = await database.OpenAsync(ct);
        await using IBulkWriter writer = connection switch
        {
            SqliteConnection sqlite => new SqliteBulkWriter(sqlite, calendar, sharedPasswordHash),
            NpgsqlConnection postgres => new PostgresBulkWriter(postgres, calendar, sharedPasswordHash),
            _ => throw new NotSupportedException($"No bulk loader for {connection.GetType().Name}."),
        };

        await writer.BeforeTransactionAsync(ct);
        try
        {
            long firstContract;
            await using (var tx = await Database.BeginWriteAsync(connection, ct))
            {
                await writer.StartAsync(tx, ct);
                var tariffs = await ReadTariffsAsync(connection, tx, calendar);
                var start = await ReadStartAsync(connection, tx);
                firstContract = ContractBase + start.ContractSequence;
                if (start.ContractSequence + subscribers - 1 > 899_999_999_999)
                {
                    throw new InvalidOperationException("The contract numbers would run past twelve digits.");
                }

                var generator = new SeedGenerator(start, tariffs, calendar, writer.WantsTextInstants);
                long revenue = 0;
                long cash = 0;
                // Generating the next batch overlaps writing this one: two cores, two jobs.
                var next = Task.Run(() => generator.Generate(0, Math.Min(BatchSize, subscribers)), ct);
                for (var done = 0; done < subscribers;)
                {
                    var rows = await next;
                    var after = done + rows.Length;
                    next = after < subscribers
                        ? Task.Run(() => generator.Generate(after, Math.Min(BatchSize, subscribers - after)), ct)
                        : Task.FromResult(Array.Empty<SeedRow>());

                    await writer.WriteAsync(rows, ct);
                    foreach (ref readonly var row in rows.AsSpan())
                    {
                        revenue += row.Fee0 + row.Fee1;
                        cash -= row.Payment;
                    }

                    done = after;
                    progress?.Invoke(string.Create(CultureInfo.InvariantCulture, $"Seeded {done:N0} of {subscribers:N0} subscribers ({stopwatch.Elapsed.TotalSeconds:F1} s)"));
                }

                await writer.AfterLoadAsync(tx, ct);
                await AddToBalanceAsync(connection, tx, SystemLedgerAccounts.Revenue, revenue, calendar.Now);
                await AddToBalanceAsync(connection, tx, SystemLedgerAccounts.CashDesk, cash, calendar.Now);
                await tx.CommitAsync(ct);
            }

            // A million new rows leave the planner's statistics stale (PostgreSQL would not use the
            // ledger indexes until autovacuum came round); refresh them before anyone queries.
            // Text, said outright: Dapper takes a command without spaces for a stored procedure.
            await connection.ExecuteAsync("ANALYZE", commandTimeout: 600, commandType: System.Data.CommandType.Text);
            stopwatch.Stop();
            return new BulkSeedReport(subscribers, firstContract, firstContract + subscribers - 1, stopwatch.Elapsed);
        }
        finally
        {
            await writer.RestoreAsync(CancellationToken.None);
        }
    }

    private static async Task<IReadOnlyList<SeedTariff>> ReadTariffsAsync(DbConnection connection, DbTransaction tx, SeedCalendar calendar)
    {
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tariffs", transaction: tx) == 0)
        {
            throw new InvalidOperationException("seed the demo catalogue first");
        }

        var rows = await connection.QueryAsync<(long Id, long MonthlyFee)>(
            "SELECT id, monthly_fee FROM tariffs WHERE is_archived = FALSE AND audience = @audience AND category IN (@internet, @bundle) ORDER BY id",
            new { audience = (int)Audience.Individual, internet = (int)ServiceCategory.Internet, bundle = (int)ServiceCategory.Bundle },
            tx);
        var tariffs = rows
            .Select(t => new SeedTariff(t.Id, t.MonthlyFee, DailyPart(t.MonthlyFee, calendar.ChargeDay0), DailyPart(t.MonthlyFee, calendar.ChargeDay1)))
            // A ledger entry cannot be zero, so a tariff too cheap to charge every day is left out.
            .Where(t => t.Fee0 > 0 && t.Fee1 > 0)
            .ToList();
        return tariffs.Count > 0
            ? tariffs
            : throw new InvalidOperationException(
                "The catalogue has no active individual internet or bundle tariff with a daily fee; seed the demo catalogue first.");
    }

    /// <summary>The day's share of a monthly fee, kopeck-exact so that the days add up to the fee.</summary>
    private static long DailyPart(long monthlyFee, DateOnly day) =>
        new Domain.Money.Money(monthlyFee).Split(DateTime.DaysInMonth(day.Year, day.Month))[day.Day - 1].Kopecks;

    private static async Task<SeedStart> ReadStartAsync(DbConnection connection, DbTransaction tx)
    {
        var maxima = await connection.QuerySingleAsync<(long Subscribers, long Contracts, long LedgerAccounts, long Accounts, long AccessPoints, long Transactions, long Entries)>(
            """
            SELECT (SELECT COALESCE(MAX(id), 0) FROM subscribers),
                   (SELECT COALESCE(MAX(id), 0) FROM contracts),
                   (SELECT COALESCE(MAX(id), 0) FROM ledger_accounts),
                   (SELECT COALESCE(MAX(id), 0) FROM accounts),
                   (SELECT COALESCE(MAX(id), 0) FROM access_points),
                   (SELECT COALESCE(MAX(id), 0) FROM ledger_transactions),
                   (SELECT COALESCE(MAX(id), 0) FROM ledger_entries)
            """,
            transaction: tx);
        // Twelve-digit numbers sort as text in number order.
        var highest = await connection.ExecuteScalarAsync<string?>(
            "SELECT MAX(number) FROM contracts WHERE length(number) = 12", transaction: tx);
        var sequence = highest is not null
            && long.TryParse(highest, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            && number > ContractBase
                ? number - ContractBase
                : 0;

        return new SeedStart(
            maxima.Subscribers + 1,
            maxima.Contracts + 1,
            Math.Max(maxima.LedgerAccounts + 1, SystemLedgerAccounts.FirstSubscriberLedgerAccount),
            maxima.Accounts + 1,
            maxima.AccessPoints + 1,
            maxima.Transactions + 1,
            maxima.Entries + 1,
            sequence + 1);
    }

    private static async Task AddToBalanceAsync(DbConnection connection, DbTransaction tx, long ledgerAccountId, long delta, DateTimeOffset at) =>
        await connection.ExecuteAsync(
            "UPDATE ledger_accounts SET balance = balance + @delta, updated_at = @at WHERE id = @ledgerAccountId",
            // Spelled out for SQLite: Dapper hands a DateTimeOffset to the driver as is, whose text
            // form has seven fraction digits instead of the six the schema keeps.
            new { delta, at = connection is SqliteConnection ? TypeHandlers.SqliteInstant(at) : (object)at, ledgerAccountId },
            tx);
}
