using Kabinet.Domain.Subscribers;

namespace Kabinet.Domain.Billing;

using Money = Kabinet.Domain.Money.Money;

/// <summary>Automatic blocking and unblocking (M31).</summary>
public static class AccountState
{
    /// <summary>
    /// The status an account should have for its balance: an active account below the threshold is
    /// blocked, a blocked one at or above it is active again. Frozen and terminated accounts are
    /// changed by the subscriber or the operator, never by money, so they stay as they are. The
    /// caller passes the balance it means (balance + open promised credit, M31).
    /// </summary>
    public static AccountStatus Evaluate(AccountStatus current, Money balance, Money threshold) => current switch
    {
        AccountStatus.Active when balance < threshold => AccountStatus.Blocked,
        AccountStatus.Blocked when balance >= threshold => AccountStatus.Active,
        _ => current,
    };
}
