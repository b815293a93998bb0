using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace Kabinet.Web.Features.Connection;

/// <summary>
/// A bar chart of traffic drawn on the server as SVG: downloaded and uploaded side by side per
/// period. The drawing is 320 units wide so its labels stay readable on a phone; it scales up on
/// a desktop. It is decorative for screen readers (aria-hidden): the page gives the same figures
/// in a table.
/// </summary>
public static class TrafficChart
{
    private const int Width = 320;
    private const int Height = 180;
    private const int Left = 58;
    private const int Right = 6;
    private const int Bottom = 24;
    private const int Top = 8;

    /// <summary>The SVG for the points; <paramref name="label"/> names a period on the axis, <paramref name="every"/> says how often.</summary>
    public static IHtmlContent Render(IReadOnlyList<TrafficPoint> points, Func<DateOnly, string> label, int every)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(label);
        var inv = CultureInfo.InvariantCulture;
        // At least 1 KB tall: an empty or near-empty chart gets three distinct labels (1 KB, 512 B,
        // 0 B) instead of byte fractions that all print as "0 B".
        var max = Math.Max(1024, points.Count == 0 ? 0 : points.Max(p => Math.Max(p.BytesIn, p.BytesOut)));
        var plotHeight = Height - Bottom - Top;
        var slot = (double)(Width - Left - Right) / Math.Max(1, points.Count);
        var bar = Math.Max(1.0, (slot - 2) / 2);
        var svg = new StringBuilder(4096);
        svg.Append(inv, $"<svg class=\"chart\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-hidden=\"true\" focusable=\"false\" xmlns=\"http://www.w3.org/2000/svg\">");
        // Grid: zero, half and the maximum, labelled with volumes.
        foreach (var fraction in new[] { 0.0, 0.5, 1.0 })
        {
            var y = Top + (plotHeight * (1 - fraction));
            svg.Append(inv, $"<line class=\"grid\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\"/>");
            svg.Append(inv, $"<text class=\"axis\" x=\"{Left - 4}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{Encode(ByteSize.Format((long)(max * fraction)))}</text>");
        }

        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            var x = Left + (slot * i) + 1;
            var down = plotHeight * ((double)p.BytesOut / max);
            var up = plotHeight * ((double)p.BytesIn / max);
            svg.Append(inv, $"<rect class=\"down\" x=\"{x:0.##}\" y=\"{Top + plotHeight - down:0.##}\" width=\"{bar:0.##}\" height=\"{down:0.##}\"/>");
            svg.Append(inv, $"<rect class=\"up\" x=\"{x + bar:0.##}\" y=\"{Top + plotHeight - up:0.##}\" width=\"{bar:0.##}\" height=\"{up:0.##}\"/>");
            if ((points.Count - 1 - i) % every == 0)
            {
                // The newest label ends at its bar so that it stays inside the drawing.
                var last = i == points.Count - 1;
                svg.Append(inv, $"<text class=\"axis\" x=\"{(last ? x + (2 * bar) : x + bar):0.##}\" y=\"{Height - 6}\" text-anchor=\"{(last ? "end" : "middle")}\">{Encode(label(p.Period))}</text>");
            }
        }

        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);
}
