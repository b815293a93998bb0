using Kabinet.Web.Features.Auth;
using Kabinet.Web.Features.Shared;
using Kabinet.Web.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.History;

/// <summary>The printable account statement ("детализация") of a period.</summary>
[Authorize(Policy = SubscriberClaims.CabinetPolicy)]
public sealed class StatementModel(HistoryQuery query, AccountChoice accounts, OperatorClock clock, IOptions<ProviderOptions> provider) : PageModel
{
    public Statement? Statement { get; private set; }

    public ProviderOptions Provider => provider.Value;

    public DateTimeOffset Produced { get; private set; }

    public async Task<IActionResult> OnGetAsync(long? account, string? from, string? to, CancellationToken ct)
    {
        var chosen = await accounts.ChooseAsync(User.ContractId(), account, "/history/statement", ct);
        if (chosen is null)
        {
            return LocalRedirect("/");
        }

        var period = HistoryPeriod.Parse(from, to, clock.Today);
        if (!period.IsSuccess)
        {
            // The history page shows the form with the mistake next to its field.
            return LocalRedirect(QueryHelpers("/history", chosen.Selected, from, to));
        }

        Statement = await query.StatementAsync(User.ContractId(), chosen.Selected, period.Value, ct);
        Produced = clock.UtcNow;
        return Statement is null ? LocalRedirect("/") : Page();
    }

    /// <summary>"22:10": the time of day in the operator's zone.</summary>
    public string TimeOfDay(DateTimeOffset instant) => clock.ToLocal(instant).ToString("t", System.Globalization.CultureInfo.CurrentCulture);

    internal static string QueryHelpers(string path, long account, string? from, string? to) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(path, new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["account"] = account.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["from"] = from,
            ["to"] = to,
        });
}
