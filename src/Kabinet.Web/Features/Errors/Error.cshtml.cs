using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kabinet.Web.Features.Errors;

/// <summary>The polite error page; re-executed for failed page requests of any method.</summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel : PageModel
{
    /// <summary>The status being explained; null for an unexpected error.</summary>
    public int? Code { get; private set; }

    /// <summary>The id that finds the log lines of the failed request.</summary>
    public string TraceId { get; private set; } = "";

    // No bound parameters: binding would read the form of a re-executed POST, and a form with a bad
    // antiforgery token throws when read, which would turn a polite 400 into a failure of the error page.
    public void OnGet() => Show();

    public void OnPost() => Show();

    private void Show()
    {
        // A request the server could not read comes here with its 4xx already set and no code in the path.
        Code = int.TryParse(RouteData.Values["code"] as string, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code
            : Response.StatusCode is >= 400 and < 500 ? Response.StatusCode : null;
        TraceId = Activity.Current?.Id ?? HttpContext.TraceIdentifier;
    }
}
