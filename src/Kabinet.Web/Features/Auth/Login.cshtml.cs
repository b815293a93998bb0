using Kabinet.Web.Features.Localization;
using Kabinet.Web.Features.Shared;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Kabinet.Web.Features.Auth;

/// <summary>The cabinet login form (M1).</summary>
[EnableRateLimiting(LoginRateLimit.Policy)]
public sealed class LoginModel(ContractLogin login, SubscriberSessions sessions, KnownDevices devices, Texts texts) : PageModel
{
    /// <summary>The contract number as typed, shown back after an error.</summary>
    public string? Contract { get; private set; }

    /// <summary>Where to go after logging in.</summary>
    public string? ReturnUrl { get; private set; }

    /// <summary>An error for the whole form.</summary>
    public string? FormError { get; private set; }

    /// <summary>An error next to the contract field.</summary>
    public string? ContractError { get; private set; }

    /// <summary>An error next to the password field.</summary>
    public string? PasswordError { get; private set; }

    /// <summary>True right after logging out.</summary>
    public bool LoggedOut { get; private set; }

    public IActionResult OnGet(string? returnUrl, bool loggedOut = false)
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            return LocalRedirect(SafeReturn(returnUrl));
        }

        ReturnUrl = returnUrl;
        LoggedOut = loggedOut;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(
        [FromForm] string? contract, [FromForm] string? password, [FromForm] string? returnUrl, CancellationToken ct)
    {
        Contract = contract;
        ReturnUrl = returnUrl;
        var device = devices.Read(HttpContext);
        var result = await login.VerifyAsync(contract, password, device, ct);
        if (!result.IsSuccess)
        {
            var message = texts["error." + result.Error!.Code];
            switch (result.Error.Field)
            {
                case "contract":
                    ContractError = message;
                    break;
                case "password":
                    PasswordError = message;
                    break;
                default:
                    FormError = message;
                    break;
            }

            Response.StatusCode = result.Error.Code == "auth.too_many_attempts" ? StatusCodes.Status429TooManyRequests : StatusCodes.Status200OK;
            return Page();
        }

        var session = await sessions.StartAsync(result.Value.ContractId, SessionKind.Cookie, HttpContext, ct);
        await HttpContext.SignInAsync(
            SubscriberClaims.CookieScheme,
            SubscriberClaims.Create(result.Value, session.Key, SubscriberClaims.CookieScheme),
            new AuthenticationProperties { IsPersistent = false, IssuedUtc = session.CreatedAt });
        devices.Remember(HttpContext, device, result.Value.Number);
        return LocalRedirect(SafeReturn(returnUrl));
    }

    private static string SafeReturn(string? returnUrl) => LocalUrl.OrHome(returnUrl);
}
