using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;

namespace Kabinet.Web.Features.Shared;

/// <summary>
/// The layout's static files with a content hash in the query string, worked out once per process
/// (what asp-append-version does, without a tag helper and a cache lookup on every page).
/// </summary>
public static class SiteAssets
{
    private static string? _css;

    /// <summary>"/css/site.css?v=…".</summary>
    public static string Css(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return _css ??= Versioned(http.RequestServices.GetRequiredService<IWebHostEnvironment>(), "/css/site.css");
    }

    private static string Versioned(IWebHostEnvironment environment, string path)
    {
        var file = environment.WebRootFileProvider.GetFileInfo(path);
        if (!file.Exists)
        {
            return path;
        }

        using var stream = file.CreateReadStream();
        return path + "?v=" + WebEncoders.Base64UrlEncode(SHA256.HashData(stream));
    }
}
