using System.Collections.Concurrent;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Domain.Ledger;

namespace Kabinet.Data.Ledger;

/// <summary>
/// One "payments in transit" ledger account per payment gateway (M29): what a gateway has taken
/// from payers and not yet settled to the provider, so each acquirer's settlement is reconciled
/// against its own account. Made on first use (the first migration made the sandbox's) with an id
/// below <see cref="SystemLedgerAccounts.FirstSubscriberLedgerAccount"/>, like every provider-side
/// account, and remembered: a gateway's account never changes once made.
/// </summary>
public sealed class GatewayTransitAccounts(Database database, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, long> _ids = new(StringComparer.Ordinal);

    /// <summary>The ledger account name of a gateway's transit account.</summary>
    public static string NameOf(string gateway) => "gateway transit: " + gateway;

    /// <summary>
    /// The id of <paramref name="gateway"/>'s transit account, made in a transaction of its own if it
    /// does not exist yet; call it before opening the write that posts to it.
    /// </summary>
    public async ValueTask<long> IdOfAsync(string gateway, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(gateway);
        if (_ids.TryGetValue(gateway, out var id))
        {
            return id;
        }

        var name = NameOf(gateway);
        var kind = (int)LedgerAccountKind.GatewayTransit;
        await using (var connection = await database.OpenAsync(ct))
        {
            // Made once per gateway, read on every start after: no write unless it is missing.
            id = await connection.ExecuteScalarAsync<long>(
                "SELECT COALESCE(MAX(id), 0) FROM ledger_accounts WHERE kind = @kind AND name = @name", new { kind, name });
        }

        // Two instances making transit accounts at once may pick the same new id: the loser's insert
        // does nothing, finds no account by its name, and tries again with the next id.
        for (var attempt = 0; id == 0; attempt++)
        {
            if (attempt == 5)
            {
                throw new InvalidOperationException($"No transit ledger account could be made for gateway {gateway}.");
            }

            await using var write = await database.OpenWriteSessionAsync(ct);
            // The partial unique index on transit names keeps one account per gateway.
            await write.Connection.ExecuteAsync(
                """
                INSERT INTO ledger_accounts (id, kind, name, balance, updated_at)
                SELECT MAX(id) + 1, @kind, @name, 0, @now FROM ledger_accounts WHERE id < @reserved
                ON CONFLICT DO NOTHING
                """,
                // The next provider-side id below the first migration's placeholder row, which sits just under the subscribers' ids.
                new { kind, name, now = time.GetUtcNow(), reserved = SystemLedgerAccounts.FirstSubscriberLedgerAccount - 1 },
                write.Transaction);
            id = await write.Connection.ExecuteScalarAsync<long>(
                "SELECT COALESCE(MAX(id), 0) FROM ledger_accounts WHERE kind = @kind AND name = @name", new { kind, name }, write.Transaction);
            await write.CommitAsync(ct);
        }

        return _ids.GetOrAdd(gateway, id);
    }
}
