using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Domain.Ledger;
using Kabinet.Domain.Money;
using Kabinet.Web.Features.Payments;
using Kabinet.Web.Tests.Infrastructure;

namespace Kabinet.Web.Tests.Features.Network;

/// <summary>Money moves the network tests need: a line pushed below its threshold, and a payment that lifts it.</summary>
internal static class LineMoney
{
    /// <summary>A charge that takes the account below its threshold, posted and evaluated as the billing run does.</summary>
    public static async Task ChargeBelowZeroAsync(KabinetFactory factory, long account)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        await using var tx = await Database.BeginWriteAsync(connection);
        var (ledger, balance) = await connection.QuerySingleAsync<(long, long)>(
            "SELECT a.ledger_account_id, la.balance FROM accounts a JOIN ledger_accounts la ON la.id = a.ledger_account_id WHERE a.id = @account", new { account }, tx);
        await connection.ExecuteAsync("UPDATE accounts SET threshold = 0 WHERE id = @account", new { account }, tx);
        var charge = LedgerTransaction.Transfer("test-charge:" + Guid.NewGuid(), TransactionKind.Charge, account, factory.Clock.GetUtcNow(), "test charge",
            ledger, SystemLedgerAccounts.Revenue, new Money(Math.Max(balance, 0) + 100_00)).Value;
        await Kabinet.Data.Ledger.LedgerWriter.PostAsync(connection, tx, charge);
        await Kabinet.Web.Features.Billing.AccountStatusWriter.ReevaluateAsync(connection, tx, account, factory.Clock.GetUtcNow());
        await tx.CommitAsync();
    }

    /// <summary>A cash-desk payment through the one money-in path, which unblocks as a card payment does.</summary>
    public static async Task PayAsync(KabinetFactory factory, long account, long kopecks)
    {
        using var database = factory.OpenDatabase();
        await using var connection = await database.OpenAsync();
        await using var tx = await Database.BeginWriteAsync(connection);
        await PaymentPosting.PostAsync(connection, tx, account, new Money(kopecks), SystemLedgerAccounts.CashDesk,
            "test-pay:" + Guid.NewGuid(), "test payment", factory.Clock.GetUtcNow());
        await tx.CommitAsync();
    }
}
