using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Domain.Money;
using Kabinet.Web.Features.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kabinet.Web.Features.Payments;

/// <summary>
/// Where the payer lands from the hosted page: pending, succeeded (with the new balance for the
/// logged-in owner) or failed with the reason in plain words. It asks the gateway itself, so the
/// answer does not wait for a notification.
/// </summary>
[AllowAnonymous]
public sealed class ResultModel(PaymentLookup payments, Database database) : PageModel
{
    public PaymentRecord? Payment { get; private set; }

    /// <summary>True when the logged-in subscriber owns the payment; only then is the balance shown.</summary>
    public bool Owned { get; private set; }

    public Money? Balance { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        Payment = await payments.FindCheckedAsync(id, ct);
        if (Payment is null)
        {
            return NotFound();
        }

        Owned = User.Identity?.IsAuthenticated == true && User.ContractId() == Payment.ContractId;
        if (Owned && Payment.Status == (int)PaymentStatus.Succeeded)
        {
            await using var connection = await database.OpenAsync(ct);
            Balance = new Money(await connection.ExecuteScalarAsync<long>(
                "SELECT la.balance FROM accounts a JOIN ledger_accounts la ON la.id = a.ledger_account_id WHERE a.id = @AccountId",
                new { Payment.AccountId }));
        }

        return Page();
    }
}
