using System.Globalization;

namespace Kabinet.Domain.Tests;

using Kabinet.Domain.Money;
using Money = Kabinet.Domain.Money.Money;

public sealed class MoneyWireFormatTests
{
    private static readonly CultureInfo Russian = CultureInfo.GetCultureInfo("ru-RU");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");

    [Theory]
    [InlineData(123_450, "1234.50")]
    [InlineData(-1_667, "-16.67")]
    [InlineData(0, "0.00")]
    [InlineData(5, "0.05")]
    [InlineData(-5, "-0.05")]
    [InlineData(100, "1.00")]
    [InlineData(long.MaxValue, "92233720368547758.07")]
    [InlineData(long.MinValue, "-92233720368547758.08")]
    public void Wire_form_is_roubles_with_two_decimals_and_a_dot(long kopecks, string wire)
    {
        new Money(kopecks).ToString().ShouldBe(wire);
        Money.TryParse(wire, out var parsed).ShouldBeTrue();
        parsed.ShouldBe(new Money(kopecks));
    }

    [Fact]
    public void Wire_form_ignores_the_current_culture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = Russian;
            new Money(-123_450).ToString().ShouldBe("-1234.50");
            Money.TryParse("-1234.50", out var parsed).ShouldBeTrue();
            parsed.ShouldBe(new Money(-123_450));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1.5")]
    [InlineData("1.555")]
    [InlineData("+1.00")]
    [InlineData("1,00")]
    [InlineData("1,234.50")]
    [InlineData(" 1.00")]
    [InlineData("1.00 ")]
    [InlineData("1 234.50")]
    [InlineData("1e3")]
    [InlineData("1e3.00")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("-")]
    [InlineData("--1.00")]
    [InlineData("-.50")]
    [InlineData(".50")]
    [InlineData("1.")]
    [InlineData("1..00")]
    [InlineData("1.0a")]
    [InlineData("a.00")]
    [InlineData("1.-5")]
    [InlineData("1.00-")]
    [InlineData("١.٠٠")]
    [InlineData("１.００")]
    [InlineData("92233720368547758.08")]
    [InlineData("-92233720368547758.09")]
    [InlineData("99999999999999999999.99")]
    [InlineData("-99999999999999999999.99")]
    [InlineData("123456789012345678901234567890.00")]
    public void Any_other_form_is_refused(string? text)
    {
        Money.TryParse(text, out var parsed).ShouldBeFalse();
        parsed.ShouldBe(Money.Zero);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(404)]
    [InlineData(65537)]
    public void Wire_form_round_trips_for_any_amount(int seed)
    {
        Cases.Check(seed, 5_000, random =>
        {
            var money = new Money(Cases.Amount(random));
            var wire = money.ToString();

            Money.TryParse(wire, out var parsed).ShouldBeTrue($"'{wire}' from {money.Kopecks}");
            parsed.ShouldBe(money, $"'{wire}'");
        });
    }

    [Theory]
    [InlineData(123_450, "1\u00A0234,50\u00A0₽")]
    [InlineData(123_456_789, "1\u00A0234\u00A0567,89\u00A0₽")]
    [InlineData(-1_667, "-16,67\u00A0₽")]
    [InlineData(0, "0,00\u00A0₽")]
    [InlineData(99_900, "999,00\u00A0₽")]
    public void Russian_display_groups_thousands_with_no_break_spaces(long kopecks, string expected)
    {
        MoneyFormat.Display(new Money(kopecks), Russian).ShouldBe(expected);
    }

    [Theory]
    [InlineData(123_450, "1,234.50\u00A0₽")]
    [InlineData(-1_667, "-16.67\u00A0₽")]
    [InlineData(5, "0.05\u00A0₽")]
    public void English_display_groups_thousands_with_commas(long kopecks, string expected)
    {
        MoneyFormat.Display(new Money(kopecks), English).ShouldBe(expected);
    }

    [Theory]
    [InlineData(long.MaxValue, "92\u00A0233\u00A0720\u00A0368\u00A0547\u00A0758,07\u00A0₽")]
    [InlineData(long.MinValue, "-92\u00A0233\u00A0720\u00A0368\u00A0547\u00A0758,08\u00A0₽")]
    public void Display_of_the_extreme_amounts_is_exact(long kopecks, string expected)
    {
        MoneyFormat.Display(new Money(kopecks), Russian).ShouldBe(expected);
    }

    [Fact]
    public void Display_needs_a_culture()
    {
        Should.Throw<ArgumentNullException>(() => MoneyFormat.Display(Money.Zero, null!));
    }
}

public sealed class MoneyTypedInputTests
{
    [Theory]
    [InlineData("500", 50_000)]
    [InlineData(" 500 ", 50_000)]
    [InlineData("500.5", 50_050)]
    [InlineData("500,5", 50_050)]
    [InlineData("500,50", 50_050)]
    [InlineData("500.", 50_000)]
    [InlineData("0.05", 5)]
    [InlineData("1 500", 150_000)]
    [InlineData("1\u00A0500,00", 150_000)]
    [InlineData("1\u202F500.25", 150_025)]
    [InlineData("-5", -500)]
    public void A_typed_amount_is_read_as_a_person_means_it(string typed, long kopecks)
    {
        Money.TryParseTyped(typed, out var money).ShouldBeTrue();
        money.ShouldBe(new Money(kopecks));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("1.005")]
    [InlineData("1,005")]
    [InlineData("1.500,00")]
    [InlineData("1,500.00")]
    [InlineData("abc")]
    [InlineData("5e2")]
    [InlineData("+500")]
    [InlineData(".50")]
    [InlineData("-0")]
    [InlineData("500 ₽")]
    [InlineData("99999999999999999999")]
    public void Anything_else_is_refused(string? typed)
    {
        Money.TryParseTyped(typed, out var money).ShouldBeFalse();
        money.ShouldBe(Money.Zero);
    }
}
