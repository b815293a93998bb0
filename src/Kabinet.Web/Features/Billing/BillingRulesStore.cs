using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Domain.Billing;
using Kabinet.Domain.Money;

namespace Kabinet.Web.Features.Billing;

/// <summary>The operator's promised-payment and freeze rules (table billing_rules, one row).</summary>
public sealed class BillingRulesStore(Database database)
{
    /// <summary>The promised-payment rules in force.</summary>
    public async Task<PromisedPaymentRules> PromisedAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleAsync<(long? Max, long Term, long Interval, long Debt, long Age)>(
            "SELECT promised_max_amount, promised_term_days, promised_min_interval_days, promised_max_debt, promised_min_account_age_days FROM billing_rules WHERE id = 1");
        return new PromisedPaymentRules
        {
            MaxAmount = row.Max is { } max ? new Money(max) : null,
            TermDays = (int)row.Term,
            MinIntervalDays = (int)row.Interval,
            MaxDebt = new Money(row.Debt),
            MinAccountAgeDays = (int)row.Age,
        };
    }

    /// <summary>The freeze rules in force.</summary>
    public async Task<FreezeRules> FreezeAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleAsync<(long Min, long Max, long PerYear, long Free, long Fee, long Ahead)>(
            "SELECT freeze_min_days, freeze_max_days, freeze_days_per_year, freeze_free_days_per_year, freeze_daily_fee, freeze_max_days_ahead FROM billing_rules WHERE id = 1");
        return new FreezeRules
        {
            MinDays = (int)row.Min,
            MaxDays = (int)row.Max,
            DaysPerYear = (int)row.PerYear,
            FreeDaysPerYear = (int)row.Free,
            DailyFee = new Money(row.Fee),
            MaxDaysAhead = (int)row.Ahead,
        };
    }
}
