using System.Globalization;
using Kabinet.Web.Features.Localization;

namespace Kabinet.Web.Features.Connection;

/// <summary>Traffic volumes in the units people read: "1,2 ГБ" / "1.2 GB" (decimal units, as providers bill).</summary>
public static class ByteSize
{
    private static readonly (long Size, string Ru, string En)[] Units =
    [
        (1_000_000_000_000, "ТБ", "TB"),
        (1_000_000_000, "ГБ", "GB"),
        (1_000_000, "МБ", "MB"),
        (1_000, "КБ", "KB"),
    ];

    /// <summary>The volume with one decimal in the largest unit that is at least 1.</summary>
    public static string Format(long bytes)
    {
        foreach (var (size, ru, en) in Units)
        {
            if (bytes >= size)
            {
                return string.Create(CultureInfo.CurrentCulture, $"{(double)bytes / size:0.#} {Texts.Pick(ru, en)}");
            }
        }

        return string.Create(CultureInfo.CurrentCulture, $"{bytes} {Texts.Pick("Б", "B")}");
    }
}
