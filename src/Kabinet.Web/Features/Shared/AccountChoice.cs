using Dapper;
using Kabinet.Data.Connections;

namespace Kabinet.Web.Features.Shared;

/// <summary>The accounts of a contract for a page's switcher, and the one chosen.</summary>
/// <param name="Selected">The account asked for when it is the contract's, else the first.</param>
/// <param name="Accounts">Every account of the contract.</param>
/// <param name="BasePath">The page the switcher links back to.</param>
public sealed record AccountSwitcherModel(long Selected, IReadOnlyList<AccountOption> Accounts, string BasePath);

/// <summary>One account in a switcher.</summary>
public sealed record AccountOption(long Id, string Number, string Title);

/// <summary>
/// Picks the account a cabinet page works on. An id from the URL or a form is only honoured when it
/// belongs to the logged-in contract; anything else falls back to the contract's first account.
/// </summary>
public sealed class AccountChoice(Database database)
{
    /// <summary>The switcher for the contract; null when it has no accounts.</summary>
    public async Task<AccountSwitcherModel?> ChooseAsync(long contractId, long? requested, string basePath, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var accounts = (await connection.QueryAsync<AccountOption>(
            "SELECT id AS Id, number AS Number, title AS Title FROM accounts WHERE contract_id = @contractId ORDER BY id",
            new { contractId })).ToList();
        if (accounts.Count == 0)
        {
            return null;
        }

        var selected = accounts.Find(a => a.Id == requested) ?? accounts[0];
        return new AccountSwitcherModel(selected.Id, accounts, basePath);
    }
}
