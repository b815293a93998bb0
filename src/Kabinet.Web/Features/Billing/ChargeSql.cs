using Kabinet.Data.Connections;

namespace Kabinet.Web.Features.Billing;

/// <summary>
/// The set-based SQL of a billing day. A batch of accounts is charged by a handful of statements
/// instead of a round trip per account: the day's charges are staged, the journal rows whose
/// idempotency key is new are inserted, and only those get entries and move balances. The rules
/// mirror Kabinet.Domain.Billing (DailyCharge, MonthlyInAdvance, ChargeSchedule); the tests
/// compare the two.
/// </summary>
internal static class ChargeSql
{
    /// <summary>SQLite: the batch's staged charges (by key) and the new ones among them.</summary>
    public const string CreateStage = """
        CREATE TEMP TABLE IF NOT EXISTS charge_stage (
            key TEXT NOT NULL PRIMARY KEY, account_id BIGINT NOT NULL, ledger_account_id BIGINT NOT NULL,
            amount BIGINT NOT NULL, description TEXT NOT NULL);
        CREATE TEMP TABLE IF NOT EXISTS charge_new (transaction_id BIGINT NOT NULL, ledger_account_id BIGINT NOT NULL, amount BIGINT NOT NULL);
        DELETE FROM charge_stage;
        DELETE FROM charge_new;
        """;

    // A daily-mode fee for day @dom of a month of @days days: fee / days, plus one kopeck on the
    // first (fee % days) days, so the days of any month add up to the fee exactly.
    private const string DailyPart = "(f.fee / @days + CASE WHEN @dom <= f.fee % @days THEN 1 ELSE 0 END)";

    // Monthly in advance: the whole fee on the 1st, the rest of the month on a mid-month start, or
    // from the first unfrozen day after a freeze that swallowed the month's charge day
    // (ChargeSchedule's rule): f.resume is that day of the month, 0 when there is none.
    private const string MonthlyPart = """
        CASE WHEN f.resume > 1
                 THEN (@days - f.resume + 1) * (f.fee / @days)
                      + CASE WHEN f.fee % @days >= f.resume THEN f.fee % @days - f.resume + 1 ELSE 0 END
             WHEN f.since IS NOT NULL AND f.since = @day AND @dom > 1
                 THEN (@days - @dom + 1) * (f.fee / @days)
                      + CASE WHEN f.fee % @days >= @dom THEN f.fee % @days - @dom + 1 ELSE 0 END
             WHEN @dom = 1 AND (f.since IS NULL OR f.since <= @day) THEN f.fee
             ELSE 0 END
        """;

    // The make-up after a freeze over the month's charge day: the freeze ended before today, this
    // month, and no charge of this item was made since. Keys are 'charge:<day>:<account>:<item>'
    // (Kabinet.Domain.Ledger.ChargeKey), so the account's own journal rows are looked through
    // (found by its ledger account; only for an account whose freeze ended this month) for a key of
    // this item dated after the freeze's end and before today. A freeze ended early after that
    // day's run is made up by the next run instead of never; the amount counts from the first
    // unfrozen day. $item is the item key part, $chargeDay the charge day the freeze must cover,
    // $resumeDom the first unfrozen day of the month, $endsOn the freeze's end as text.
    private const string ResumeDay = """
        COALESCE((SELECT MAX($resumeDom) FROM freezes z
                  WHERE z.account_id = a.id AND z.status IN (1, 2)
                    AND z.ends_on >= @firstOfMonth AND z.ends_on < @day
                    AND z.starts_on <= $chargeDay
                    AND NOT EXISTS (SELECT 1 FROM ledger_entries le JOIN ledger_transactions t ON t.id = le.transaction_id
                                    WHERE le.ledger_account_id = a.ledger_account_id AND t.kind = 2
                                      AND substr(t.idempotency_key, 8, 10) > $endsOn
                                      AND substr(t.idempotency_key, 8, 10) < @dayText
                                      AND substr(t.idempotency_key, 19) = a.id || ':' || $item)), 0)
        """;

    private const string IntoStage = "INSERT INTO charge_stage (account_id, ledger_account_id, key, amount, description)\n";

    /// <summary>Stages a batch's charges (SQLite, into the temp table).</summary>
    public static string[] Stage(DatabaseKind kind) =>
        [IntoStage + SelectTariffs(kind), IntoStage + SelectServices(kind), IntoStage + SelectFreezeFees];

    /// <summary>Tariff charges: daily mode for active accounts, monthly mode for active or blocked ones.</summary>
    private static string SelectTariffs(DatabaseKind kind) => $"""
        SELECT f.id, f.ledger_account_id, 'charge:' || @dayText || ':' || f.id || ':tariff',
               CASE WHEN f.mode = 1 THEN {DailyPart} ELSE {MonthlyPart} END,
               '«' || f.name || '» ' || @forDay
        FROM (SELECT a.id, a.ledger_account_id, a.status, a.tariff_since AS since, t.monthly_fee AS fee,
                     t.charge_mode AS mode, t.name_ru AS name,
                     CASE WHEN t.charge_mode = 2 AND @dom > 1 THEN {Resume(kind, "'tariff'", "a.tariff_since")} ELSE 0 END AS resume
              FROM accounts a JOIN tariffs t ON t.id = a.tariff_id
              WHERE a.id >= @from AND a.id < @to) f
        WHERE ((f.mode = 1 AND f.status = 1) OR (f.mode = 2 AND f.status IN (1, 2)))
          -- Nothing before the tariff starts (a catch-up run bills days before a new account's start).
          AND (f.since IS NULL OR f.since <= @day)
        """;

    /// <summary>Monthly extra services: as the tariff while blocked; while frozen only those the operator keeps charging.</summary>
    private static string SelectServices(DatabaseKind kind) => $"""
        SELECT f.id, f.ledger_account_id, 'charge:' || @dayText || ':' || f.id || ':service:' || f.service_id,
               CASE WHEN f.mode = 1 THEN {DailyPart} ELSE {MonthlyPart} END,
               '«' || f.name || '» ' || @forDay
        FROM (SELECT a.id, a.ledger_account_id, e.id AS service_id, e.price AS fee, e.charge_mode AS mode,
                     e.name_ru AS name, s.active_from AS since,
                     CASE WHEN e.charged_while_frozen = FALSE AND e.charge_mode = 2 AND @dom > 1
                          THEN {Resume(kind, "'service:' || e.id", "s.active_from")} ELSE 0 END AS resume
              FROM account_services s
              JOIN accounts a ON a.id = s.account_id
              JOIN extra_services e ON e.id = s.service_id
              WHERE a.id >= @from AND a.id < @to AND e.kind = 1
                AND s.active_from <= @day AND (s.active_to IS NULL OR s.active_to > @day)
                -- As the tariff: a blocked account still owes what is paid monthly in advance (the month is
                -- the unit sold), not the daily part; a frozen one only what the operator keeps charging.
                AND (a.status = 1 OR (a.status = 2 AND e.charge_mode = 2) OR (a.status = 3 AND e.charged_while_frozen = TRUE))) f
        WHERE TRUE
        """;

    /// <summary>The make-up day for an item, in the engine's date functions.</summary>
    private static string Resume(DatabaseKind kind, string item, string since)
    {
        var chargeDay = $"CASE WHEN {since} > @firstOfMonth THEN {since} ELSE @firstOfMonth END";
        var (resumeDom, endsOn) = kind == DatabaseKind.Sqlite
            ? ("CAST(strftime('%d', z.ends_on, '+1 day') AS INTEGER)", "z.ends_on")
            : ("CAST(EXTRACT(DAY FROM z.ends_on + 1) AS INTEGER)", "to_char(z.ends_on, 'YYYY-MM-DD')");
        return ResumeDay.Replace("$item", item, StringComparison.Ordinal).Replace("$chargeDay", chargeDay, StringComparison.Ordinal)
            .Replace("$resumeDom", resumeDom, StringComparison.Ordinal).Replace("$endsOn", endsOn, StringComparison.Ordinal);
    }

    /// <summary>The daily fee of a freeze once its free days are used up.</summary>
    private const string SelectFreezeFees = """
        SELECT a.id, a.ledger_account_id, 'charge:' || @dayText || ':' || a.id || ':freeze', z.daily_fee,
               'Добровольная блокировка ' || @forDay
        FROM freezes z JOIN accounts a ON a.id = z.account_id
        WHERE a.id >= @from AND a.id < @to AND z.status = 1 AND a.status = 3
          AND z.paid_from <= @day AND z.ends_on >= @day AND z.daily_fee > 0
        """;

    /// <summary>
    /// SQLite: one writer at a time, so the journal rows after the batch's first id are exactly the
    /// ones it inserted; they are read by id range and matched to their staged charge by key.
    /// </summary>
    public const string InsertTransactions = """
        INSERT INTO ledger_transactions (idempotency_key, kind, account_id, occurred_at, description)
        SELECT key, 2, account_id, @at, description FROM charge_stage WHERE amount > 0
        ON CONFLICT (idempotency_key) DO NOTHING;
        INSERT INTO charge_new (transaction_id, ledger_account_id, amount)
        SELECT t.id, s.ledger_account_id, s.amount
        FROM ledger_transactions t CROSS JOIN charge_stage s ON s.key = t.idempotency_key
        WHERE t.id > @maxBefore;
        """;

    /// <summary>
    /// PostgreSQL: a batch in one statement. The staged charges stay in memory, the journal rows
    /// whose key is new come back from the insert (whatever other writers do meanwhile), and only
    /// those get entries and move the subscriber balances; the statement returns how many and
    /// their sum, which <see cref="CreditRevenue"/> adds to revenue last, so concurrent batches
    /// hold the revenue row only for the moment before their commit.
    /// </summary>
    public static string ChargePostgres { get; } = $"""
        WITH stage (account_id, ledger_account_id, key, amount, description) AS MATERIALIZED (
            {SelectTariffs(DatabaseKind.Postgres)}
            UNION ALL
            {SelectServices(DatabaseKind.Postgres)}
            UNION ALL
            {SelectFreezeFees}),
        inserted AS (
            INSERT INTO ledger_transactions (idempotency_key, kind, account_id, occurred_at, description)
            SELECT key, 2, account_id, @at, description FROM stage WHERE amount > 0
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING id, idempotency_key),
        charged AS MATERIALIZED (
            SELECT i.id, s.ledger_account_id, s.amount FROM inserted i JOIN stage s ON s.key = i.idempotency_key),
        entries AS (
            INSERT INTO ledger_entries (transaction_id, ledger_account_id, amount)
            SELECT id, ledger_account_id, -amount FROM charged
            UNION ALL
            SELECT id, @revenue, amount FROM charged),
        balances AS (
            UPDATE ledger_accounts l SET balance = l.balance - x.total, updated_at = @at
            FROM (SELECT ledger_account_id, SUM(amount) AS total FROM charged GROUP BY ledger_account_id) x
            WHERE l.id = x.ledger_account_id)
        SELECT COUNT(*) AS Charges, COALESCE(SUM(amount), 0) AS Total FROM charged
        """;

    /// <summary>
    /// PostgreSQL: blocks the batch's active accounts whose balance fell below the threshold and
    /// unblocks the blocked ones back above it, with their outbox events, in one statement.
    /// </summary>
    public const string UpdateStatusesPostgres = """
        WITH changed AS (
            UPDATE accounts SET status = CASE WHEN status = 1 THEN 2 ELSE 1 END
            WHERE id >= @from AND id < @to AND status IN (1, 2)
              AND (status = 1) = (threshold > (SELECT la.balance FROM ledger_accounts la WHERE la.id = accounts.ledger_account_id))
            RETURNING id, status)
        INSERT INTO account_events (account_id, kind, occurred_at, details)
        SELECT id, CASE WHEN status = 2 THEN 'blocked' ELSE 'unblocked' END, @at, 'billing' FROM changed ORDER BY id
        """;

    /// <summary>PostgreSQL: the revenue side of a batch's charges.</summary>
    public const string CreditRevenue = "UPDATE ledger_accounts SET balance = balance + @total, updated_at = @at WHERE id = @revenue";

    /// <summary>SQLite: entries and cached balances for the new charges only.</summary>
    public const string PostEntries = """
        INSERT INTO ledger_entries (transaction_id, ledger_account_id, amount)
        SELECT transaction_id, ledger_account_id, -amount FROM charge_new;
        INSERT INTO ledger_entries (transaction_id, ledger_account_id, amount)
        SELECT transaction_id, @revenue, amount FROM charge_new;
        UPDATE ledger_accounts SET balance = balance - x.total, updated_at = @at
        FROM (SELECT ledger_account_id AS id, SUM(amount) AS total FROM charge_new GROUP BY ledger_account_id) x
        WHERE ledger_accounts.id = x.id;
        UPDATE ledger_accounts SET balance = balance + COALESCE((SELECT SUM(amount) FROM charge_new), 0), updated_at = @at
        WHERE id = @revenue;
        """;

    public const string CountNew = "SELECT COUNT(*) FROM charge_new";
}
