using Kabinet.Domain.Subscribers;

namespace Kabinet.Domain.Tests;

public sealed class ContractNumberTests
{
    [Theory]
    [InlineData("100000000001")]
    [InlineData("1000 0000 0001")]
    [InlineData("1000-0000-0001")]
    [InlineData("  1000 - 0000 - 0001  ")]
    [InlineData("1000\u00A00000\u00A00001")]
    [InlineData("1-0-0-0-0-0-0-0-0-0-0-1")]
    public void Spaces_and_dashes_people_type_are_dropped(string typed)
    {
        ContractNumber.TryParse(typed, out var number).ShouldBeTrue();
        number.Value.ShouldBe("100000000001");
        number.ShouldBe(ContractNumber.FromSequence(1));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("10000000001")]
    [InlineData("1000000000011")]
    [InlineData("1000 0000 000")]
    [InlineData("10000000000a")]
    [InlineData("+100000000001")]
    [InlineData("1000.0000.0001")]
    [InlineData("1000\t0000\t0001")]
    [InlineData("１００００００００００１")]
    [InlineData("١٠٠٠٠٠٠٠٠٠٠١")]
    [InlineData("1000 0000 0001                                 ")]
    public void Anything_but_twelve_digits_is_refused(string? typed)
    {
        ContractNumber.TryParse(typed, out var number).ShouldBeFalse();
        number.ShouldBe(default);
    }

    [Fact]
    public void Masked_form_shows_the_first_and_last_four_digits()
    {
        ContractNumber.FromSequence(1).Masked.ShouldBe("1000****0001");
        ContractNumber.TryParse("1234 5678 9012", out var number).ShouldBeTrue();
        number.Masked.ShouldBe("1234****9012");
    }

    [Theory]
    [InlineData(1L, "100000000001")]
    [InlineData(123_456L, "100000123456")]
    [InlineData(899_999_999_999L, "999999999999")]
    public void Sequence_values_become_twelve_digit_numbers(long sequence, string expected)
    {
        var number = ContractNumber.FromSequence(sequence);

        number.Value.ShouldBe(expected);
        number.ToString().ShouldBe(expected);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(900_000_000_000L)]
    public void Sequence_values_without_a_twelve_digit_number_are_refused(long sequence)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => ContractNumber.FromSequence(sequence));
    }

    [Fact]
    public void Formatted_number_parses_back_to_itself()
    {
        var number = ContractNumber.FromSequence(42);

        ContractNumber.TryParse(number.ToString(), out var parsed).ShouldBeTrue();
        parsed.ShouldBe(number);
    }
}
