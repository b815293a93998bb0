using Kabinet.Domain.Billing;
using Kabinet.Domain.Subscribers;

namespace Kabinet.Domain.Tests.Billing;

using Money = Kabinet.Domain.Money.Money;

public sealed class AccountStateTests
{
    [Theory]
    [InlineData(AccountStatus.Active, -1, 0, AccountStatus.Blocked)]
    [InlineData(AccountStatus.Active, 0, 0, AccountStatus.Active)]
    [InlineData(AccountStatus.Active, 99, 100, AccountStatus.Blocked)]
    [InlineData(AccountStatus.Active, -500, -500, AccountStatus.Active)]
    [InlineData(AccountStatus.Blocked, 0, 0, AccountStatus.Active)]
    [InlineData(AccountStatus.Blocked, -1, 0, AccountStatus.Blocked)]
    [InlineData(AccountStatus.Blocked, 100, 100, AccountStatus.Active)]
    [InlineData(AccountStatus.Frozen, -1000, 0, AccountStatus.Frozen)]
    [InlineData(AccountStatus.Frozen, 1000, 0, AccountStatus.Frozen)]
    [InlineData(AccountStatus.Terminated, -1000, 0, AccountStatus.Terminated)]
    [InlineData(AccountStatus.Terminated, 1000, 0, AccountStatus.Terminated)]
    public void Status_follows_the_balance_against_the_threshold_except_frozen_and_terminated(
        AccountStatus current, long balance, long threshold, AccountStatus expected)
    {
        AccountState.Evaluate(current, new Money(balance), new Money(threshold)).ShouldBe(expected);
    }
}
