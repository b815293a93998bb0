namespace Kabinet.Domain.Ledger;

/// <summary>
/// The ledger accounts money moves between. A subscriber account's ledger balance is what the
/// subscriber has on the account; the others are the provider's side of each movement.
/// </summary>
public enum LedgerAccountKind
{
    Subscriber = 1,
    Revenue = 2,
    CashDesk = 3,
    GatewayTransit = 4,
    PromisedCredit = 5,
    OpeningBalances = 6,
}

/// <summary>The fixed ids of the provider's own ledger accounts, created by the first migration.</summary>
public static class SystemLedgerAccounts
{
    /// <summary>Charges for services end here.</summary>
    public const long Revenue = 1;

    /// <summary>Cash and manual payments taken by staff.</summary>
    public const long CashDesk = 2;

    /// <summary>Credit given as promised payments, until repaid.</summary>
    public const long PromisedCredit = 3;

    /// <summary>Balances brought over from another billing system.</summary>
    public const long OpeningBalances = 4;

    /// <summary>
    /// Card payments on their way from the sandbox acquirer (made by the first migration); every
    /// other gateway gets a transit account of its own on first use (GatewayTransitAccounts).
    /// </summary>
    public const long SandboxGatewayTransit = 5;

    /// <summary>Ids at and above this belong to subscriber accounts.</summary>
    public const long FirstSubscriberLedgerAccount = 1000;
}
