using System.Net;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Domain.Money;
using Kabinet.Domain.Subscribers;
using Kabinet.Web.Features.PublicPay;

namespace Kabinet.Web.Features.Captive;

/// <summary>What the captive page may tell the device on a restricted connection.</summary>
/// <param name="MaskedAccount">The account number masked as on the public payment page.</param>
/// <param name="Reference">A public-payment reference to the contract, for paying without logging in.</param>
public sealed record CaptiveView(string MaskedAccount, AccountStatus Status, Money Balance, Money Needed, string Reference);

/// <summary>
/// Recognises the subscriber behind a restricted connection (M33) by the address the NAS gave the
/// session: the page is only reachable from inside the network, from the blocked pool.
/// </summary>
public sealed class CaptiveLookup(Database database, PublicPayments payments)
{
    /// <summary>The account whose live session has this address; null when there is none.</summary>
    public async Task<CaptiveView?> FindAsync(IPAddress? address, CancellationToken ct)
    {
        if (address is null)
        {
            return null;
        }

        var ip = (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(string Account, string Contract, long Status, long Balance, long Threshold)?>(new CommandDefinition(
            """
            SELECT a.number, c.number, a.status, la.balance, a.threshold
            FROM radius_sessions s
            JOIN accounts a ON a.id = s.account_id
            JOIN contracts c ON c.id = a.contract_id
            JOIN ledger_accounts la ON la.id = a.ledger_account_id
            WHERE s.framed_ip = @ip AND s.stopped_at IS NULL
            ORDER BY s.updated_at DESC
            LIMIT 1
            """,
            new { ip }, cancellationToken: ct));
        if (row is not { } r || (await payments.FindByNumberAsync(r.Contract, ct)) is not { IsSuccess: true } found)
        {
            return null;
        }

        var balance = new Money(r.Balance);
        var threshold = new Money(r.Threshold);
        return new CaptiveView(
            PublicPayments.Mask(r.Account, r.Contract), (AccountStatus)r.Status, balance,
            threshold > balance ? threshold - balance : Money.Zero, payments.Protect(found.Value, typed: false));
    }
}
