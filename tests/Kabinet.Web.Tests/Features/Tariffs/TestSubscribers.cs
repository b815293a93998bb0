using Dapper;
using Kabinet.Web.Tests.Infrastructure;

namespace Kabinet.Web.Tests.Features;

/// <summary>
/// Demo contracts made ready for a test: a known password, the first account active with a chosen
/// tariff, no extra services and room to spend. Each test takes its own contract number, so tests
/// sharing one app do not see each other's changes. The clock is fixed on a known day.
/// </summary>
internal static class TestSubscribers
{
    /// <summary>12:00 on 10 March 2027 in Novosibirsk.</summary>
    public static readonly DateTimeOffset Now = new(2027, 3, 10, 5, 0, 0, TimeSpan.Zero);

    /// <summary>The billing day of <see cref="Now"/>.</summary>
    public static readonly DateOnly Today = new(2027, 3, 10);

    public const string Password = "test-password-1";

    /// <summary>Contract n (2..31, not a multiple of 10: those are businesses).</summary>
    public static string Contract(int n) => (100_000_000_000L + n).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<Prepared> PrepareAsync(KabinetFactory factory, int n, string tariffCode = "home-100", long threshold = -1_000_000_00)
    {
        var contract = Contract(n);
        await factory.SetPasswordAsync(contract, Password);
        var account = (await factory.AccountsOfAsync(contract))[0];
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(
            """
            UPDATE accounts SET status = 1, threshold = @threshold, tariff_id = (SELECT id FROM tariffs WHERE code = @tariffCode) WHERE id = @id;
            DELETE FROM account_services WHERE account_id = @id;
            """,
            new { threshold, tariffCode, id = account.Id });
        var ledger = await connection.ExecuteScalarAsync<long>("SELECT ledger_account_id FROM accounts WHERE id = @id", new { id = account.Id });
        return new Prepared(contract, account.Id, account.Number, ledger);
    }

    public static async Task<long> IdOfAsync(KabinetFactory factory, string table, string code)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT id FROM {table} WHERE code = @code", new { code });
    }

    public static async Task<T> ScalarAsync<T>(KabinetFactory factory, string sql, object? args = null)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, args))!;
    }

    public static async Task ExecuteAsync(KabinetFactory factory, string sql, object? args = null)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(sql, args);
    }

    public static async Task<List<T>> QueryAsync<T>(KabinetFactory factory, string sql, object? args = null)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<T>(sql, args)).ToList();
    }

    public sealed record Prepared(string Contract, long AccountId, string AccountNumber, long LedgerAccountId)
    {
        public Task<HttpClient> ApiAsync(KabinetFactory factory, string? language = null) => factory.ApiClientAsync(Contract, Password, language);

        public Task<HttpClient> BrowserAsync(KabinetFactory factory, string? language = null) => factory.LoggedInBrowserAsync(Contract, Password, language);
    }
}
