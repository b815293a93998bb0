using Kabinet.Domain.Ledger;

namespace Kabinet.Domain.Tests;

using Money = Kabinet.Domain.Money.Money;

public sealed class LedgerTransactionTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Transfer_moves_the_amount_from_one_account_to_the_other()
    {
        var result = LedgerTransaction.Transfer("pay-1", TransactionKind.Payment, 42, At, "Оплата", 1, 2, new Money(50_000));

        result.IsSuccess.ShouldBeTrue();
        var tx = result.Value;
        tx.Entries.ShouldBe([new LedgerEntry(1, new Money(-50_000)), new LedgerEntry(2, new Money(50_000))]);
        tx.IdempotencyKey.ShouldBe("pay-1");
        tx.Kind.ShouldBe(TransactionKind.Payment);
        tx.AccountId.ShouldBe(42);
        tx.Reverses.ShouldBeNull();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Transfer_of_nothing_or_less_is_refused(long kopecks)
    {
        var result = LedgerTransaction.Transfer("k", TransactionKind.Payment, null, At, "", 1, 2, new Money(kopecks));

        result.Error.ShouldBe(new Kabinet.Domain.Common.Error("ledger.amount_not_positive", "amount"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Missing_idempotency_key_is_refused(string? key)
    {
        var result = LedgerTransaction.Transfer(key!, TransactionKind.Payment, null, At, "", 1, 2, new Money(1));

        result.Error!.Code.ShouldBe("ledger.key_invalid");
        result.Error.Field.ShouldBe("idempotencyKey");
    }

    [Fact]
    public void Idempotency_key_may_be_as_long_as_the_journal_stores_and_no_longer()
    {
        Transfer(new string('k', LedgerTransaction.MaxKeyLength)).IsSuccess.ShouldBeTrue();
        Transfer(new string('k', LedgerTransaction.MaxKeyLength + 1)).Error!.Code.ShouldBe("ledger.key_invalid");

        static Kabinet.Domain.Common.Result<LedgerTransaction> Transfer(string key) =>
            LedgerTransaction.Transfer(key, TransactionKind.Payment, null, At, "", 1, 2, new Money(1));
    }

    [Fact]
    public void A_single_entry_is_refused()
    {
        Create([new LedgerEntry(1, new Money(0))]).Error!.Code.ShouldBe("ledger.too_few_entries");
        Create([]).Error!.Code.ShouldBe("ledger.too_few_entries");
    }

    [Fact]
    public void A_zero_entry_is_refused_even_when_the_rest_balances()
    {
        Create([new LedgerEntry(1, new Money(5)), new LedgerEntry(2, Money.Zero), new LedgerEntry(3, new Money(-5))])
            .Error!.Code.ShouldBe("ledger.zero_entry");
    }

    [Fact]
    public void Unbalanced_entries_are_refused()
    {
        Create([new LedgerEntry(1, new Money(-5)), new LedgerEntry(2, new Money(4))]).Error!.Code.ShouldBe("ledger.unbalanced");
    }

    [Fact]
    public void Unbalanced_entries_too_large_to_add_up_are_refused_as_unbalanced_not_thrown()
    {
        Create([new LedgerEntry(1, new Money(long.MaxValue)), new LedgerEntry(2, new Money(long.MaxValue))])
            .Error!.Code.ShouldBe("ledger.unbalanced");
        Create([new LedgerEntry(1, new Money(long.MinValue + 1)), new LedgerEntry(2, new Money(-1))])
            .Error!.Code.ShouldBe("ledger.unbalanced");
    }

    [Fact]
    public void An_entry_of_long_MinValue_is_refused_because_it_could_never_be_reversed()
    {
        Create([new LedgerEntry(1, new Money(long.MinValue)), new LedgerEntry(2, new Money(long.MaxValue)), new LedgerEntry(3, new Money(1))])
            .Error!.Code.ShouldBe("ledger.amount_out_of_range");
    }

    [Fact]
    public void Balanced_entries_are_accepted_whatever_their_order()
    {
        // Summed left to right in a long, the first two entries would already overflow.
        Create([
            new LedgerEntry(1, new Money(long.MaxValue)), new LedgerEntry(2, new Money(1)),
            new LedgerEntry(3, new Money(-1)), new LedgerEntry(4, new Money(-long.MaxValue)),
        ]).IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public void Occurrence_is_kept_in_utc()
    {
        var moscow = new DateTimeOffset(2026, 11, 21, 15, 0, 0, TimeSpan.FromHours(3));

        var tx = LedgerTransaction.Transfer("k", TransactionKind.Charge, null, moscow, "", 1, 2, new Money(1)).Value;

        tx.OccurredAt.Offset.ShouldBe(TimeSpan.Zero);
        tx.OccurredAt.ShouldBe(moscow);
    }

    [Fact]
    public void Entries_are_copied_so_the_caller_cannot_change_a_recorded_transaction()
    {
        var entries = new List<LedgerEntry> { new(1, new Money(-5)), new(2, new Money(5)) };
        var tx = Create(entries).Value;

        entries[1] = new LedgerEntry(3, new Money(5));

        tx.Entries[1].LedgerAccountId.ShouldBe(2);
    }

    [Fact]
    public void Reverse_negates_every_entry_and_points_at_the_original()
    {
        var tx = LedgerTransaction.Transfer("pay-1", TransactionKind.Payment, 42, At, "Оплата", 1, 2, new Money(50_000)).Value;

        var reversal = tx.Reverse(journalId: 7, "reverse-pay-1", At.AddDays(1), "Ошибочный платёж").Value;

        reversal.Kind.ShouldBe(TransactionKind.Reversal);
        reversal.Reverses.ShouldBe(7);
        reversal.AccountId.ShouldBe(42);
        reversal.IdempotencyKey.ShouldBe("reverse-pay-1");
        reversal.Entries.ShouldBe([new LedgerEntry(1, new Money(50_000)), new LedgerEntry(2, new Money(-50_000))]);
    }

    [Theory]
    [InlineData(21)]
    [InlineData(8080)]
    [InlineData(123457)]
    public void Transaction_whose_entries_sum_to_zero_is_accepted(int seed)
    {
        Cases.Check(seed, 5_000, random =>
        {
            var entries = BalancedEntries(random);

            var result = Create(entries);

            result.Error.ShouldBeNull(Describe(entries));
            result.Value.Entries.ShouldBe(entries, Describe(entries));
        });
    }

    [Theory]
    [InlineData(22)]
    [InlineData(8081)]
    [InlineData(123458)]
    public void Transaction_whose_entries_do_not_sum_to_zero_is_refused_as_unbalanced(int seed)
    {
        Cases.Check(seed, 5_000, random =>
        {
            var entries = BalancedEntries(random);
            var i = random.Next(entries.Length);
            var skew = NonZero(random);
            if (entries[i].Amount.Kopecks + skew == 0)
            {
                skew = -skew;
            }

            entries[i] = entries[i] with { Amount = entries[i].Amount + new Money(skew) };

            Create(entries).Error?.Code.ShouldBe("ledger.unbalanced", Describe(entries));
        });
    }

    [Theory]
    [InlineData(23)]
    [InlineData(8082)]
    [InlineData(123459)]
    public void Reverse_of_any_valid_transaction_cancels_it_per_ledger_account(int seed)
    {
        Cases.Check(seed, 5_000, random =>
        {
            var original = Create(BalancedEntries(random)).Value;

            var reversal = original.Reverse(random.NextInt64(1, long.MaxValue), "reverse", At, "").Value;

            var perAccount = original.Entries.Concat(reversal.Entries)
                .GroupBy(e => e.LedgerAccountId)
                .Select(g => (Account: g.Key, Sum: g.Sum(e => e.Amount.Kopecks)));
            perAccount.ShouldAllBe(a => a.Sum == 0, Describe(original.Entries));
            reversal.Entries.Sum(e => e.Amount.Kopecks).ShouldBe(0L);
        });
    }

    private static Kabinet.Domain.Common.Result<LedgerTransaction> Create(IReadOnlyList<LedgerEntry> entries) =>
        LedgerTransaction.Create("key", TransactionKind.Adjustment, 42, At, "", entries);

    /// <summary>Two to ten non-zero entries over a few accounts (so accounts repeat), summing to zero.</summary>
    private static LedgerEntry[] BalancedEntries(Random random)
    {
        while (true)
        {
            var entries = new LedgerEntry[random.Next(2, 11)];
            long sum = 0;
            for (var i = 0; i < entries.Length - 1; i++)
            {
                var amount = NonZero(random);
                entries[i] = new LedgerEntry(random.Next(1, 7), new Money(amount));
                sum += amount;
            }

            if (sum != 0)
            {
                entries[^1] = new LedgerEntry(random.Next(1, 7), new Money(-sum));
                return entries;
            }
        }
    }

    /// <summary>A non-zero amount, from a kopeck to ten billion roubles.</summary>
    private static long NonZero(Random random)
    {
        var magnitude = random.Next(3) switch
        {
            0 => random.NextInt64(1, 100),
            1 => random.NextInt64(1, 10_000_000),
            _ => random.NextInt64(1, 1_000_000_000_000),
        };
        return random.Next(2) == 0 ? magnitude : -magnitude;
    }

    private static string Describe(IEnumerable<LedgerEntry> entries) =>
        "entries [" + string.Join(", ", entries.Select(e => $"{e.LedgerAccountId}: {e.Amount}")) + "]";
}
