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
    public const string CreateStage = """
        CREATE TEMP TABLE IF NOT EXISTS charge_stage (
            account_id BIGINT NOT NULL, ledger_account_id BIGINT NOT NULL, key TEXT NOT NULL,
            amount BIGINT NOT NULL, description TEXT NOT NULL);
        CREATE TEMP TABLE IF NOT EXISTS charge_new (transaction_id BIGINT NOT NULL, key TEXT NOT NULL);
        DELETE FROM charge_stage;
        DELETE FROM charge_new;
        """;

    // A daily-mode fee for day @dom of a month of @days days: fee / days, plus one kopeck on the
    // first (fee % days) days, so the days of any month add up to the fee exactly.
    private const string DailyPart = "(f.fee / @days + CASE WHEN @dom <= f.fee % @days THEN 1 ELSE 0 END)";

    // Monthly in advance: the whole fee on the 1st, the rest of the month on a mid-month start or
    // on the first day after a freeze that swallowed the month's charge day (ChargeSchedule's rule).
    private const string MonthlyPart = """
        CASE WHEN ((f.since IS NOT NULL AND f.since = @day) OR f.resumed = 1) AND @dom > 1
                 THEN (@days - @dom + 1) * (f.fee / @days)
                      + CASE WHEN f.fee % @days >= @dom THEN f.fee % @days - @dom + 1 ELSE 0 END
             WHEN @dom = 1 AND (f.since IS NULL OR f.since <= @day) THEN f.fee
             ELSE 0 END
        """;

    /// <summary>Tariff charges: daily mode for active accounts, monthly mode for active or blocked ones.</summary>
    public static readonly string StageTariffs = $"""
        INSERT INTO charge_stage (account_id, ledger_account_id, key, amount, description)
        SELECT f.id, f.ledger_account_id, 'charge:' || f.id || ':tariff:' || @dayText,
               CASE WHEN f.mode = 1 THEN {DailyPart} ELSE {MonthlyPart} END,
               '«' || f.name || '» ' || @forDay
        FROM (SELECT a.id, a.ledger_account_id, a.status, a.tariff_since AS since, t.monthly_fee AS fee,
                     t.charge_mode AS mode, t.name_ru AS name,
                     CASE WHEN EXISTS (SELECT 1 FROM freezes z WHERE z.account_id = a.id AND z.status IN (1, 2)
                       AND z.ends_on = @yesterday
                       AND z.starts_on <= CASE WHEN a.tariff_since > @firstOfMonth THEN a.tariff_since ELSE @firstOfMonth END)
                     THEN 1 ELSE 0 END AS resumed
              FROM accounts a JOIN tariffs t ON t.id = a.tariff_id
              WHERE a.id >= @from AND a.id < @to) f
        WHERE ((f.mode = 1 AND f.status = 1) OR (f.mode = 2 AND f.status IN (1, 2)))
          -- Nothing before the tariff starts (a catch-up run bills days before a new account's start).
          AND (f.since IS NULL OR f.since <= @day)
        """;

    /// <summary>Monthly extra services; while frozen only those the operator keeps charging.</summary>
    public static readonly string StageServices = $"""
        INSERT INTO charge_stage (account_id, ledger_account_id, key, amount, description)
        SELECT f.id, f.ledger_account_id, 'charge:' || f.id || ':service:' || f.service_id || ':' || @dayText,
               CASE WHEN f.mode = 1 THEN {DailyPart} ELSE {MonthlyPart} END,
               '«' || f.name || '» ' || @forDay
        FROM (SELECT a.id, a.ledger_account_id, e.id AS service_id, e.price AS fee, e.charge_mode AS mode,
                     e.name_ru AS name, s.active_from AS since,
                     CASE WHEN e.charged_while_frozen = FALSE AND EXISTS (SELECT 1 FROM freezes z WHERE z.account_id = a.id AND z.status IN (1, 2)
                       AND z.ends_on = @yesterday
                       AND z.starts_on <= CASE WHEN s.active_from > @firstOfMonth THEN s.active_from ELSE @firstOfMonth END)
                     THEN 1 ELSE 0 END AS resumed
              FROM account_services s
              JOIN accounts a ON a.id = s.account_id
              JOIN extra_services e ON e.id = s.service_id
              WHERE a.id >= @from AND a.id < @to AND e.kind = 1
                AND s.active_from <= @day AND (s.active_to IS NULL OR s.active_to > @day)
                AND (a.status = 1 OR (a.status = 3 AND e.charged_while_frozen = TRUE))) f
        WHERE TRUE
        """;

    /// <summary>The daily fee of a freeze once its free days are used up.</summary>
    public const string StageFreezeFees = """
        INSERT INTO charge_stage (account_id, ledger_account_id, key, amount, description)
        SELECT a.id, a.ledger_account_id, 'charge:' || a.id || ':freeze:' || @dayText, z.daily_fee,
               'Добровольная блокировка ' || @forDay
        FROM freezes z JOIN accounts a ON a.id = z.account_id
        WHERE a.id >= @from AND a.id < @to AND z.status = 1 AND a.status = 3
          AND z.paid_from <= @day AND z.ends_on >= @day AND z.daily_fee > 0
        """;

    /// <summary>SQLite: one writer at a time, so "new since the batch began" is exact.</summary>
    public const string InsertTransactionsSqlite = """
        INSERT INTO ledger_transactions (idempotency_key, kind, account_id, occurred_at, description)
        SELECT key, 2, account_id, @at, description FROM charge_stage WHERE amount > 0
        ON CONFLICT (idempotency_key) DO NOTHING;
        INSERT INTO charge_new (transaction_id, key)
        SELECT t.id, t.idempotency_key FROM charge_stage s
        JOIN ledger_transactions t ON t.idempotency_key = s.key
        WHERE s.amount > 0 AND t.id > @maxBefore;
        """;

    /// <summary>PostgreSQL: the rows this statement inserted, whatever other writers do meanwhile.</summary>
    public const string InsertTransactionsPostgres = """
        WITH inserted AS (
            INSERT INTO ledger_transactions (idempotency_key, kind, account_id, occurred_at, description)
            SELECT key, 2, account_id, @at, description FROM charge_stage WHERE amount > 0
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING id, idempotency_key)
        INSERT INTO charge_new (transaction_id, key) SELECT id, idempotency_key FROM inserted;
        """;

    /// <summary>Entries and cached balances for the new charges only.</summary>
    public const string PostEntries = """
        INSERT INTO ledger_entries (transaction_id, ledger_account_id, amount)
        SELECT n.transaction_id, s.ledger_account_id, -s.amount FROM charge_new n JOIN charge_stage s ON s.key = n.key;
        INSERT INTO ledger_entries (transaction_id, ledger_account_id, amount)
        SELECT n.transaction_id, @revenue, s.amount FROM charge_new n JOIN charge_stage s ON s.key = n.key;
        UPDATE ledger_accounts SET balance = balance - x.total, updated_at = @at
        FROM (SELECT s.ledger_account_id AS id, SUM(s.amount) AS total
              FROM charge_new n JOIN charge_stage s ON s.key = n.key GROUP BY s.ledger_account_id) x
        WHERE ledger_accounts.id = x.id;
        UPDATE ledger_accounts SET balance = balance + COALESCE((SELECT SUM(s.amount) FROM charge_new n JOIN charge_stage s ON s.key = n.key), 0),
               updated_at = @at
        WHERE id = @revenue;
        """;

    public const string CountNew = "SELECT COUNT(*) FROM charge_new";
}
