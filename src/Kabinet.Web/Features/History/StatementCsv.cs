using System.Globalization;
using System.Text;
using Kabinet.Web.Features.Localization;
using Kabinet.Web.Features.Shared;
using Kabinet.Web.Hosting;

namespace Kabinet.Web.Features.History;

/// <summary>
/// The statement as CSV for a spreadsheet: ';' between fields as Russian Excel expects, UTF-8 with
/// a byte-order mark so Excel reads the Cyrillic, ISO dates in the operator's zone, amounts as
/// "1234.50". Fields are quoted per RFC 4180 when they need it.
/// </summary>
public static class StatementCsv
{
    /// <summary>The media type of the file.</summary>
    public const string ContentType = "text/csv; charset=utf-8";

    private const char Separator = ';';

    /// <summary>The file's bytes: header row, then one row per line of the statement, oldest first.</summary>
    public static async Task<byte[]> WriteAsync(Statement statement, Texts texts, OperatorClock clock, JournalWording wording, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(wording);
        var words = await wording.ReaderAsync(ct);
        var csv = new StringBuilder();
        Row(csv, texts["history.csv.id"], texts["history.csv.date"], texts["history.csv.time"], texts["history.csv.kind"],
            texts["history.csv.description"], texts["history.csv.amount"]);
        foreach (var line in statement.Lines)
        {
            var local = clock.ToLocal(line.At);
            Row(csv,
                line.Id.ToString(CultureInfo.InvariantCulture),
                local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                local.ToString("HH:mm", CultureInfo.InvariantCulture),
                texts["op." + (int)line.Kind],
                Text(words(line.Description)),
                line.Amount.ToString());
        }

        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);
        return [.. encoding.GetPreamble(), .. encoding.GetBytes(csv.ToString())];
    }

    /// <summary>The file name: statement_&lt;account&gt;_&lt;from&gt;_&lt;to&gt;.csv.</summary>
    public static string FileName(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return string.Create(CultureInfo.InvariantCulture,
            $"statement_{statement.Account.Number}_{statement.Period.From:yyyy-MM-dd}_{statement.Period.To:yyyy-MM-dd}.csv");
    }

    private static void Row(StringBuilder csv, params string[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                csv.Append(Separator);
            }

            csv.Append(Quote(fields[i]));
        }

        csv.Append("\r\n");
    }

    private static string Quote(string field) =>
        field.IndexOfAny([Separator, '"', '\r', '\n', ',']) >= 0 || field.StartsWith(' ') || field.EndsWith(' ')
            ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : field;

    // A text that a spreadsheet would run as a formula is kept as text (CSV injection).
    private static string Text(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
}
