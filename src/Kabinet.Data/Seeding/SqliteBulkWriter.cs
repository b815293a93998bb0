using System.Data.Common;
using Kabinet.Data.Connections;
using Kabinet.Domain.Ledger;
using Kabinet.Domain.Subscribers;
using Microsoft.Data.Sqlite;

namespace Kabinet.Data.Seeding;

/// <summary>
/// Loads seed rows into SQLite through one prepared INSERT per table, reused for every row, inside
/// the caller's single write transaction. Table by table within a batch, so each B-tree is appended
/// to in order while its pages are hot.
/// </summary>
internal sealed class SqliteBulkWriter : IBulkWriter
{
    private readonly SqliteConnection _connection;
    private readonly SeedCalendar _calendar;
    private readonly string _nowText;
    private readonly string _chargeAtText0;
    private readonly string _chargeAtText1;
    private readonly string _passwordHash;
    private readonly List<SqliteCommand> _commands = [];
    private Insert? _subscribers;
    private Insert? _contracts;
    private Insert? _ledgerAccounts;
    private Insert? _accounts;
    private Insert? _accessPoints;
    private Insert? _transactions;
    private Insert? _entries;

    public SqliteBulkWriter(SqliteConnection connection, SeedCalendar calendar, string passwordHash)
    {
        _connection = connection;
        _calendar = calendar;
        _passwordHash = passwordHash;
        _nowText = TypeHandlers.SqliteInstant(calendar.Now);
        _chargeAtText0 = TypeHandlers.SqliteInstant(calendar.ChargeAt0);
        _chargeAtText1 = TypeHandlers.SqliteInstant(calendar.ChargeAt1);
    }

    public bool WantsTextInstants => true;

    /// <summary>
    /// Durability and foreign-key checks off for the load: the rows reference ids this seeder
    /// assigned itself, and a crash mid-load loses only the seed, which is all or nothing anyway.
    /// foreign_keys can only change outside a transaction, hence before BEGIN.
    /// </summary>
    public async Task BeforeTransactionAsync(CancellationToken ct)
    {
        await ExecuteAsync("PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF; PRAGMA cache_size = -524288; PRAGMA temp_store = MEMORY;", ct);
    }

    public Task StartAsync(DbTransaction transaction, CancellationToken ct)
    {
        var tx = (SqliteTransaction)transaction;
        _subscribers = Prepare(tx, "INSERT INTO subscribers (id, kind, full_name, phone, email, created_at) VALUES ($1, $2, $3, $4, $5, $6)", 6);
        _contracts = Prepare(tx, "INSERT INTO contracts (id, number, subscriber_id, password_hash, security_stamp, signed_on, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)", 7);
        _ledgerAccounts = Prepare(tx, "INSERT INTO ledger_accounts (id, kind, name, balance, updated_at) VALUES ($1, $2, $3, $4, $5)", 5);
        _accounts = Prepare(tx, "INSERT INTO accounts (id, contract_id, number, title, ledger_account_id, tariff_id, status, threshold, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", 9);
        _accessPoints = Prepare(tx, "INSERT INTO access_points (id, account_id, kind, login, mac, ip) VALUES ($1, $2, $3, $4, $5, $6)", 6);
        _transactions = Prepare(tx, "INSERT INTO ledger_transactions (id, idempotency_key, kind, account_id, occurred_at, description) VALUES ($1, $2, $3, $4, $5, $6)", 6);
        _entries = Prepare(tx, "INSERT INTO ledger_entries (id, transaction_id, ledger_account_id, amount) VALUES ($1, $2, $3, $4)", 4);
        return Task.CompletedTask;
    }

    public ValueTask WriteAsync(SeedRow[] rows, CancellationToken ct)
    {
        var subscribers = _subscribers!;
        foreach (ref readonly var r in rows.AsSpan())
        {
            subscribers.Run(r.SubscriberId, (long)SubscriberKind.Individual, r.FullName, r.Phone, r.Email, r.CreatedAtText!);
        }

        ct.ThrowIfCancellationRequested();
        var contracts = _contracts!;
        foreach (ref readonly var r in rows.AsSpan())
        {
            contracts.Run(r.ContractId, r.ContractNumber, r.SubscriberId, _passwordHash, r.SecurityStamp, Day(r.SignedOn), r.CreatedAtText!);
        }

        var ledgerAccounts = _ledgerAccounts!;
        foreach (ref readonly var r in rows.AsSpan())
        {
            ledgerAccounts.Run(r.LedgerAccountId, (long)LedgerAccountKind.Subscriber, r.LedgerAccountName, r.Balance, _nowText);
        }

        ct.ThrowIfCancellationRequested();
        var accounts = _accounts!;
        foreach (ref readonly var r in rows.AsSpan())
        {
            accounts.Run(r.AccountId, r.ContractId, r.AccountNumber, BulkSeeder.AccountTitle, r.LedgerAccountId, r.TariffId,
                (long)AccountStatus.Active, 0L, r.CreatedAtText!);
        }

        var accessPoints = _accessPoints!;
        foreach (ref readonly var r in rows.AsSpan())
        {
            accessPoints.Run(r.AccessPointId, r.AccountId, (long)AccessPointKind.Pppoe, r.Login, r.Mac, r.Ip);
        }

        ct.ThrowIfCancellationRequested();
        var transactions = _transactions!;
        foreach (ref readonly var r in rows.AsSpan())
        {
            transactions.Run(r.PaymentTransactionId, r.PaymentKey, (long)TransactionKind.Payment, r.AccountId, r.PaymentAtText!, SeedCalendar.PaymentDescription);
            transactions.Run(r.PaymentTransactionId + 1, r.ChargeKey0, (long)TransactionKind.Charge, r.AccountId, _chargeAtText0, _calendar.ChargeDescription0);
            transactions.Run(r.PaymentTransactionId + 2, r.ChargeKey1, (long)TransactionKind.Charge, r.AccountId, _chargeAtText1, _calendar.ChargeDescription1);
        }

        ct.ThrowIfCancellationRequested();
        var entries = _entries!;
        foreach (ref readonly var r in rows.AsSpan())
        {
            var t = r.PaymentTransactionId;
            var e = r.FirstEntryId;
            entries.Run(e, t, SystemLedgerAccounts.CashDesk, -r.Payment);
            entries.Run(e + 1, t, r.LedgerAccountId, r.Payment);
            entries.Run(e + 2, t + 1, r.LedgerAccountId, -r.Fee0);
            entries.Run(e + 3, t + 1, SystemLedgerAccounts.Revenue, r.Fee0);
            entries.Run(e + 4, t + 2, r.LedgerAccountId, -r.Fee1);
            entries.Run(e + 5, t + 2, SystemLedgerAccounts.Revenue, r.Fee1);
        }

        return ValueTask.CompletedTask;
    }

    public Task AfterLoadAsync(DbTransaction transaction, CancellationToken ct) => Task.CompletedTask;

    /// <summary>
    /// Puts back what <see cref="Database.OpenAsync"/> sets, since the connection returns to the pool,
    /// and shrinks the write-ahead log, which grew to the size of the whole load.
    /// </summary>
    public async Task RestoreAsync(CancellationToken ct)
    {
        await ExecuteAsync("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -2000; PRAGMA temp_store = DEFAULT;", ct);
        await ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE);", ct);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var command in _commands)
        {
            command.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    private Insert Prepare(SqliteTransaction tx, string sql, int parameters)
    {
        var command = _connection.CreateCommand();
        _commands.Add(command);
        command.Transaction = tx;
        command.CommandText = sql;
        var slots = new SqliteParameter[parameters];
        for (var i = 0; i < parameters; i++)
        {
            // No SqliteType set: each value binds as what it is (integer or text).
            slots[i] = new SqliteParameter { ParameterName = "$" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) };
            command.Parameters.Add(slots[i]);
        }

        command.Prepare();
        return new Insert(command, slots);
    }

    /// <summary>A prepared INSERT and its parameters, run once per row.</summary>
    private sealed class Insert(SqliteCommand command, SqliteParameter[] slots)
    {
        public void Run(params ReadOnlySpan<object> values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                slots[i].Value = values[i];
            }

            command.ExecuteNonQuery();
        }
    }
}
