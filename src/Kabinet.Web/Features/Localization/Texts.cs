using System.Globalization;

namespace Kabinet.Web.Features.Localization;

/// <summary>
/// The words of the interface in the request's language (Russian unless English was chosen or
/// asked for). One table per language keeps a translator's work in one file.
/// </summary>
public sealed class Texts
{
    /// <summary>The languages the interface speaks, default first.</summary>
    public static readonly CultureInfo[] Cultures = [new("ru-RU"), new("en-US")];

    /// <summary>
    /// What requests may ask for: the two cultures and their neutral parents, so that a browser's
    /// "en-GB" or "en" falls back to English instead of to the Russian default.
    /// </summary>
    public static readonly CultureInfo[] Accepted = [.. Cultures, new("ru"), new("en")];

    /// <summary>The text for a key in the current UI culture; the key itself when missing, so a gap is visible.</summary>
    public string this[string key] => Get(key, CultureInfo.CurrentUICulture);

    /// <summary>The text with <c>{name}</c> placeholders filled.</summary>
    public string Format(string key, params (string Name, object Value)[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var text = this[key];
        var open = text.IndexOf('{', StringComparison.Ordinal);
        if (open < 0 || args.Length == 0)
        {
            return text;
        }

        // One pass over the text (pages call this several times per view); an unknown {name} stays as written.
        var filled = new System.Text.StringBuilder(text.Length + 32);
        var from = 0;
        while (open >= 0)
        {
            var close = text.IndexOf('}', open + 1);
            if (close < 0)
            {
                break;
            }

            var value = Find(args, text.AsSpan(open + 1, close - open - 1));
            filled.Append(text, from, (value is null ? open + 1 : open) - from);
            if (value is not null)
            {
                filled.Append(Convert.ToString(value, CultureInfo.CurrentCulture));
            }

            from = value is null ? open + 1 : close + 1;
            open = text.IndexOf('{', from);
        }

        return filled.Append(text, from, text.Length - from).ToString();
    }

    private static object? Find((string Name, object Value)[] args, ReadOnlySpan<char> name)
    {
        foreach (var arg in args)
        {
            if (name.SequenceEqual(arg.Name))
            {
                return arg.Value;
            }
        }

        return null;
    }

    /// <summary>
    /// The message for an expected failure: the text of "error." + its code, with the error's
    /// arguments filled into their {placeholders}.
    /// </summary>
    public string Error(Kabinet.Domain.Common.Error error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Format("error." + error.Code, (error.Args ?? new Dictionary<string, string>()).Select(a => (a.Key, (object)ForPeople(a.Value))).ToArray());
    }

    // An error's arguments are machine-readable for the API's extension members (an ISO day,
    // "500.00"); people read them as dates and money of their language ("15.04.2027", "500,00 ₽").
    private static string ForPeople(string value) =>
        Kabinet.Domain.Money.Money.TryParse(value, out var money) ? Kabinet.Domain.Money.MoneyFormat.Display(money, CultureInfo.CurrentCulture)
        : value.Length == 10 && DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day.ToString("d", CultureInfo.CurrentCulture)
            : value;

    /// <summary>True when the current language is English.</summary>
    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    /// <summary>The two-letter code of the current language, for &lt;html lang&gt;.</summary>
    public static string Language => IsEnglish ? "en" : "ru";

    /// <summary>Picks the Russian or English form of a name stored in both.</summary>
    public static string Pick(string ru, string en) => IsEnglish ? en : ru;

    /// <summary>Every feature's table; a feature with words of its own adds its table here.</summary>
    internal static readonly TextTable[] Tables =
    [
        new(TextsRu.All, TextsEn.All),
        Tariffs.TariffTexts.Table,
        Services.ServiceTexts.Table,
        Freeze.FreezeTexts.Table,
        PromisedPayment.PromisedPaymentTexts.Table,
        Payments.PaymentTexts.Table,
        SandboxAcquirer.SandboxTexts.Table,
        History.HistoryTexts.Table,
        PublicPay.PublicPayTexts.Table,
        Autopay.AutopayTexts.Table,
        Connection.ConnectionTexts.Table,
        Offer.OfferTexts.Table,
    ];

    private static readonly Dictionary<string, string> AllRu = Merge(t => t.Ru);
    private static readonly Dictionary<string, string> AllEn = Merge(t => t.En);

    internal static string Get(string key, CultureInfo culture)
    {
        var table = culture.TwoLetterISOLanguageName == "en" ? AllEn : AllRu;
        return table.TryGetValue(key, out var text) ? text : key;
    }

    /// <summary>All keys of a language, for the test that both languages say everything.</summary>
    internal static IReadOnlyDictionary<string, string> All(bool english) => english ? AllEn : AllRu;

    private static Dictionary<string, string> Merge(Func<TextTable, IReadOnlyDictionary<string, string>> pick)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in Tables)
        {
            foreach (var (key, value) in pick(table))
            {
                // Two features claiming one key is a bug to find at start-up, not a silent override.
                if (!merged.TryAdd(key, value))
                {
                    throw new InvalidOperationException($"The text key '{key}' is defined twice.");
                }
            }
        }

        return merged;
    }
}
