using System.Diagnostics;
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

    public void OnGet(int? code) => Show(code);

    public void OnPost(int? code) => Show(code);

    private void Show(int? code)
    {
        Code = code;
        TraceId = Activity.Current?.Id ?? HttpContext.TraceIdentifier;
    }
}
