using System.Globalization;
using System.Security.Cryptography;
using Kabinet.Data.Connections;
using Kabinet.Domain.Ledger;
using Kabinet.Domain.Subscribers;

namespace Kabinet.Data.Seeding;

/// <summary>
/// Makes the rows, batch by batch. Everything random comes from one seeded <see cref="Random"/>
/// except the security stamps, which come from the system's cryptographic generator.
/// </summary>
internal sealed class SeedGenerator
{
    private const string Base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const int StampLength = 32;
    private const long Odd30 = 387_420_489; // 3^18: coprime to 10^9, so id -> phone is one to one
    private const long Odd40 = 0x9E_3779_B97F; // odd, so id -> MAC is one to one modulo 2^40
    private static readonly string[] MailDomains = ["example.com", "example.net", "example.org"];

    private readonly SeedStart _start;
    private readonly IReadOnlyList<SeedTariff> _tariffs;
    private readonly SeedCalendar _calendar;
    private readonly bool _textInstants;
    private readonly Random _random;
    private readonly long _historySeconds;

    public SeedGenerator(SeedStart start, IReadOnlyList<SeedTariff> tariffs, SeedCalendar calendar, bool textInstants)
    {
        _start = start;
        _tariffs = tariffs;
        _calendar = calendar;
        _textInstants = textInstants;
        // Seeded by where the run starts, so a run is repeatable on the same database state.
        _random = new Random(unchecked((int)start.SubscriberId * 7919));
        // Everyone joined at least a day before the payment day, at most three years ago.
        _historySeconds = (long)(calendar.PaymentDay.AddDays(-1) - calendar.EarliestCreation).TotalSeconds;
    }

    /// <summary>The rows for subscribers number <paramref name="offset"/> to offset + count - 1 of this run.</summary>
    public SeedRow[] Generate(int offset, int count)
    {
        var rows = new SeedRow[count];
        var stampBytes = new byte[count * StampLength];
        RandomNumberGenerator.Fill(stampBytes);
        var inv = CultureInfo.InvariantCulture;
        for (var i = 0; i < count; i++)
        {
            long k = offset + i;
            ref var row = ref rows[i];
            row.SubscriberId = _start.SubscriberId + k;
            row.ContractId = _start.ContractId + k;
            row.LedgerAccountId = _start.LedgerAccountId + k;
            row.AccountId = _start.AccountId + k;
            row.AccessPointId = _start.AccessPointId + k;
            row.PaymentTransactionId = _start.TransactionId + (3 * k);
            row.FirstEntryId = _start.EntryId + (6 * k);

            row.ContractNumber = ContractNumber.FromSequence(_start.ContractSequence + k).Value;
            row.AccountNumber = row.ContractNumber + "-1";
            row.LedgerAccountName = "subscriber " + row.AccountNumber;
            row.Login = "u" + row.ContractNumber;

            var (fullName, latin) = RussianNames.Next(_random);
            row.FullName = fullName;
            row.Phone = string.Create(inv, $"+79{row.SubscriberId * Odd30 % 1_000_000_000:D9}");
            row.Email = string.Create(inv, $"{latin}{row.SubscriberId}@{MailDomains[row.SubscriberId % MailDomains.Length]}");
            row.SecurityStamp = Stamp(stampBytes.AsSpan(i * StampLength, StampLength));

            var mac = row.AccessPointId * Odd40 & 0xFF_FFFF_FFFF;
            row.Mac = string.Create(inv,
                $"02:{(mac >> 32) & 0xFF:x2}:{(mac >> 24) & 0xFF:x2}:{(mac >> 16) & 0xFF:x2}:{(mac >> 8) & 0xFF:x2}:{mac & 0xFF:x2}");
            var host = row.AccessPointId % (256 * 256 * 254);
            row.Ip = string.Create(inv, $"10.{host / (256 * 254)}.{host / 254 % 256}.{(host % 254) + 1}");

            row.CreatedAt = _calendar.EarliestCreation.AddSeconds(_random.NextInt64(_historySeconds));
            row.SignedOn = DateOnly.FromDateTime(row.CreatedAt.UtcDateTime);
            row.PaymentAt = _calendar.PaymentDay.AddSeconds(_random.Next(6 * 3600, 20 * 3600));
            if (_textInstants)
            {
                row.CreatedAtText = TypeHandlers.SqliteInstant(row.CreatedAt);
                row.PaymentAtText = TypeHandlers.SqliteInstant(row.PaymentAt);
            }

            var tariff = _tariffs[_random.Next(_tariffs.Count)];
            row.TariffId = tariff.Id;
            row.Fee0 = tariff.Fee0;
            row.Fee1 = tariff.Fee1;
            // One to three months ahead, rounded up to whole hundreds of roubles.
            var wanted = tariff.MonthlyFee * _random.Next(1, 4);
            row.Payment = Math.Max(10_000, (wanted + 9_999) / 10_000 * 10_000);

            row.PaymentKey = string.Create(inv, $"seed-payment:{row.AccountId}");
            row.ChargeKey0 = ChargeKey.For(_calendar.ChargeDay0, row.AccountId, ChargeKey.Tariff);
            row.ChargeKey1 = ChargeKey.For(_calendar.ChargeDay1, row.AccountId, ChargeKey.Tariff);
        }

        return rows;
    }

    private static string Stamp(ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = stackalloc char[StampLength];
        for (var j = 0; j < chars.Length; j++)
        {
            chars[j] = Base32[bytes[j] & 31];
        }

        return new string(chars);
    }
}
