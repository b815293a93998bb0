using System.Globalization;
using System.Text;
using Kabinet.Domain.Common;
using Kabinet.Domain.Money;

namespace Kabinet.Web.Features.PublicPay;

/// <summary>The payee's bank details that a payment QR code carries.</summary>
public sealed record PayeeDetails(
    string Name, string PersonalAcc, string BankName, string Bic, string CorrespAcc, string? PayeeInn = null, string? Kpp = null);

/// <summary>
/// The text of a payment QR code in the Russian bank standard GOST R 56042-2014: the header
/// "ST00012" (format ST, version 0001, encoding 2 = UTF-8), then <c>Key=Value</c> pairs separated by
/// "|": the five required fields in the standard's order, then Sum (kopecks), PayeeINN, KPP, Purpose
/// and PersAcc (the payer's account with the payee: the contract number). The standard has
/// no escaping, so a value with the separator (or a line break) is refused rather than guessed at.
/// Pure: no I/O, the same input gives the same text.
/// </summary>
public static class GostQrPayload
{
    /// <summary>Format "ST", version "0001", encoding "2" (UTF-8).</summary>
    public const string Header = "ST00012";

    /// <summary>The separator between the fields.</summary>
    public const char Separator = '|';

    /// <summary>
    /// Builds the text, or says which field cannot be carried: a missing required value, a value
    /// with "|" or a line break, a value too long for the standard, an account or BIC that is not digits.
    /// </summary>
    public static Result<string> Build(PayeeDetails payee, string? purpose = null, string? payerAccount = null, Money? sum = null)
    {
        ArgumentNullException.ThrowIfNull(payee);
        var fields = new List<(string Key, string? Value, int Max, bool Required, bool Digits)>
        {
            ("Name", payee.Name, 160, true, false),
            ("PersonalAcc", payee.PersonalAcc, 20, true, true),
            ("BankName", payee.BankName, 45, true, false),
            ("BIC", payee.Bic, 9, true, true),
            ("CorrespAcc", payee.CorrespAcc, 20, true, true),
        };
        if (sum is { } amount)
        {
            if (!amount.IsPositive)
            {
                return new Error("qr.sum_invalid", "Sum");
            }

            // The standard writes the sum in kopecks, digits only.
            fields.Add(("Sum", amount.Kopecks.ToString(CultureInfo.InvariantCulture), 18, false, true));
        }

        fields.Add(("PayeeINN", payee.PayeeInn, 12, false, true));
        fields.Add(("KPP", payee.Kpp, 9, false, true));
        fields.Add(("Purpose", purpose, 210, false, false));
        fields.Add(("PersAcc", payerAccount, 60, false, false));

        var text = new StringBuilder(Header);
        foreach (var (key, raw, max, required, digits) in fields)
        {
            var value = raw?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                if (required)
                {
                    return new Error("qr.field_required", key);
                }

                continue;
            }

            if (value.Contains(Separator, StringComparison.Ordinal) || value.Any(char.IsControl))
            {
                return new Error("qr.separator_in_value", key);
            }

            // A BIC is nine digits and a settlement account twenty; shorter is a typo, not a short number.
            var exact = key switch { "BIC" => 9, "PersonalAcc" => 20, _ => 0 };
            if (value.Length > max || (exact > 0 && value.Length != exact) || (digits && !value.All(char.IsAsciiDigit)))
            {
                return new Error("qr.field_invalid", key);
            }

            text.Append(Separator).Append(key).Append('=').Append(value);
        }

        return text.ToString();
    }

    /// <summary>The purpose a payer's bank shows: "Оплата услуг связи по договору N".</summary>
    public static string Purpose(string contractNumber) => "Оплата услуг связи по договору " + contractNumber;
}
