namespace Kabinet.Data.Seeding;

/// <summary>One seeded subscriber with everything that hangs off it, ids assigned up front.</summary>
internal struct SeedRow
{
    public long SubscriberId;
    public long ContractId;
    public long LedgerAccountId;
    public long AccountId;
    public long AccessPointId;

    /// <summary>The payment; the two charges follow with the next two ids.</summary>
    public long PaymentTransactionId;

    /// <summary>Six entries with consecutive ids: payment (cash desk, subscriber), then each charge.</summary>
    public long FirstEntryId;

    public string ContractNumber;
    public string FullName;
    public string Phone;
    public string Email;
    public string SecurityStamp;
    public string AccountNumber;
    public string LedgerAccountName;
    public string Login;
    public string Mac;
    public string Ip;
    public string PaymentKey;
    public string ChargeKey0;
    public string ChargeKey1;

    public DateTimeOffset CreatedAt;
    public DateTimeOffset PaymentAt;
    public DateOnly SignedOn;

    /// <summary>The SQLite text forms of <see cref="CreatedAt"/> and <see cref="PaymentAt"/>, when wanted.</summary>
    public string? CreatedAtText;
    public string? PaymentAtText;

    public long TariffId;
    public long Payment;
    public long Fee0;
    public long Fee1;

    public readonly long Balance => Payment - Fee0 - Fee1;
}

/// <summary>Where this seeding run starts: the first free id of each table and contract sequence.</summary>
internal sealed record SeedStart(
    long SubscriberId,
    long ContractId,
    long LedgerAccountId,
    long AccountId,
    long AccessPointId,
    long TransactionId,
    long EntryId,
    long ContractSequence);

/// <summary>A tariff a seeded account may be on, with its fee for each of the two charged days.</summary>
internal sealed record SeedTariff(long Id, long MonthlyFee, long Fee0, long Fee1);
