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
        var text = this[key];
        foreach (var (name, value) in args)
        {
            text = text.Replace("{" + name + "}", Convert.ToString(value, CultureInfo.CurrentCulture), StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>True when the current language is English.</summary>
    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    /// <summary>The two-letter code of the current language, for &lt;html lang&gt;.</summary>
    public static string Language => IsEnglish ? "en" : "ru";

    /// <summary>Picks the Russian or English form of a name stored in both.</summary>
    public static string Pick(string ru, string en) => IsEnglish ? en : ru;

    internal static string Get(string key, CultureInfo culture)
    {
        var table = culture.TwoLetterISOLanguageName == "en" ? TextsEn.All : TextsRu.All;
        return table.TryGetValue(key, out var text) ? text : key;
    }
}
