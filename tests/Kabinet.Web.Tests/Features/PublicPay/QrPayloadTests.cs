using System.Text;
using Kabinet.Domain.Money;
using Kabinet.Web.Features.PublicPay;

namespace Kabinet.Web.Tests.Features.PublicPay;

/// <summary>The GOST R 56042-2014 payment QR text: order of fields, the separator, UTF-8, the sum in kopecks.</summary>
public sealed class QrPayloadTests
{
    private static readonly PayeeDetails Payee = new(
        "ООО «Кабинет Телеком»", "40702810744050012345", "АО «Сибирский демонстрационный банк»", "045004999", "30101813000000000999", "5406123450", "540601001");

    [Fact]
    public void Required_fields_come_first_in_the_standard_order_then_the_optional_ones()
    {
        var text = GostQrPayload.Build(Payee, GostQrPayload.Purpose("100000000001"), "100000000001");

        text.IsSuccess.ShouldBeTrue();
        text.Value.ShouldBe(
            "ST00012|Name=ООО «Кабинет Телеком»|PersonalAcc=40702810744050012345|BankName=АО «Сибирский демонстрационный банк»" +
            "|BIC=045004999|CorrespAcc=30101813000000000999|PayeeINN=5406123450|KPP=540601001" +
            "|Purpose=Оплата услуг связи по договору 100000000001|PersAcc=100000000001");
    }

    [Fact]
    public void The_sum_is_written_in_kopecks_after_the_required_fields()
    {
        var text = GostQrPayload.Build(Payee, "Оплата", "100000000001", Money.FromRoubles(1234, 50)).Value;

        text.ShouldContain("|CorrespAcc=30101813000000000999|Sum=123450|PayeeINN=");
        text.Split('|').Count(f => f.StartsWith("Sum=", StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public void No_sum_and_no_optional_fields_leave_only_the_header_and_the_required_five()
    {
        var text = GostQrPayload.Build(Payee with { PayeeInn = null, Kpp = " " }).Value;

        text.Split('|').Select(f => f.Split('=')[0]).ToArray().ShouldBe(new[] { "ST00012", "Name", "PersonalAcc", "BankName", "BIC", "CorrespAcc" });
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-100L)]
    public void A_sum_that_is_not_positive_is_refused(long kopecks)
    {
        var text = GostQrPayload.Build(Payee, sum: new Money(kopecks));

        text.IsSuccess.ShouldBeFalse();
        text.Error!.Field.ShouldBe("Sum");
    }

    [Fact]
    public void A_separator_in_any_value_is_refused_never_passed_through()
    {
        GostQrPayload.Build(Payee with { Name = "ООО «Кабинет|Телеком»" }).Error!.ShouldBe(new Kabinet.Domain.Common.Error("qr.separator_in_value", "Name"));
        GostQrPayload.Build(Payee, purpose: "Оплата|PersonalAcc=40702810000000000001").Error!.Field.ShouldBe("Purpose");
        GostQrPayload.Build(Payee, payerAccount: "1|2").Error!.Field.ShouldBe("PersAcc");
        GostQrPayload.Build(Payee, purpose: "две\nстроки").Error!.Code.ShouldBe("qr.separator_in_value");
    }

    [Theory]
    [InlineData("PersonalAcc", "4070281074405001234X")]
    [InlineData("PersonalAcc", "407028107440500123456")]
    [InlineData("BIC", "04500499")]
    [InlineData("BIC", "0450049990")]
    [InlineData("CorrespAcc", "3010181300000000099a")]
    [InlineData("BankName", "АО «Сибирский демонстрационный банк», г. Новосибирск")]
    public void A_value_of_the_wrong_shape_or_length_is_refused(string field, string value)
    {
        var payee = field switch
        {
            "PersonalAcc" => Payee with { PersonalAcc = value },
            "BIC" => Payee with { Bic = value },
            "CorrespAcc" => Payee with { CorrespAcc = value },
            _ => Payee with { BankName = value },
        };

        var text = GostQrPayload.Build(payee);

        text.IsSuccess.ShouldBeFalse();
        text.Error!.ShouldBe(new Kabinet.Domain.Common.Error("qr.field_invalid", field));
    }

    [Fact]
    public void A_missing_required_value_is_named()
    {
        GostQrPayload.Build(Payee with { BankName = "" }).Error!.ShouldBe(new Kabinet.Domain.Common.Error("qr.field_required", "BankName"));
    }

    [Fact]
    public void The_text_is_utf8_and_its_header_says_so()
    {
        var text = GostQrPayload.Build(Payee, GostQrPayload.Purpose("100000000001")).Value;

        text.ShouldStartWith("ST0001" + "2" + "|");
        var bytes = Encoding.UTF8.GetBytes(text);
        Encoding.UTF8.GetString(bytes).ShouldBe(text);
        // Cyrillic takes two bytes each in UTF-8: the byte count is more than the character count.
        bytes.Length.ShouldBeGreaterThan(text.Length);
    }

    [Fact]
    public void The_drawing_is_inline_svg_without_script_style_or_external_references()
    {
        var svg = PaymentQr.Draw(GostQrPayload.Build(Payee, GostQrPayload.Purpose("100000000001"), "100000000001").Value);

        svg.ShouldStartWith("<svg");
        svg.ShouldContain("aria-hidden=\"true\"");
        svg.ShouldContain("viewBox=");
        svg.ShouldNotContain("<script", Case.Insensitive);
        svg.ShouldNotContain("style=", Case.Insensitive);
        svg.ShouldNotContain("href=", Case.Insensitive);
        svg.ShouldNotContain("Оплата");
    }
}
