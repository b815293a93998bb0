using Microsoft.AspNetCore.Http.HttpResults;

namespace Kabinet.Web.Features.Shared;

/// <summary>Where a "come back to" address from a form or a query may send the visitor.</summary>
public static class LocalUrl
{
    /// <summary>
    /// The address when it is a path of this site, else "/". The check is the very one the
    /// local-only redirect applies (control characters, "//", "/\" refused), so a redirect to the
    /// answer never fails: a weaker check let "/\t/evil" through to a redirect that threw.
    /// </summary>
    public static string OrHome(string? url) => !string.IsNullOrEmpty(url) && RedirectHttpResult.IsLocalUrl(url) ? url : "/";
}
