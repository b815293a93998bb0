using System.Globalization;
using Kabinet.Domain.Common;
using Kabinet.Domain.Ledger;
using Kabinet.Web.Features.Auth;
using Kabinet.Web.Features.Localization;
using Kabinet.Web.Features.Shared;
using Kabinet.Web.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kabinet.Web.Features.History;

/// <summary>The operations history page (M10): a period and kind filter, totals, and the lines.</summary>
[Authorize(Policy = SubscriberClaims.CabinetPolicy)]
public sealed class IndexModel(HistoryQuery query, AccountChoice accounts, OperatorClock clock, Texts texts) : PageModel
{
    /// <summary>The kinds the filter offers, in the order a subscriber thinks of them.</summary>
    public static readonly TransactionKind[] FilterKinds =
    [
        TransactionKind.Payment, TransactionKind.Charge, TransactionKind.Refund, TransactionKind.Adjustment,
        TransactionKind.PromisedPayment, TransactionKind.Reversal, TransactionKind.OpeningBalance,
    ];

    public AccountSwitcherModel? Accounts { get; private set; }

    public HistoryAccount? Account { get; private set; }

    /// <summary>The period shown; null when the form has an error.</summary>
    public HistoryPeriod? Period { get; private set; }

    public HistoryTotals? Totals { get; private set; }

    public OperationsPage? Operations { get; private set; }

    /// <summary>The form's values as typed (so an error shows what was entered).</summary>
    public string From { get; private set; } = "";

    public string To { get; private set; } = "";

    public string Kind { get; private set; } = "";

    public string? FromError { get; private set; }

    public string? ToError { get; private set; }

    public string? KindError { get; private set; }

    public async Task<IActionResult> OnGetAsync(long? account, string? from, string? to, string? kind, string? after, CancellationToken ct)
    {
        Accounts = await accounts.ChooseAsync(User.ContractId(), account, "/history", ct);
        Account = Accounts is null ? null : await query.AccountAsync(User.ContractId(), Accounts.Selected, ct);
        if (Account is null)
        {
            return LocalRedirect("/");
        }

        (From, To, Kind) = (from ?? "", to ?? "", kind ?? "");
        var period = HistoryPeriod.Parse(from, to, clock.Today);
        var kinds = HistoryPeriod.ParseKinds(kind);
        Show(period.Error);
        Show(kinds.Error);
        if (!period.IsSuccess || !kinds.IsSuccess)
        {
            return Page();
        }

        Period = period.Value;
        (From, To) = (Iso(Period.From), Iso(Period.To));
        // A broken continuation link just starts from the newest line.
        var paging = HistoryEndpoints.ReadPaging(null, after);
        Totals = await query.TotalsAsync(Account, Period, ct);
        Operations = await query.OperationsAsync(Account, Period, kinds.Value, HistoryQuery.DefaultPageSize, paging.IsSuccess ? paging.Value.After : null, ct);
        return Page();
    }

    /// <summary>A link to a history page of the same account and period.</summary>
    public string Link(string path, long? after = null, bool withKind = true)
    {
        var parts = new List<string> { "account=" + Account!.Id.ToString(CultureInfo.InvariantCulture), "from=" + From, "to=" + To };
        if (withKind && Kind.Length > 0)
        {
            parts.Add("kind=" + Uri.EscapeDataString(Kind));
        }

        if (after is not null)
        {
            parts.Add("after=" + after.Value.ToString(CultureInfo.InvariantCulture));
        }

        return path + "?" + string.Join("&", parts);
    }

    /// <summary>"22:10": the time of day in the operator's zone.</summary>
    public string TimeOfDay(DateTimeOffset instant) => clock.ToLocal(instant).ToString("t", CultureInfo.CurrentCulture);

    /// <summary>"2026-11-01", the form of &lt;input type=date&gt;.</summary>
    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private void Show(Error? error)
    {
        switch (error?.Field)
        {
            case "from":
                FromError = texts.Error(error);
                break;
            case "to":
                ToError = texts.Error(error);
                break;
            case "kind":
                KindError = texts.Error(error);
                break;
        }
    }
}
