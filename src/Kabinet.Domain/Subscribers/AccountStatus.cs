namespace Kabinet.Domain.Subscribers;

/// <summary>The state of a subscriber account ("лицевой счёт").</summary>
public enum AccountStatus
{
    Active = 1,
    Blocked = 2,
    Frozen = 3,
    Terminated = 4,
}

/// <summary>Whether the contract belongs to a person or an organisation.</summary>
public enum SubscriberKind
{
    Individual = 1,
    Business = 2,
}

/// <summary>How a subscriber's equipment reaches the network.</summary>
public enum AccessPointKind
{
    Pppoe = 1,
    Ipoe = 2,
}
