using System.Globalization;

namespace Kabinet.Domain.Money;

/// <summary>How people read an amount: "1 234,50 ₽" in Russian, "1,234.50 ₽" in English.</summary>
public static class MoneyFormat
{
    /// <summary>Formats for display in the given culture, with the rouble sign.</summary>
    public static string Display(Money money, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        var roubles = money.Kopecks / 100m;
        var number = roubles.ToString("#,0.00", culture);
        // Russian culture groups with a no-break space; keep it so "1 234,50" never wraps.
        return number.Replace('\u202F', '\u00A0') + "\u00A0₽";
    }
}
