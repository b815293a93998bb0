using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
using Kabinet.Data.Connections;

namespace Kabinet.Web.Features.Shared;

/// <summary>
/// The words of journal transactions for the reader. The journal keeps each description as it was
/// written, in Russian (it is the provider's append-only record and is never rewritten); a reader of
/// the English interface gets it in English: the fixed phrases translated, a tariff's or a service's
/// Russian name replaced by its English one from the catalogue, dates as the reader writes them. A
/// description this does not know is shown as stored.
/// </summary>
public sealed partial class JournalWording(Database database, TimeProvider time)
{
    private static readonly TimeSpan NamesFor = TimeSpan.FromMinutes(5);

    private static readonly Dictionary<string, string> Phrases = new(StringComparer.Ordinal)
    {
        ["Оплата банковской картой"] = "Card payment",
        ["Оплата СБП"] = "SBP payment",
        ["Оплата в кассе"] = "Cash desk payment",
        ["Оплата"] = "Payment",
        ["Возврат оплаты банковской картой"] = "Card payment refund",
        ["Погашение обещанного платежа"] = "Promised payment repaid",
        ["Списание непогашенного обещанного платежа"] = "Unpaid promised payment withdrawn",
        ["Сторно"] = "Reversal",
    };

    // Swapped whole, so a reader on another thread sees the old catalogue or the new one, never half.
    private sealed record Catalogue(DateTimeOffset Until, IReadOnlyDictionary<string, string> Names);

    private Catalogue _names = new(DateTimeOffset.MinValue, new Dictionary<string, string>());

    /// <summary>The description in the request's language.</summary>
    public async ValueTask<string> ForAsync(string description, CancellationToken ct = default) => (await ReaderAsync(ct))(description);

    /// <summary>Puts descriptions into the request's language (as stored for a Russian reader); for a list of them.</summary>
    public async ValueTask<Func<string, string>> ReaderAsync(CancellationToken ct = default)
    {
        if (!Localization.Texts.IsEnglish)
        {
            return static description => description;
        }

        var names = await NamesAsync(ct);
        return description => string.IsNullOrEmpty(description) ? description : ToEnglish(description, names, Display.Date);
    }

    /// <summary>A stored (Russian) description in English; <paramref name="names"/> maps Russian catalogue names to English ones.</summary>
    public static string ToEnglish(string description, IReadOnlyDictionary<string, string> names, Func<DateOnly, string> date)
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(date);
        if (Phrases.TryGetValue(description, out var phrase))
        {
            return phrase;
        }

        if (Named().Match(description) is { Success: true } named)
        {
            var name = names.TryGetValue(named.Groups["name"].Value, out var english) ? english : named.Groups["name"].Value;
            return named.Groups["day"].Success ? $"«{name}» for {Day(named.Groups["day"].Value, date)}" : $"«{name}»";
        }

        if (Freeze().Match(description) is { Success: true } freeze)
        {
            return "Voluntary freeze for " + Day(freeze.Groups["day"].Value, date);
        }

        if (Fee().Match(description) is { Success: true } fee)
        {
            return "Subscription fee for " + Day(fee.Groups["day"].Value, date);
        }

        return Promised().Match(description) is { Success: true } promised
            ? "Promised payment due " + Day(promised.Groups["day"].Value, date)
            : description;
    }

    private static string Day(string stored, Func<DateOnly, string> date) =>
        DateOnly.TryParseExact(stored, "dd.MM.yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? date(day) : stored;

    private async ValueTask<IReadOnlyDictionary<string, string>> NamesAsync(CancellationToken ct)
    {
        var cached = Volatile.Read(ref _names);
        if (cached.Until > time.GetUtcNow())
        {
            return cached.Names;
        }

        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Ru, string En)>(new CommandDefinition(
            "SELECT name_ru, name_en FROM tariffs UNION ALL SELECT name_ru, name_en FROM extra_services", cancellationToken: ct));
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (ru, en) in rows)
        {
            names.TryAdd(ru, string.IsNullOrWhiteSpace(en) ? ru : en);
        }

        Volatile.Write(ref _names, new Catalogue(time.GetUtcNow() + NamesFor, names));
        return names;
    }

    [GeneratedRegex("^«(?<name>[^»]+)»(?: за (?<day>\\d\\d\\.\\d\\d\\.\\d{4}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Named();

    [GeneratedRegex("^Добровольная блокировка за (?<day>\\d\\d\\.\\d\\d\\.\\d{4})$", RegexOptions.CultureInvariant)]
    private static partial Regex Freeze();

    // The load-test subscribers of seed-demo --subscribers N.
    [GeneratedRegex("^Абонентская плата за (?<day>\\d\\d\\.\\d\\d\\.\\d{4})$", RegexOptions.CultureInvariant)]
    private static partial Regex Fee();

    [GeneratedRegex("^Обещанный платёж до (?<day>\\d\\d\\.\\d\\d\\.\\d{4})$", RegexOptions.CultureInvariant)]
    private static partial Regex Promised();
}
