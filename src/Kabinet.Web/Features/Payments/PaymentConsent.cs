using System.Globalization;
using Kabinet.Web.Features.Localization;
using Kabinet.Web.Features.Offer;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.Payments;

/// <summary>
/// The consent to the offer as the payment forms show it: one place for the words and the link, so
/// the checkbox's label and the text stored with a payment cannot drift apart.
/// </summary>
public sealed class PaymentConsent(IOptions<PaymentOptions> options)
{
    private const string Placeholder = "{offer}";

    /// <summary>Where the checkbox's offer link points (<see cref="OfferLink"/>).</summary>
    public string OfferUrl => OfferLink.Url(options.Value);

    /// <summary>
    /// The consent recorded with a payment from a form: the checkbox's label as shown (the link's
    /// target in brackets) and, when the card is saved, the saving checkbox's label and hint.
    /// </summary>
    public string ForForm(bool saveCard, CultureInfo culture)
    {
        var (before, link, after) = Label(culture);
        var text = before + link + " (" + OfferUrl + ")" + after;
        return saveCard ? text + ". " + Texts.Get("pay.save", culture) + ". " + Texts.Get("pay.save_hint", culture) : text;
    }

    /// <summary>The culture of a form's language field ("ru", "en"); the request's own when missing or unknown.</summary>
    public static CultureInfo Culture(string? language) =>
        Texts.Cultures.FirstOrDefault(c => string.Equals(c.TwoLetterISOLanguageName, language, StringComparison.Ordinal)) ?? CultureInfo.CurrentUICulture;

    /// <summary>
    /// The consent recorded with a payment started through the API, in the caller's language: the
    /// offer's title and link, whether the client ticked it or accepted it on the subscriber's behalf
    /// by leaving the field out, and the consent to save the card when asked.
    /// </summary>
    public string ForApi(bool onBehalf, bool saveCard, CultureInfo culture)
    {
        var offer = Texts.Get("offer.title", culture) + " (" + OfferUrl + ")";
        var text = Texts.Get(onBehalf ? "pay.consent.api_on_behalf" : "pay.consent.api", culture).Replace(Placeholder, offer, StringComparison.Ordinal);
        return saveCard ? text + ". " + Texts.Get("pay.consent.api_save", culture) : text;
    }

    /// <summary>The checkbox's label in a language, cut around the offer's link.</summary>
    public static (string Before, string Link, string After) Label(CultureInfo culture)
    {
        var text = Texts.Get("pay.consent", culture);
        var at = text.IndexOf(Placeholder, StringComparison.Ordinal);
        var link = Texts.Get("offer.link", culture);
        return at < 0 ? (text + " ", link, "") : (text[..at], link, text[(at + Placeholder.Length)..]);
    }
}
