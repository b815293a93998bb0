using System.Globalization;

namespace Kabinet.Web.Features.Network;

/// <summary>How a session is tied to its access point across RADIUS packets.</summary>
public static class Sessions
{
    /// <summary>The Class attribute Kabinet sets in an Access-Accept; the NAS echoes it in accounting.</summary>
    public const string ClassPrefix = "kabinet-ap-";

    /// <summary>The access point id in an echoed Class, or null.</summary>
    public static long? AccessPointFromClass(string? value) =>
        RadiusRequest.OctetsAsText(value) is { } text
        && text.StartsWith(ClassPrefix, StringComparison.Ordinal)
        && long.TryParse(text.AsSpan(ClassPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : null;
}
