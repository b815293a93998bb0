using System.Net.Mail;

namespace Kabinet.Web.Features.Payments;

/// <summary>Where the 54-FZ electronic receipt goes: an e-mail, or a Russian mobile phone as 7XXXXXXXXXX.</summary>
public static class ReceiptContact
{
    /// <summary>The contact in the form the gateway wants, or null when it is neither.</summary>
    public static string? Normalize(string? text)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value) || value.Length > 254)
        {
            return null;
        }

        if (value.Contains('@', StringComparison.Ordinal))
        {
            return MailAddress.TryCreate(value, out var mail) && mail.Address == value && mail.Host.Contains('.', StringComparison.Ordinal) ? value : null;
        }

        var digits = new string(value.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length == 11 && digits[0] is '7' or '8')
        {
            return "7" + digits[1..];
        }

        return digits.Length == 10 && digits[0] == '9' ? "7" + digits : null;
    }
}
