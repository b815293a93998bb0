using System.Data.Common;
using Dapper;
using Kabinet.Domain.Ledger;
using Kabinet.Domain.Subscribers;
using Npgsql;
using NpgsqlTypes;

namespace Kabinet.Data.Seeding;

/// <summary>
/// Loads seed rows into PostgreSQL with binary COPY, one COPY per table per batch, all inside the
/// caller's transaction. The ids are explicit, so the identity sequences are moved past them at the end.
/// </summary>
internal sealed class PostgresBulkWriter(NpgsqlConnection connection, SeedCalendar calendar, string passwordHash) : IBulkWriter
{
    private static readonly string[] Tables =
        ["subscribers", "contracts", "ledger_accounts", "accounts", "access_points", "ledger_transactions", "ledger_entries"];

    private readonly DateTime _now = calendar.Now.UtcDateTime;
    private readonly DateTime _chargeAt0 = calendar.ChargeAt0.UtcDateTime;
    private readonly DateTime _chargeAt1 = calendar.ChargeAt1.UtcDateTime;

    public bool WantsTextInstants => false;

    public Task BeforeTransactionAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>
    /// Other writers wait until the seed commits (readers do not): ids are taken as max + 1, and an
    /// identity value handed out meanwhile would collide with them.
    /// </summary>
    public async Task StartAsync(DbTransaction transaction, CancellationToken ct)
    {
        await connection.ExecuteAsync("LOCK TABLE " + string.Join(", ", Tables) + " IN EXCLUSIVE MODE", transaction: transaction);
        // COPY checks foreign keys row by row, which is more than half of its time. The references
        // here are ids this seeder assigned itself (the tests check them), so when allowed, the
        // checks are off for this transaction only; only a superuser may do that.
        var superuser = await connection.ExecuteScalarAsync<string>("SELECT current_setting('is_superuser')", transaction: transaction);
        if (string.Equals(superuser, "on", StringComparison.Ordinal))
        {
            await connection.ExecuteAsync("SET LOCAL session_replication_role = replica", transaction: transaction);
        }
    }

    public async ValueTask WriteAsync(SeedRow[] rows, CancellationToken ct)
    {
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY subscribers (id, kind, full_name, phone, email, created_at) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (ref readonly var r in rows.AsSpan())
            {
                copy.StartRow();
                copy.Write(r.SubscriberId, NpgsqlDbType.Bigint);
                copy.Write((int)SubscriberKind.Individual, NpgsqlDbType.Integer);
                copy.Write(r.FullName, NpgsqlDbType.Text);
                copy.Write(r.Phone, NpgsqlDbType.Text);
                copy.Write(r.Email, NpgsqlDbType.Text);
                copy.Write(r.CreatedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
            }

            await copy.CompleteAsync(ct);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY contracts (id, number, subscriber_id, password_hash, security_stamp, signed_on, created_at) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (ref readonly var r in rows.AsSpan())
            {
                copy.StartRow();
                copy.Write(r.ContractId, NpgsqlDbType.Bigint);
                copy.Write(r.ContractNumber, NpgsqlDbType.Text);
                copy.Write(r.SubscriberId, NpgsqlDbType.Bigint);
                copy.Write(passwordHash, NpgsqlDbType.Text);
                copy.Write(r.SecurityStamp, NpgsqlDbType.Text);
                copy.Write(r.SignedOn, NpgsqlDbType.Date);
                copy.Write(r.CreatedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
            }

            await copy.CompleteAsync(ct);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY ledger_accounts (id, kind, name, balance, updated_at) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (ref readonly var r in rows.AsSpan())
            {
                copy.StartRow();
                copy.Write(r.LedgerAccountId, NpgsqlDbType.Bigint);
                copy.Write((int)LedgerAccountKind.Subscriber, NpgsqlDbType.Integer);
                copy.Write(r.LedgerAccountName, NpgsqlDbType.Text);
                copy.Write(r.Balance, NpgsqlDbType.Bigint);
                copy.Write(_now, NpgsqlDbType.TimestampTz);
            }

            await copy.CompleteAsync(ct);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY accounts (id, contract_id, number, title, ledger_account_id, tariff_id, status, threshold, created_at) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (ref readonly var r in rows.AsSpan())
            {
                copy.StartRow();
                copy.Write(r.AccountId, NpgsqlDbType.Bigint);
                copy.Write(r.ContractId, NpgsqlDbType.Bigint);
                copy.Write(r.AccountNumber, NpgsqlDbType.Text);
                copy.Write(BulkSeeder.AccountTitle, NpgsqlDbType.Text);
                copy.Write(r.LedgerAccountId, NpgsqlDbType.Bigint);
                copy.Write(r.TariffId, NpgsqlDbType.Bigint);
                copy.Write((int)AccountStatus.Active, NpgsqlDbType.Integer);
                copy.Write(0L, NpgsqlDbType.Bigint);
                copy.Write(r.CreatedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
            }

            await copy.CompleteAsync(ct);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY access_points (id, account_id, kind, login, mac, ip) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (ref readonly var r in rows.AsSpan())
            {
                copy.StartRow();
                copy.Write(r.AccessPointId, NpgsqlDbType.Bigint);
                copy.Write(r.AccountId, NpgsqlDbType.Bigint);
                copy.Write((int)AccessPointKind.Pppoe, NpgsqlDbType.Integer);
                copy.Write(r.Login, NpgsqlDbType.Text);
                copy.Write(r.Mac, NpgsqlDbType.Text);
                copy.Write(r.Ip, NpgsqlDbType.Text);
            }

            await copy.CompleteAsync(ct);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY ledger_transactions (id, idempotency_key, kind, account_id, occurred_at, description) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (ref readonly var r in rows.AsSpan())
            {
                WriteTransaction(copy, r.PaymentTransactionId, r.PaymentKey, TransactionKind.Payment, r.AccountId, r.PaymentAt.UtcDateTime, SeedCalendar.PaymentDescription);
                WriteTransaction(copy, r.PaymentTransactionId + 1, r.ChargeKey0, TransactionKind.Charge, r.AccountId, _chargeAt0, calendar.ChargeDescription0);
                WriteTransaction(copy, r.PaymentTransactionId + 2, r.ChargeKey1, TransactionKind.Charge, r.AccountId, _chargeAt1, calendar.ChargeDescription1);
            }

            await copy.CompleteAsync(ct);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY ledger_entries (id, transaction_id, ledger_account_id, amount) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (ref readonly var r in rows.AsSpan())
            {
                var t = r.PaymentTransactionId;
                var e = r.FirstEntryId;
                WriteEntry(copy, e, t, SystemLedgerAccounts.CashDesk, -r.Payment);
                WriteEntry(copy, e + 1, t, r.LedgerAccountId, r.Payment);
                WriteEntry(copy, e + 2, t + 1, r.LedgerAccountId, -r.Fee0);
                WriteEntry(copy, e + 3, t + 1, SystemLedgerAccounts.Revenue, r.Fee0);
                WriteEntry(copy, e + 4, t + 2, r.LedgerAccountId, -r.Fee1);
                WriteEntry(copy, e + 5, t + 2, SystemLedgerAccounts.Revenue, r.Fee1);
            }

            await copy.CompleteAsync(ct);
        }
    }

    /// <summary>Moves each identity past the explicit ids, so the application's own inserts do not collide.</summary>
    public async Task AfterLoadAsync(DbTransaction transaction, CancellationToken ct)
    {
        foreach (var table in Tables)
        {
            await connection.ExecuteAsync(
                $"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))",
                transaction: transaction);
        }
    }

    public Task RestoreAsync(CancellationToken ct) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static void WriteTransaction(NpgsqlBinaryImporter copy, long id, string key, TransactionKind kind, long accountId, DateTime at, string description)
    {
        copy.StartRow();
        copy.Write(id, NpgsqlDbType.Bigint);
        copy.Write(key, NpgsqlDbType.Text);
        copy.Write((int)kind, NpgsqlDbType.Integer);
        copy.Write(accountId, NpgsqlDbType.Bigint);
        copy.Write(at, NpgsqlDbType.TimestampTz);
        copy.Write(description, NpgsqlDbType.Text);
    }

    private static void WriteEntry(NpgsqlBinaryImporter copy, long id, long transactionId, long ledgerAccountId, long amount)
    {
        copy.StartRow();
        copy.Write(id, NpgsqlDbType.Bigint);
        copy.Write(transactionId, NpgsqlDbType.Bigint);
        copy.Write(ledgerAccountId, NpgsqlDbType.Bigint);
        copy.Write(amount, NpgsqlDbType.Bigint);
    }
}
