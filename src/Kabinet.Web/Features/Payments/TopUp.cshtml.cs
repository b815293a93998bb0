using System.Globalization;
using Kabinet.Domain.Money;
using Kabinet.Web.Features.Auth;
using Kabinet.Web.Features.Dashboard;
using Kabinet.Web.Features.Localization;
using Kabinet.Web.Features.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.Payments;

/// <summary>Top-up by card or SBP on the gateway's hosted page (M6).</summary>
[Authorize(Policy = SubscriberClaims.CabinetPolicy)]
public sealed class TopUpModel(PaymentStarter starter, AccountChoice accounts, DashboardQuery dashboard, IOptions<PaymentOptions> limits, Texts texts) : PageModel
{
    public AccountSwitcherModel? Accounts { get; private set; }

    public string? Amount { get; private set; }

    public string? Method { get; private set; }

    public string? Contact { get; private set; }

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public string? FormError { get; private set; }

    public Money Min => limits.Value.Min;

    public Money Max => limits.Value.Max;

    public async Task<IActionResult> OnGetAsync(long? account, CancellationToken ct)
    {
        Accounts = await accounts.ChooseAsync(User.ContractId(), account, "/pay", ct);
        if (Accounts is null)
        {
            return LocalRedirect("/");
        }

        // The recommended payment from the forecast, when there is one; otherwise a round default.
        var data = await dashboard.LoadAsync(User.ContractId(), Accounts.Selected, 0, ct);
        var recommended = data?.Selected?.Forecast.RecommendedPayment;
        // Written as the reader writes money (500,00 in Russian); the amount field reads either form.
        var prefill = recommended is { IsPositive: true } r ? r : new Money(500_00);
        Amount = (prefill.Kopecks / 100m).ToString("0.00", CultureInfo.CurrentCulture);
        Contact = await starter.ContactOnFileAsync(User.ContractId(), ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(
        [FromForm] long? account, [FromForm] string? amount, [FromForm] string? method, [FromForm] string? contact,
        [FromForm] bool consent, [FromForm] bool saveCard, [FromForm] string? language, CancellationToken ct)
    {
        (Amount, Method, Contact) = (amount, method, contact);
        var chosen = await accounts.PostedAsync(User.ContractId(), account, "/pay", ct);
        if (!chosen.IsSuccess)
        {
            Errors["account"] = texts.Error(chosen.Error!);
            Accounts = await accounts.ChooseAsync(User.ContractId(), null, "/pay", ct);
            return Accounts is null ? LocalRedirect("/") : Page();
        }

        Accounts = chosen.Value;
        var started = await starter.StartAsync(
            User.ContractId(), Accounts.Selected, new TopUpInput(amount, method, contact ?? "", consent, saveCard, Language: language), PaymentSource.Cabinet, null, ct);
        if (started.IsSuccess)
        {
            return started.Value.ConfirmationUrl is { } url ? Redirect(url) : LocalRedirect("/pay/result/" + started.Value.PublicId);
        }

        if (started.Error!.Field is { } field)
        {
            Errors[field] = texts.Error(started.Error);
        }
        else
        {
            FormError = texts.Error(started.Error);
        }

        return Page();
    }
}
