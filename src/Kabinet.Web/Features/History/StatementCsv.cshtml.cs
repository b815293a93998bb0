using Kabinet.Web.Features.Auth;
using Kabinet.Web.Features.Localization;
using Kabinet.Web.Features.Shared;
using Kabinet.Web.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kabinet.Web.Features.History;

/// <summary>The statement as a CSV download for the cabinet (the API has its own endpoint).</summary>
[Authorize(Policy = SubscriberClaims.CabinetPolicy)]
public sealed class StatementCsvModel(HistoryQuery query, AccountChoice accounts, OperatorClock clock, Texts texts, JournalWording words) : PageModel
{
    public async Task<IActionResult> OnGetAsync(long? account, string? from, string? to, CancellationToken ct)
    {
        var chosen = await accounts.ChooseAsync(User.ContractId(), account, "/history", ct);
        if (chosen is null)
        {
            return LocalRedirect("/");
        }

        var period = HistoryPeriod.Parse(from, to, clock.Today);
        if (!period.IsSuccess)
        {
            return LocalRedirect(StatementModel.QueryHelpers("/history", chosen.Selected, from, to));
        }

        var statement = await query.StatementAsync(User.ContractId(), chosen.Selected, period.Value, ct);
        return statement is null
            ? LocalRedirect("/")
            : File(await StatementCsv.WriteAsync(statement, texts, clock, words, ct), StatementCsv.ContentType, StatementCsv.FileName(statement));
    }
}
