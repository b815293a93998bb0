using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Domain.Common;

namespace Kabinet.Web.Features.Shared;

/// <summary>The accounts of a contract for a page's switcher, and the one chosen.</summary>
/// <param name="Selected">The account asked for when it is the contract's, else the first.</param>
/// <param name="Accounts">Every account of the contract.</param>
/// <param name="BasePath">The page the switcher links back to.</param>
public sealed record AccountSwitcherModel(long Selected, IReadOnlyList<AccountOption> Accounts, string BasePath);

/// <summary>One account in a switcher.</summary>
public sealed record AccountOption(long Id, string Number, string Title);

/// <summary>
/// Picks the account a cabinet page works on. An id in a page's URL is only honoured when it belongs
/// to the logged-in contract, else the page shows the first account; an id posted by a form must
/// belong to it, or the form is refused (<see cref="PostedAsync"/>).
/// </summary>
public sealed class AccountChoice(Database database)
{
    /// <summary>The error of a posted account that is not the contract's, on the form's <c>account</c> field.</summary>
    public static readonly Error NotTheContracts = new("account.not_found", "account");

    /// <summary>
    /// The account a posted form acts on: exactly the one it names, when that is the contract's.
    /// Anything else (another contract's id, none, garbage) is refused with
    /// <see cref="NotTheContracts"/>: falling back to the first account, as a page view does, turned
    /// an action aimed at someone else's account into one on the caller's own.
    /// </summary>
    public async Task<Result<AccountSwitcherModel>> PostedAsync(long contractId, long? posted, string basePath, CancellationToken ct)
    {
        var chosen = posted is null ? null : await ChooseAsync(contractId, posted, basePath, ct);
        return chosen is not null && chosen.Selected == posted ? chosen : NotTheContracts;
    }

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
