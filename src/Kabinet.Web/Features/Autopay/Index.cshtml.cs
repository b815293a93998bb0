using System.Globalization;
using Kabinet.Domain.Money;
using Kabinet.Web.Features.Auth;
using Kabinet.Web.Features.Localization;
using Kabinet.Web.Features.Payments;
using Kabinet.Web.Features.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.Autopay;

/// <summary>The autopay page (M8): saved cards, the rule, switching it off.</summary>
[Authorize(Policy = SubscriberClaims.CabinetPolicy)]
public sealed class IndexModel(AutopayRules autopay, AccountChoice accounts, IOptions<PaymentOptions> limits, Texts texts) : PageModel
{
    public AutopayView? View { get; private set; }

    public AccountSwitcherModel? Accounts { get; private set; }

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public string? FormError { get; private set; }

    public string? Notice { get; private set; }

    public int Kind { get; private set; } = 1;

    public string? Amount { get; private set; }

    public bool Recommended { get; private set; }

    public string? Below { get; private set; }

    public string? DaysBefore { get; private set; }

    public string? DayOfMonth { get; private set; }

    public long? MethodId { get; private set; }

    public Money Min => limits.Value.Min;

    public Money Max => limits.Value.Max;

    public async Task<IActionResult> OnGetAsync(long? account, CancellationToken ct)
    {
        var shown = await ShowAsync(account, ct);
        if (shown is not null)
        {
            return shown;
        }

        Prefill();
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(
        [FromForm] long? account, [FromForm] string? kind, [FromForm] string? amount, [FromForm] string? recommended,
        [FromForm] string? below, [FromForm(Name = "days_before")] string? daysBefore, [FromForm(Name = "day_of_month")] string? dayOfMonth,
        [FromForm(Name = "payment_method_id")] long? methodId, CancellationToken ct)
    {
        var chosen = await accounts.PostedAsync(User.ContractId(), account, "/autopay", ct);
        if (!chosen.IsSuccess)
        {
            return await RefuseAsync(chosen.Error!, ct);
        }

        Kind = int.TryParse(kind, NumberStyles.None, CultureInfo.InvariantCulture, out var k) ? k : 0;
        (Amount, Recommended, Below, DaysBefore, DayOfMonth, MethodId) = (amount, recommended == "true", below, daysBefore, dayOfMonth, methodId);
        var saved = await autopay.SaveAsync(
            User.ContractId(), chosen.Value.Selected, new AutopayInput(Kind, methodId, amount, Recommended, below, daysBefore, dayOfMonth), ct);
        if (saved.IsSuccess)
        {
            Notice = texts["autopay.saved"];
        }
        else if (saved.Error!.Field is { } field)
        {
            Errors[field] = texts.Error(saved.Error);
        }
        else
        {
            FormError = texts.Error(saved.Error);
        }

        return await ShowAsync(chosen.Value.Selected, ct) ?? Page();
    }

    public async Task<IActionResult> OnPostOffAsync([FromForm] long? account, CancellationToken ct)
    {
        var chosen = await accounts.PostedAsync(User.ContractId(), account, "/autopay", ct);
        if (!chosen.IsSuccess)
        {
            return await RefuseAsync(chosen.Error!, ct);
        }

        await autopay.DisableAsync(User.ContractId(), chosen.Value.Selected, ct);
        Notice = texts["autopay.switched_off"];
        var shown = await ShowAsync(chosen.Value.Selected, ct);
        Prefill();
        return shown ?? Page();
    }

    public async Task<IActionResult> OnPostUnlinkAsync([FromForm] long? account, [FromForm(Name = "method")] long method, CancellationToken ct)
    {
        var chosen = await accounts.PostedAsync(User.ContractId(), account, "/autopay", ct);
        if (!chosen.IsSuccess)
        {
            return await RefuseAsync(chosen.Error!, ct);
        }

        var card = await autopay.UnlinkAsync(User.ContractId(), chosen.Value.Selected, method, ct);
        if (card is not null)
        {
            Notice = texts.Format("autopay.unlinked", ("card", card.Masked));
        }

        var shown = await ShowAsync(chosen.Value.Selected, ct);
        Prefill();
        return shown ?? Page();
    }

    /// <summary>The rule in words.</summary>
    public string Describe(AutopayRule rule, Func<Money, string> money)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(money);
        var amount = rule.Amount is { } a ? money(new Money(a)) : texts["autopay.recommended_amount"];
        return texts.Format(
            "autopay.rule." + rule.Kind.ToString(CultureInfo.InvariantCulture),
            ("amount", amount), ("below", rule.Below is { } b ? money(new Money(b)) : ""), ("days", rule.DaysBefore ?? 0),
            ("day", rule.DayOfMonth ?? 0), ("card", View?.CardOf(rule)?.Masked ?? ""));
    }

    // The posted account is not the contract's: the page of the first one, the refusal on the account field.
    private async Task<IActionResult> RefuseAsync(Kabinet.Domain.Common.Error error, CancellationToken ct)
    {
        Errors["account"] = texts.Error(error);
        var shown = await ShowAsync(null, ct);
        Prefill();
        return shown ?? Page();
    }

    private async Task<IActionResult?> ShowAsync(long? account, CancellationToken ct)
    {
        Accounts = await accounts.ChooseAsync(User.ContractId(), account, "/autopay", ct);
        if (Accounts is null)
        {
            return LocalRedirect("/");
        }

        View = await autopay.LoadAsync(User.ContractId(), Accounts.Selected, ct);
        return View is null ? LocalRedirect("/") : null;
    }

    // The form starts from the rule in force, or from a sensible first rule.
    private void Prefill()
    {
        var rule = View?.Rule;
        Kind = rule?.Kind ?? 1;
        Amount = rule?.Amount is { } a ? new Money(a).ToString() : "500.00";
        Recommended = rule is not null && rule.Amount is null;
        Below = rule?.Below is { } b ? new Money(b).ToString() : "100.00";
        DaysBefore = (rule?.DaysBefore ?? 3).ToString(CultureInfo.InvariantCulture);
        DayOfMonth = (rule?.DayOfMonth ?? 1).ToString(CultureInfo.InvariantCulture);
        MethodId = rule?.PaymentMethodId;
    }
}
